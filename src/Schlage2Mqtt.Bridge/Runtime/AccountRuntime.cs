using Schlage2Mqtt.Cloud;

namespace Schlage2Mqtt.Bridge.Runtime;

/// <summary>One cloud account at run time: its poll health, and on-demand poll requests for its poller.</summary>
internal sealed class AccountRuntime(ILockAccount account, string provider)
{
    private readonly object _gate = new();
    private TaskCompletionSource _wake = NewSignal();
    private List<TaskCompletionSource> _waiting = [];
    private TaskCompletionSource _pushLost = NewSignal();
    private bool _pushConnected;

    public ILockAccount Account { get; } = account;

    public string Provider { get; } = provider;

    public string Name => Account.Key;

    public DateTimeOffset? LastPollAt { get; private set; }

    public DateTimeOffset? LastSuccessAt { get; private set; }

    public bool? LastPollOk { get; private set; }

    public CloudFailure? LastFailure { get; private set; }

    public int ConsecutiveFailures { get; private set; }

    public long Polls { get; private set; }

    /// <summary>Healthy enough that its locks are reported by their own <c>connected</c> flag.</summary>
    public bool IsHealthy(int failedPollsBeforeOffline) =>
        Account.AuthState.Status != AuthStatus.ReauthRequired && ConsecutiveFailures < failedPollsBeforeOffline;

    /// <summary>Asks for a poll that starts after this call; completes when that poll is done.</summary>
    public Task RequestPollAsync(CancellationToken cancellationToken)
    {
        var done = NewSignal();
        lock (_gate)
        {
            _waiting.Add(done);
            _wake.TrySetResult();
        }
        return done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Completes when someone requests a poll.</summary>
    public Task WakeSignal
    {
        get { lock (_gate) { return _wake.Task; } }
    }

    /// <summary>Completes when the account's push channel stops being connected (the poller then polls at the normal pace).</summary>
    public Task PushLostSignal
    {
        get { lock (_gate) { return _pushLost.Task; } }
    }

    /// <summary>Called when the push channel changes state; losing a connected channel wakes the poller once.</summary>
    public void PushStateChanged(PushState state)
    {
        TaskCompletionSource? lost = null;
        lock (_gate)
        {
            if (state != PushState.Connected && _pushConnected)
            {
                // Edge-triggered: the poller wakes once on the loss, not on every wait while push stays down.
                lost = _pushLost;
                _pushLost = NewSignal();
            }
            _pushConnected = state == PushState.Connected;
        }
        lost?.TrySetResult();
    }

    /// <summary>Called by the poller as a poll starts: the requests made so far are served by this poll.</summary>
    public IReadOnlyList<TaskCompletionSource> BeginPoll()
    {
        lock (_gate)
        {
            var served = _waiting;
            _waiting = [];
            if (_wake.Task.IsCompleted)
            {
                _wake = NewSignal();
            }
            return served;
        }
    }

    /// <summary>Called by the poller when the cloud answered (before the answer is applied).</summary>
    public void RecordPoll(DateTimeOffset at, CloudFailure? failure)
    {
        lock (_gate)
        {
            LastPollAt = at;
            LastPollOk = failure is null;
            LastFailure = failure;
            if (failure is null)
            {
                LastSuccessAt = at;
                ConsecutiveFailures = 0;
            }
            else
            {
                ConsecutiveFailures++;
            }
        }
    }

    /// <summary>Called by the poller once the poll is applied and published: the requests it served are answered now.</summary>
    public void CompletePoll(IReadOnlyList<TaskCompletionSource> served)
    {
        lock (_gate)
        {
            Polls++;
        }
        foreach (var waiter in served)
        {
            waiter.TrySetResult();
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
