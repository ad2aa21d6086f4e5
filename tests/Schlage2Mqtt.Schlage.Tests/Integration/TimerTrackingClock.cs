using Schlage2Mqtt.TestSupport;

namespace Schlage2Mqtt.Schlage.Tests.Integration;

/// <summary>
/// The shared <see cref="ManualTimeProvider"/> as the client and the simulator see it, plus the one thing the
/// clock driver needs from it: when the next timer falls due. Moving the clock straight to that instant, never
/// past it, means a call a timer releases (a retry, a budget waiter) is on the wire before the clock moves on,
/// so the simulator stamps it with the time the client sent it.
/// </summary>
public sealed class TimerTrackingClock(ManualTimeProvider inner) : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly HashSet<TrackedTimer> _timers = [];

    /// <summary>The clock that moves (<see cref="ManualTimeProvider.Advance"/>).</summary>
    public ManualTimeProvider Inner { get; } = inner;

    /// <summary>When the earliest armed timer falls due; null when none is armed.</summary>
    public DateTimeOffset? NextDueAt
    {
        get
        {
            lock (_gate)
            {
                return _timers.Select(t => t.DueAt).Where(d => d is not null).Min();
            }
        }
    }

    /// <summary>
    /// Whether a timer is armed to fall due at <paramref name="at"/> (a wait someone announced has begun). Within a
    /// millisecond before it: <c>Task.Delay</c> with a time provider truncates its delay to whole milliseconds.
    /// </summary>
    public bool HasTimerDueAt(DateTimeOffset at)
    {
        lock (_gate)
        {
            return _timers.Any(t => t.DueAt is { } due && due <= at && at - due < TimeSpan.FromMilliseconds(1));
        }
    }

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => Inner.GetUtcNow();

    /// <inheritdoc />
    public override long GetTimestamp() => Inner.GetTimestamp();

    /// <inheritdoc />
    public override long TimestampFrequency => Inner.TimestampFrequency;

    /// <inheritdoc />
    public override TimeZoneInfo LocalTimeZone => Inner.LocalTimeZone;

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new TrackedTimer(this, callback, state);
        lock (_gate)
        {
            _timers.Add(timer);
        }
        timer.Inner = Inner.CreateTimer(static s => ((TrackedTimer)s!).Fire(), timer, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        timer.Change(dueTime, period);
        return timer;
    }

    private sealed class TrackedTimer(TimerTrackingClock owner, TimerCallback callback, object? state) : ITimer
    {
        private TimeSpan _period = Timeout.InfiniteTimeSpan;

        public ITimer Inner { get; set; } = null!;

        public DateTimeOffset? DueAt { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._gate)
            {
                _period = period;
                DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : owner.GetUtcNow() + dueTime;
            }
            return Inner.Change(dueTime, period);
        }

        public void Fire()
        {
            lock (owner._gate)
            {
                DueAt = _period == Timeout.InfiniteTimeSpan || _period == TimeSpan.Zero ? null : owner.GetUtcNow() + _period;
            }
            callback(state);
        }

        public void Dispose()
        {
            lock (owner._gate)
            {
                owner._timers.Remove(this);
            }
            Inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
