namespace Schlage2Mqtt.Cloud;

/// <summary>Cloud call counters of one account, for the bridge's health topic.</summary>
/// <param name="Calls">HTTP calls made (retries included).</param>
/// <param name="Errors">Calls that failed (non-2xx, timeout, network error).</param>
/// <param name="Throttled">Calls answered 429, plus calls refused by the client-side budget.</param>
/// <param name="AverageLatency">Mean latency of calls that got an answer.</param>
/// <param name="MaxLatency">Largest latency seen.</param>
/// <param name="LastLatency">Latency of the most recent answered call.</param>
/// <param name="LastCallAt">When the most recent call finished.</param>
/// <param name="LastErrorAt">When the most recent error happened.</param>
/// <param name="CircuitOpen">True while the circuit breaker holds calls back.</param>
public sealed record CallStatistics(
    long Calls,
    long Errors,
    long Throttled,
    TimeSpan AverageLatency,
    TimeSpan MaxLatency,
    TimeSpan? LastLatency,
    DateTimeOffset? LastCallAt,
    DateTimeOffset? LastErrorAt,
    bool CircuitOpen);
