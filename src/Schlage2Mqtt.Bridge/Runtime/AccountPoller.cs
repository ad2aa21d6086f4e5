using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Bridge.Contract;
using Schlage2Mqtt.Cloud;

namespace Schlage2Mqtt.Bridge.Runtime;

/// <summary>
/// The single poll scheduler of one account: one list call per interval (with jitter, so accounts drift apart),
/// polling early when asked. Never one timer per lock.
/// </summary>
internal sealed class AccountPoller(AccountRuntime account, LockStateHub hub, BridgeEvents events, BridgeOptions options, BridgeLog log, TimeProvider time, Random random, ILogger logger)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await PollOnceAsync(cancellationToken);
            var push = account.Account.Push;
            var delay = Jittered(push?.State == PushState.Connected ? options.PushPollInterval : options.PollInterval);
            var wake = account.WakeSignal;
            // A push channel that drops wakes the poller: polling covers the gap at the normal pace at once.
            var pushLost = account.PushLostSignal;
            using var waitCancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var sleep = Task.Delay(delay, time, waitCancel.Token);
            await Task.WhenAny(sleep, wake, pushLost, Task.Delay(Timeout.Infinite, cancellationToken));
            await waitCancel.CancelAsync();
        }
    }

    public async Task PollOnceAsync(CancellationToken cancellationToken)
    {
        var served = account.BeginPoll();
        CloudResult<IReadOnlyList<CloudLock>> result;
        try
        {
            result = await account.Account.ListLocksAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            account.CompletePoll(served);
            return;
        }
        var wasOk = account.LastPollOk;
        account.RecordPoll(time.GetUtcNow(), result.Failure);
        ReportTransition(wasOk, result.Failure);

        await hub.ApplyPollAsync(account, result, cancellationToken);
        account.CompletePoll(served);
        events.Raise(new AccountPolled(account, result.IsSuccess));
    }

    private void ReportTransition(bool? wasOk, CloudFailure? failure)
    {
        if (failure is null)
        {
            if (wasOk == false)
            {
                logger.LogInformation("Account {Account} is reachable again", account.Name);
            }
            return;
        }
        if (wasOk != false)
        {
            // Once per outage, not once per poll.
            var error = CloudErrors.ToBridgeError(failure, "Reading the locks");
            log.Warning($"Cannot read the locks of account {account.Name}: {failure.Message}", null, error);
        }
        else
        {
            logger.LogDebug("Account {Account} still failing: {Failure}", account.Name, failure);
        }
    }

    private TimeSpan Jittered(TimeSpan interval)
    {
        var factor = 1 + ((random.NextDouble() * 2) - 1) * options.PollJitter;
        return TimeSpan.FromTicks((long)(interval.Ticks * factor));
    }
}
