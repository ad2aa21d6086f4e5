using System.Text.Json.Serialization;
using Schlage2Mqtt.Simulator.Json;

namespace Schlage2Mqtt.Simulator.Faults;

/// <summary>What a <see cref="FaultRule"/> does to a matching REST call.</summary>
public enum FaultAction
{
    /// <summary>Hold the response for <see cref="FaultRule.Delay"/>, then handle the call normally.</summary>
    Latency,

    /// <summary>Answer <see cref="FaultRule.StatusCode"/> without handling the call (nothing is applied).</summary>
    Error,

    /// <summary>Answer <see cref="FaultRule.StatusCode"/> (504 by default) but apply the write after <see cref="FaultRule.Delay"/>.</summary>
    AppliedButError,

    /// <summary>Answer 401 "The incoming token has expired" as if the caller's token had just expired.</summary>
    TokenExpired,

    /// <summary>Answer 429 with a <c>Retry-After</c> header of <see cref="FaultRule.RetryAfter"/>.</summary>
    TooManyRequests,
}

/// <summary>
/// A fault injected into REST calls that match it (endpoint, device, command name), for the next
/// <see cref="Count"/> matching calls or until removed. Rules are tried in the order they were added;
/// every matching <see cref="FaultAction.Latency"/> rule adds its delay, the first other matching rule decides the answer.
/// Its JSON (any serializer) keeps the defaults of members the JSON leaves out (504, a 30-s Retry-After).
/// </summary>
[JsonConverter(typeof(FaultRuleJsonConverter))]
public sealed record FaultRule
{
    /// <summary>What the rule does.</summary>
    public required FaultAction Action { get; init; }

    /// <summary>Only calls to this endpoint; null matches every REST endpoint.</summary>
    public ApiEndpoint? Endpoint { get; init; }

    /// <summary>Only calls about this device; null matches any.</summary>
    public string? DeviceId { get; init; }

    /// <summary>Only <c>POST devices/{id}/commands</c> with this command name (e.g. <c>addaccesscode</c>); null matches any call.</summary>
    public string? Command { get; init; }

    /// <summary>How many matching calls the rule affects; null for every call until the rule is removed.</summary>
    public int? Count { get; init; }

    /// <summary>Status for <see cref="FaultAction.Error"/> and <see cref="FaultAction.AppliedButError"/>.</summary>
    public int StatusCode { get; init; } = 504;

    /// <summary>Error message; a stock message for the status when null.</summary>
    public string? Message { get; init; }

    /// <summary>Latency, or for <see cref="FaultAction.AppliedButError"/> how long after the answer the write applies.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>The <c>Retry-After</c> of a 429.</summary>
    public TimeSpan RetryAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The chance (0-1) that the rule hits a matching call (drawn from the simulator's seed, so reproducible); a call it
    /// spares is answered normally and does not count against <see cref="Count"/>. Null: every matching call.
    /// </summary>
    public double? Probability { get; init; }

    /// <summary>Hold matching responses for <paramref name="delay"/>.</summary>
    public static FaultRule Latency(TimeSpan delay, ApiEndpoint? endpoint = null) =>
        new() { Action = FaultAction.Latency, Delay = delay, Endpoint = endpoint };

    /// <summary>Answer <paramref name="statusCode"/> without applying anything.</summary>
    public static FaultRule Error(int statusCode, ApiEndpoint? endpoint = null) =>
        new() { Action = FaultAction.Error, StatusCode = statusCode, Endpoint = endpoint };

    /// <summary>Answer 504 (or <paramref name="statusCode"/>) yet apply the write <paramref name="applyAfter"/> later.</summary>
    public static FaultRule AppliedButError(TimeSpan applyAfter, ApiEndpoint? endpoint = null, int statusCode = 504) =>
        new() { Action = FaultAction.AppliedButError, Delay = applyAfter, Endpoint = endpoint, StatusCode = statusCode };

    /// <summary>Answer 401 token expired.</summary>
    public static FaultRule TokenExpired(ApiEndpoint? endpoint = null) =>
        new() { Action = FaultAction.TokenExpired, Endpoint = endpoint, StatusCode = 401 };

    /// <summary>Answer 429 with <c>Retry-After</c>.</summary>
    public static FaultRule TooManyRequests(TimeSpan retryAfter, ApiEndpoint? endpoint = null) =>
        new() { Action = FaultAction.TooManyRequests, RetryAfter = retryAfter, Endpoint = endpoint, StatusCode = 429 };
}
