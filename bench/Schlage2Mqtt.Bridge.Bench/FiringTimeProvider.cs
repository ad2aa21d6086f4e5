namespace Schlage2Mqtt.Bridge.Bench;

/// <summary>
/// Wraps a manual clock and keeps track of its timers, so the driver can move the clock straight to the next timer
/// that is due (time-driven work then sees exactly the time it asked for) and can tell when the bridge is idle again:
/// no timer activity, and at least the timers an idle bridge keeps armed (its poll and health loops).
/// </summary>
internal sealed class FiringTimeProvider(TimeProvider inner) : TimeProvider
{
    private readonly object _gate = new();
    private readonly HashSet<TrackedTimer> _timers = [];
    private long _activity;

    /// <summary>Timer callbacks run plus timers created or changed so far: moves whenever time-driven work is under way.</summary>
    public long Activity => Interlocked.Read(ref _activity);

    /// <summary>Timers armed right now.</summary>
    public int Armed
    {
        get { lock (_gate) { return _timers.Count(t => t.DueAt is not null); } }
    }

    /// <summary>When the next armed timer is due, if any.</summary>
    public DateTimeOffset? NextDue
    {
        get { lock (_gate) { return _timers.Select(t => t.DueAt).Where(d => d is not null).Min(); } }
    }

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

    public override long GetTimestamp() => inner.GetTimestamp();

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Interlocked.Increment(ref _activity);
        var timer = new TrackedTimer(this, callback);
        lock (_gate)
        {
            _timers.Add(timer);
            timer.Arm(inner.GetUtcNow(), dueTime, period);
        }
        timer.Inner = inner.CreateTimer(timer.Fire, state, dueTime, period);
        return timer;
    }

    private sealed class TrackedTimer(FiringTimeProvider owner, TimerCallback callback) : ITimer
    {
        private TimeSpan _period;

        public ITimer? Inner { get; set; }

        public DateTimeOffset? DueAt { get; private set; }

        // Under the owner's gate.
        public void Arm(DateTimeOffset now, TimeSpan dueTime, TimeSpan period)
        {
            _period = period;
            DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : now + dueTime;
        }

        public void Fire(object? state)
        {
            lock (owner._gate)
            {
                DueAt = _period == Timeout.InfiniteTimeSpan || _period == TimeSpan.Zero ? null : owner.GetUtcNow() + _period;
            }
            Interlocked.Increment(ref owner._activity);
            callback(state);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            Interlocked.Increment(ref owner._activity);
            lock (owner._gate)
            {
                if (!owner._timers.Contains(this))
                {
                    return false;
                }
                Arm(owner.GetUtcNow(), dueTime, period);
            }
            return Inner?.Change(dueTime, period) ?? false;
        }

        public void Dispose()
        {
            lock (owner._gate)
            {
                owner._timers.Remove(this);
            }
            Inner?.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
