using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Bridge.Commands;
using Schlage2Mqtt.Bridge.Contract;
using Schlage2Mqtt.Cloud;

namespace Schlage2Mqtt.Bridge.Runtime;

/// <summary>
/// Carries out lock commands: publishes LOCKING/UNLOCKING at once, sends the command, then confirms by re-reading
/// the lock (first after <see cref="BridgeOptions.ConfirmFirstDelay"/>, then backing off) until the new state is seen
/// or <see cref="BridgeOptions.ConfirmTimeout"/> passes. On failure the last confirmed state is published again and
/// the reason goes to <c>bridge/log</c>. The same action arriving while one is in flight joins it (no second cloud
/// call); a different action waits its turn.
/// </summary>
internal sealed class CommandExecutor(LockStateHub hub, BridgeOptions options, BridgeLog log, BackgroundWork work, TimeProvider time, ILogger<CommandExecutor> logger)
{
    public async Task<CommandOutcome> LockAsync(LockEntry entry, LockAction action, CancellationToken cancellationToken)
    {
        while (true)
        {
            var (running, joins, mine, wake) = await hub.BeginCommandAsync(entry, action, cancellationToken);
            if (running is not null)
            {
                logger.LogDebug("{Action} of {Lock} {How} the command in flight", action, entry.TopicId, joins ? "joins" : "waits for");
                var result = await running.WaitAsync(cancellationToken);
                if (joins)
                {
                    // Coalesced: the duplicate shares the outcome of the command already under way.
                    return result;
                }
                continue;
            }

            CommandOutcome outcome;
            // The whole command, the write and every confirmation read included, ends by ConfirmTimeout: a slow cloud
            // (each read may take the request timeout, and reads are retried) must not stretch the answer past it.
            using var deadline = new CancellationTokenSource(options.ConfirmTimeout, time);
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
            try
            {
                outcome = await ExecuteAsync(entry, action, wake, bounded.Token);
            }
            catch (OperationCanceledException)
            {
                outcome = CommandOutcome.Failed(BridgeErrors.Timeout($"{Verb(action)} {entry.Name}"), null);
            }

            outcome = outcome with { State = await hub.EndCommandAsync(entry) };
            if (!outcome.Ok)
            {
                log.Warning($"{Verb(action)} {entry.Name} failed: {outcome.Error!.Message}", entry.TopicId, outcome.Error);
            }
            mine!.TrySetResult(outcome);
            return outcome;
        }
    }

    public async Task<CommandOutcome> ChangeSettingsAsync(LockEntry entry, LockSettingsChange change, CancellationToken cancellationToken)
    {
        if (change.AutoLockTime is { } seconds && entry.Cloud.AllowedAutoLockSeconds is { } allowed && !allowed.Contains(seconds))
        {
            var error = BridgeErrors.InvalidValue("auto_lock_time", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), $"{string.Join(", ", allowed)} seconds for {entry.Cloud.ModelName ?? "this model"}");
            log.Warning($"Auto-lock time of {entry.Name} not changed: {error.Message}", entry.TopicId, error);
            return CommandOutcome.Failed(error, entry.Published);
        }

        var steps = new List<(string What, Func<Task<CloudResult>> Call, Func<CloudLock, CloudLock> Apply)>();
        var account = entry.Account.Account;
        if (change.Beeper is { } beeper)
        {
            steps.Add(("beeper", () => account.SetBeeperAsync(entry.DeviceId, beeper, cancellationToken), c => c with { Beeper = beeper }));
        }
        if (change.LockAndLeave is { } lockAndLeave)
        {
            steps.Add(("1-touch locking", () => account.SetLockAndLeaveAsync(entry.DeviceId, lockAndLeave, cancellationToken), c => c with { LockAndLeave = lockAndLeave }));
        }
        if (change.AutoLockTime is { } autoLock)
        {
            steps.Add(("auto-lock time", () => account.SetAutoLockTimeAsync(entry.DeviceId, autoLock, cancellationToken), c => c with { AutoLockSeconds = autoLock }));
        }

        foreach (var (what, call, apply) in steps)
        {
            var result = await call();
            if (!result.IsSuccess && !result.IsOutcomeUnknown)
            {
                var error = CloudErrors.ToBridgeError(result.Failure, $"Setting {what}");
                log.Warning($"Setting {what} of {entry.Name} failed: {error.Message}", entry.TopicId, error);
                return CommandOutcome.Failed(error, entry.Published);
            }
            // The cloud applied it (or may have): show it now; the next poll corrects an outcome-unknown that did not apply.
            await hub.ApplySettingAsync(entry, apply, cancellationToken);
        }
        return CommandOutcome.Success(entry.Published);
    }

    /// <summary>
    /// Reads one lock now and publishes it. Reads of the same lock coalesce: while one is in flight every caller shares
    /// it, and one that finished less than <see cref="BridgeOptions.MinRefreshInterval"/> ago answers with what it read.
    /// </summary>
    public Task<CommandOutcome> RefreshAsync(LockEntry entry, CancellationToken cancellationToken)
    {
        // Not the caller's token: the shared read must not end because the first requester went away.
        var read = entry.SharedRead(() => ReadAsync(entry, work.Stopping), time, options.MinRefreshInterval, out var recent);
        if (recent)
        {
            logger.LogDebug("Read of {Lock} answered from a read less than {Interval} ago", entry.TopicId, options.MinRefreshInterval);
        }
        return read.WaitAsync(cancellationToken);
    }

    private async Task<CommandOutcome> ReadAsync(LockEntry entry, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var result = await entry.Account.Account.GetLockAsync(entry.DeviceId, cancellationToken);
        if (!result.IsSuccess)
        {
            return CommandOutcome.Failed(CloudErrors.ToBridgeError(result.Failure, "Reading the lock"), entry.Published);
        }
        // Published even unchanged: whoever asked wants the state topic to answer too.
        return CommandOutcome.Success(await hub.ApplyReadAsync(entry, result.Value!, answer: true, cancellationToken));
    }

    private async Task<CommandOutcome> ExecuteAsync(LockEntry entry, LockAction action, Task wake, CancellationToken cancellationToken)
    {
        var account = entry.Account.Account;
        var target = LockStateMapper.Target(action);
        var what = $"{Verb(action)} {entry.Name}";
        var sent = await account.SetLockedAsync(entry.DeviceId, action == LockAction.Lock, cancellationToken);
        if (!sent.IsSuccess && !sent.IsOutcomeUnknown)
        {
            return CommandOutcome.Failed(CloudErrors.ToBridgeError(sent.Failure, what), null);
        }

        var deadline = time.GetUtcNow() + options.ConfirmTimeout;
        var delay = options.ConfirmFirstDelay;
        CloudFailure? lastReadFailure = null;
        while (true)
        {
            var remaining = deadline - time.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                break;
            }
            using (var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                await Task.WhenAny(Task.Delay(delay < remaining ? delay : remaining, time, wait.Token), wake);
                cancellationToken.ThrowIfCancellationRequested();
                await wait.CancelAsync();
            }
            if (wake.IsCompleted)
            {
                wake = entry.ConfirmNowSignal;
            }
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.ConfirmMaxDelay.Ticks));

            // A poll may already have seen it; otherwise read this one lock.
            if (entry.Cloud.State == target)
            {
                return CommandOutcome.Success(null);
            }
            var read = await account.GetLockAsync(entry.DeviceId, cancellationToken);
            if (!read.IsSuccess)
            {
                lastReadFailure = read.Failure;
                continue;
            }
            // The hub publishes what the read shows (the confirmed state once the lock got there); the end of the
            // command publishes again only if clearing the in-flight action changes what is shown.
            await hub.ApplyReadAsync(entry, read.Value!, answer: false, cancellationToken);
            if (read.Value!.State == target)
            {
                return CommandOutcome.Success(null);
            }
            if (read.Value.State == LockState.Jammed)
            {
                return CommandOutcome.Failed(new BridgeError("jammed", $"{entry.Name} is jammed.", "Check the door and the bolt; operate the lock by hand once."), null);
            }
            if (read.Value.Connected == false)
            {
                return CommandOutcome.Failed(BridgeErrors.LockOffline(), null);
            }
        }
        if (lastReadFailure is { Kind: CloudFailureKind.Unauthorized or CloudFailureKind.ReauthRequired })
        {
            return CommandOutcome.Failed(CloudErrors.ToBridgeError(lastReadFailure, what), null);
        }
        return CommandOutcome.Failed(sent.IsOutcomeUnknown ? BridgeErrors.OutcomeUnknown(what) : BridgeErrors.Timeout(what), null);
    }

    private static string Verb(LockAction action) => action == LockAction.Lock ? "Locking" : "Unlocking";
}
