namespace Schlage2Mqtt.Mqtt;

/// <summary>What to do when the outgoing queue of a disconnected client is full.</summary>
public enum MqttQueueOverflowPolicy
{
    /// <summary>Drop the oldest queued message (its publish fails with <see cref="MqttPublishDroppedException"/>) to make room: fresher state wins.</summary>
    DropOldest,

    /// <summary>Refuse the new message (its publish fails with <see cref="MqttPublishDroppedException"/>).</summary>
    DropNewest,
}

/// <summary>One upcoming reconnection attempt, offered to <see cref="MqttReconnectOptions.DelayOverride"/>.</summary>
/// <param name="Attempt">1 for the first retry after a failure or disconnect, growing until a connection is stable.</param>
/// <param name="ComputedDelay">The exponential backoff delay with jitter the client would wait.</param>
/// <param name="LastDisconnect">How the last connection ended, if the failure was a disconnect.</param>
/// <param name="LastError">Why the last attempt failed, if it was a failed attempt.</param>
public sealed record MqttReconnectAttempt(int Attempt, TimeSpan ComputedDelay, MqttDisconnectInfo? LastDisconnect, Exception? LastError);

/// <summary>Backoff and queueing of <see cref="ReconnectingMqttClient"/>.</summary>
public sealed record MqttReconnectOptions
{
    /// <summary>Delay before the first retry.</summary>
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Largest delay between attempts (before jitter). 15 s, so a client is back within seconds of a broker restart:
    /// the defaults retry after about 1, 2, 4, 8, 15, 15, ... s.
    /// </summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Growth factor per failed attempt.</summary>
    public double Multiplier { get; init; } = 2.0;

    /// <summary>Random spread of each delay, as a fraction (0.2 = ±20%), so many clients do not retry in lockstep.</summary>
    public double Jitter { get; init; } = 0.2;

    /// <summary>A connection that lasted at least this long resets the backoff; shorter ones keep it growing (flapping, eviction).</summary>
    public TimeSpan StableConnectionTime { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>QoS 1/2 messages kept while disconnected.</summary>
    public int QueueCapacity { get; init; } = 10_000;

    /// <summary>What happens when the queue is full.</summary>
    public MqttQueueOverflowPolicy OverflowPolicy { get; init; } = MqttQueueOverflowPolicy.DropOldest;

    /// <summary>Lets the owner adjust or pause backoff: returns the delay to wait before the attempt (for example much longer after an eviction).</summary>
    public Func<MqttReconnectAttempt, TimeSpan>? DelayOverride { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the offending field.</summary>
    public void Validate()
    {
        if (InitialDelay < TimeSpan.Zero)
        {
            throw Invalid(nameof(InitialDelay), "must not be negative");
        }
        if (MaxDelay < InitialDelay)
        {
            throw Invalid(nameof(MaxDelay), "must be at least InitialDelay");
        }
        if (!(Multiplier >= 1.0) || double.IsInfinity(Multiplier))
        {
            throw Invalid(nameof(Multiplier), "must be at least 1");
        }
        if (!(Jitter is >= 0.0 and <= 1.0))
        {
            throw Invalid(nameof(Jitter), "must be between 0 and 1");
        }
        if (QueueCapacity < 0)
        {
            throw Invalid(nameof(QueueCapacity), "must not be negative");
        }
        if (!Enum.IsDefined(OverflowPolicy))
        {
            throw Invalid(nameof(OverflowPolicy), "must be DropOldest or DropNewest");
        }
    }

    /// <summary>The backoff delay before retry number <paramref name="attempt"/> (1-based), before jitter.</summary>
    public TimeSpan BaseDelay(int attempt)
    {
        var factor = Math.Pow(Multiplier, Math.Max(0, attempt - 1));
        var ticks = InitialDelay.Ticks * factor;
        return ticks >= MaxDelay.Ticks || double.IsInfinity(ticks) ? MaxDelay : TimeSpan.FromTicks((long)ticks);
    }

    private static ArgumentException Invalid(string field, string problem) => new($"MQTT reconnect option {field}: {problem}.", field);
}
