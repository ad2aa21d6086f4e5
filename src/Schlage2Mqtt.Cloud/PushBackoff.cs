namespace Schlage2Mqtt.Cloud;

/// <summary>
/// Delays between push connection attempts: exponential with jitter, and the long random wait after an eviction.
/// The random source is injected so tests can pin the jitter.
/// </summary>
/// <param name="options">The delays.</param>
/// <param name="random">Values in [0, 1); <see cref="Random.Shared"/> in production.</param>
public sealed class PushBackoff(PushChannelOptions options, Func<double> random)
{
    /// <summary>The delay before retry number <paramref name="attempt"/> (1-based).</summary>
    public TimeSpan Next(int attempt)
    {
        var factor = Math.Pow(2, Math.Clamp(attempt - 1, 0, 30));
        var ticks = Math.Min(options.ReconnectDelay.Ticks * factor, options.MaxReconnectDelay.Ticks);
        return Jittered(TimeSpan.FromTicks((long)ticks));
    }

    /// <summary>
    /// A random wait between the evicted-backoff bounds: the other client holds the connection, so do not fight it.
    /// Without eviction options, the ordinary longest delay.
    /// </summary>
    public TimeSpan Evicted()
    {
        if (options.Eviction is not { } eviction)
        {
            return Jittered(options.MaxReconnectDelay);
        }
        var span = eviction.BackoffMax - eviction.BackoffMin;
        return eviction.BackoffMin + TimeSpan.FromTicks((long)(span.Ticks * Math.Clamp(random(), 0, 1)));
    }

    /// <summary><paramref name="delay"/> spread by the options' jitter (for a channel's own retries, e.g. of a flaky endpoint).</summary>
    public TimeSpan Jittered(TimeSpan delay) =>
        options.Jitter <= 0 ? delay : TimeSpan.FromTicks((long)(delay.Ticks * (1.0 + options.Jitter * (2.0 * Math.Clamp(random(), 0, 1) - 1.0))));
}
