namespace Schlage2Mqtt.Schlage.Resilience;

/// <summary>
/// Client-side ceiling on calls per account: at most N calls in any sliding window (a log of
/// call times, not a token bucket, so no burst can exceed it), plus a pause honouring the
/// cloud's Retry-After. Callers wait up to a bound for room, then give up.
/// </summary>
internal sealed class CallBudget(int maxCalls, TimeSpan window, TimeProvider time)
{
    private readonly object _gate = new();
    private readonly Queue<DateTimeOffset> _calls = new();
    private DateTimeOffset _pausedUntil = DateTimeOffset.MinValue;

    /// <summary>Calls admitted so far.</summary>
    public long Admitted { get; private set; }

    /// <summary>
    /// Waits for room, at most <paramref name="maxWait"/>. Returns null when admitted, otherwise
    /// the time after which there would have been room.
    /// </summary>
    public async ValueTask<TimeSpan?> AcquireAsync(TimeSpan maxWait, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + maxWait;
        while (true)
        {
            DateTimeOffset next;
            DateTimeOffset now;
            lock (_gate)
            {
                now = time.GetUtcNow();
                while (_calls.Count > 0 && _calls.Peek() + window <= now)
                {
                    _calls.Dequeue();
                }
                if (_calls.Count < maxCalls && now >= _pausedUntil)
                {
                    _calls.Enqueue(now);
                    Admitted++;
                    return null;
                }
                next = _calls.Count >= maxCalls ? _calls.Peek() + window : now;
                if (_pausedUntil > next)
                {
                    next = _pausedUntil;
                }
            }
            if (next > deadline)
            {
                return next - now;
            }
            await Task.Delay(next - now, time, cancellationToken);
        }
    }

    /// <summary>Holds every call back until <paramref name="until"/> (the cloud said Retry-After).</summary>
    public void PauseUntil(DateTimeOffset until)
    {
        lock (_gate)
        {
            if (until > _pausedUntil)
            {
                _pausedUntil = until;
            }
        }
    }
}
