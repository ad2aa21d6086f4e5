namespace Schlage2Mqtt.Schlage.Resilience;

/// <summary>
/// Client-side ceiling on calls per account: at most N calls in any window, plus a pause honouring the cloud's
/// Retry-After. A call holds its slot from admission until one window after it COMPLETES: the cloud counts calls
/// when they arrive, which can be later than when they were admitted, and holding the slot that long means no window
/// of arrivals can ever hold more than N. Callers wait up to a bound for room, then give up.
/// </summary>
internal sealed class CallBudget(int maxCalls, TimeSpan window, TimeProvider time)
{
    private readonly object _gate = new();
    private readonly List<BudgetSlot> _slots = [];
    private TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DateTimeOffset _pausedUntil = DateTimeOffset.MinValue;

    private readonly int _readLimit = maxCalls <= 1 ? maxCalls : maxCalls - Math.Max(1, maxCalls / 5);

    /// <summary>Until when the cloud's Retry-After holds calls back (in the past when it does not).</summary>
    public DateTimeOffset PausedUntil
    {
        get { lock (_gate) { return _pausedUntil; } }
    }

    /// <summary>Calls admitted so far.</summary>
    public long Admitted { get; private set; }

    /// <summary>
    /// Waits for room, at most <paramref name="maxWait"/>. Returns the slot to <see cref="Release"/> when admitted,
    /// otherwise the time after which there would have been room.
    /// </summary>
    public async ValueTask<(BudgetSlot? Slot, TimeSpan? RetryAfter)> AcquireAsync(TimeSpan maxWait, CancellationToken cancellationToken, bool priority = false)
    {
        var limit = priority ? maxCalls : _readLimit;
        var deadline = time.GetUtcNow() + maxWait;
        while (true)
        {
            DateTimeOffset? next;
            DateTimeOffset now;
            Task released;
            lock (_gate)
            {
                now = time.GetUtcNow();
                _slots.RemoveAll(s => s.FreeAt is { } free && free <= now);
                if (_slots.Count < limit && now >= _pausedUntil)
                {
                    var slot = new BudgetSlot();
                    _slots.Add(slot);
                    Admitted++;
                    return (slot, null);
                }
                // Full: room comes when the earliest completed call leaves the window, or when one completes.
                next = _slots.Count >= limit ? _slots.Where(s => s.FreeAt is not null).Min(s => s.FreeAt) : now;
                if (_pausedUntil > (next ?? DateTimeOffset.MinValue))
                {
                    next = _pausedUntil;
                }
                released = _released.Task;
            }
            if (next > deadline)
            {
                return (null, next - now);
            }
            var remaining = deadline - now;
            if (remaining <= TimeSpan.Zero)
            {
                return (null, next is { } n ? n - now : window);
            }
            var wait = next is { } at && at - now < remaining ? at - now : remaining;
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            await Task.WhenAny(Task.Delay(wait, time, cts.Token), released.WaitAsync(cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
            await cts.CancelAsync();
        }
    }

    /// <summary>Marks the call done: its slot frees one window from now.</summary>
    public void Release(BudgetSlot slot)
    {
        TaskCompletionSource released;
        lock (_gate)
        {
            slot.FreeAt = time.GetUtcNow() + window;
            released = _released;
            _released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        released.TrySetResult();
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

/// <summary>One admitted call's place in the budget; in flight until released.</summary>
internal sealed class BudgetSlot
{
    /// <summary>When the slot leaves the window; null while the call is in flight.</summary>
    public DateTimeOffset? FreeAt { get; set; }
}
