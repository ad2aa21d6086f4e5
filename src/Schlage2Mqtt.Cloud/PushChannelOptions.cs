namespace Schlage2Mqtt.Cloud;

/// <summary>
/// How a <see cref="PushChannelBase"/> retries: exponential backoff with jitter between attempts, reset by a connection
/// that held; and, for clouds where another client can take the connection, when that counts as an eviction.
/// </summary>
public sealed record PushChannelOptions
{
    /// <summary>First delay after a failed attempt or a lost connection (doubling per attempt, with jitter).</summary>
    public TimeSpan ReconnectDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest delay in ordinary backoff (before jitter).</summary>
    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Random spread of every delay, as a fraction (0.2 = ±20%), so many bridges do not retry in lockstep.</summary>
    public double Jitter { get; init; } = 0.2;

    /// <summary>A connection that lasts this long is stable: it resets the backoff, ends an eviction, and does not count as short.</summary>
    public TimeSpan StableConnectionTime { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>When short connections mean another client keeps taking ours; null for a channel that cannot be evicted.</summary>
    public PushEvictionOptions? Eviction { get; init; }
}

/// <summary>When a run of short connections means eviction (see <see cref="PushEvictionRule"/>), and how long to back off then.</summary>
public sealed record PushEvictionOptions
{
    /// <summary>This many short connections in a row within <see cref="Window"/> mean another client keeps taking the connection.</summary>
    public int Connections { get; init; } = 3;

    /// <summary>The window, back from now, in which the short connections must have ended.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Shortest wait between attempts once evicted (the actual wait is random up to <see cref="BackoffMax"/>).</summary>
    public TimeSpan BackoffMin { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Longest wait between attempts once evicted.</summary>
    public TimeSpan BackoffMax { get; init; } = TimeSpan.FromMinutes(30);
}
