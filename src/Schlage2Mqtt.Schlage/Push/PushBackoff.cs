using Schlage2Mqtt.Schlage.Options;

namespace Schlage2Mqtt.Schlage.Push;

/// <summary>Delays between push connection attempts: exponential with jitter, and the long wait after an eviction.</summary>
internal sealed class PushBackoff(PushOptions options, Func<double> random)
{
    /// <summary>The delay before retry number <paramref name="attempt"/> (1-based).</summary>
    public TimeSpan Next(int attempt)
    {
        var factor = Math.Pow(2, Math.Clamp(attempt - 1, 0, 30));
        var ticks = Math.Min(options.ReconnectDelay.Ticks * factor, options.MaxReconnectDelay.Ticks);
        return Spread(TimeSpan.FromTicks((long)ticks), options.Jitter);
    }

    /// <summary>The delay before retry number <paramref name="attempt"/> of the spurious-400 retries of <c>users/wss</c>.</summary>
    public TimeSpan DetailsRetry(int attempt)
    {
        var factor = Math.Pow(2, Math.Clamp(attempt - 1, 0, 10));
        return Spread(TimeSpan.FromTicks((long)(options.DetailsRetryDelay.Ticks * factor)), options.Jitter);
    }

    /// <summary>A random wait between the evicted-backoff bounds: the phone app holds the connection, so do not fight it.</summary>
    public TimeSpan Evicted()
    {
        var span = options.EvictedBackoffMax - options.EvictedBackoffMin;
        return options.EvictedBackoffMin + TimeSpan.FromTicks((long)(span.Ticks * Math.Clamp(random(), 0, 1)));
    }

    private TimeSpan Spread(TimeSpan delay, double jitter) =>
        jitter <= 0 ? delay : TimeSpan.FromTicks((long)(delay.Ticks * (1.0 + jitter * (2.0 * Math.Clamp(random(), 0, 1) - 1.0))));
}
