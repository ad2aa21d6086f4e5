using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Bridge.Contract;
using Schlage2Mqtt.Bridge.Runtime;
using Schlage2Mqtt.Bridge.Topics;
using Schlage2Mqtt.Mqtt;
using Schlage2Mqtt.Cloud;

namespace Schlage2Mqtt.Bridge.AccessCodes;

/// <summary>
/// The access-code lifecycle. Every request becomes an operation stored before the cloud is called. One worker per
/// lock sends writes one at a time (a lock programs one code at a time) and confirms them by reading the lock's code
/// list, never by re-sending blindly: a change the list shows is settled <c>set</c>/<c>removed</c>; one it does not show
/// is re-sent a bounded number of times, and only after a read proved it missing; the cloud's refusals are classified
/// (split brain, Nack, timeout, schedule, user not found) and settle <c>failed</c> with the hint. A restart resumes every
/// operation from the store; one caught mid-send is confirmed by reading first.
/// </summary>
internal sealed class AccessCodeManager : IDisposable
{
    private static readonly TimeSpan ListFreshFor = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan KeepSettled = TimeSpan.FromHours(24);
    private static readonly TimeSpan MaxCheckGap = TimeSpan.FromSeconds(60);

    private readonly BridgeOptions _options;
    private readonly LockRegistry _registry;
    private readonly BridgePublisher _publisher;
    private readonly BridgeTopics _topics;
    private readonly BridgeLog _log;
    private readonly BackgroundWork _work;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CodeOperationStore _store;
    private readonly Dictionary<string, LockCodes> _locks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TaskCompletionSource<CodeOperation>> _waiters = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    public AccessCodeManager(BridgeOptions options, LockRegistry registry, BridgePublisher publisher, BridgeTopics topics, BridgeLog log,
        BackgroundWork work, Bridge.State.StateStore? store, TimeProvider time, ILogger logger)
    {
        _options = options;
        _registry = registry;
        _publisher = publisher;
        _topics = topics;
        _log = log;
        _work = work;
        _time = time;
        _logger = logger;
        _store = new CodeOperationStore(store);
    }

    /// <summary>Resumes every unfinished operation found in the store.</summary>
    public void Resume()
    {
        foreach (var deviceId in _store.All.Where(o => !o.IsSettled).Select(o => o.DeviceId).Distinct())
        {
            _logger.LogInformation("Resuming unfinished access-code operations of lock {DeviceId}", deviceId);
            Wake(deviceId);
        }
    }

    public void Dispose() => _store.Dispose();

    /// <summary>The name of a code as last read from the cloud, if known.</summary>
    public string? NameOf(string deviceId, string codeId) =>
        State(deviceId).Codes?.FirstOrDefault(c => c.Id == codeId)?.Name
        ?? _store.All.Where(o => o.DeviceId == deviceId && o.CodeId == codeId).OrderBy(o => o.CreatedAt).LastOrDefault()?.Name;

    /// <summary>
    /// Called when the lock's own activity log mentions a code (used at the keypad, or "access code added" logged by the
    /// lock): proof the lock has it. A code kept as <c>no_ack</c> because the cloud listed it after a Nack becomes set.
    /// </summary>
    public void ProvenOnLock(string deviceId, string codeId)
    {
        var waiting = _store.All
            .Where(o => o.DeviceId == deviceId && o.CodeId == codeId && o.Kind != CodeOperationKind.Delete
                && o.Status == CodeStatus.Failed && o.ErrorCode == AccessCodeErrorCodes.NoAck)
            .OrderBy(o => o.CreatedAt).LastOrDefault();
        if (waiting is null || _registry.Find(deviceId) is not { } entry)
        {
            return;
        }
        _work.Run($"access code {codeId} proven on {entry.TopicId}", async ct =>
        {
            _logger.LogInformation("The lock's log shows access code '{Name}' on {Lock}: it is set", waiting.Name, entry.TopicId);
            await SettleAsync(entry, waiting, CodeStatus.Set, null, null, ct);
            Publish(entry);
        });
    }

    /// <summary>True when the bridge itself changed this code recently (its own activity event already told).</summary>
    public bool ChangedByBridge(string deviceId, string codeId) =>
        _store.All.Any(o => o.DeviceId == deviceId && o.CodeId == codeId && o.SettledAt > _time.GetUtcNow() - TimeSpan.FromHours(1));

    public async Task<Requests.RequestResult> ListAsync(LockEntry entry, CancellationToken cancellationToken)
    {
        var (codes, failure) = await ReadAsync(entry, cancellationToken);
        var view = CodeView.Node(Publish(entry));
        return failure is null ? Requests.RequestResult.Ok(view) : Requests.RequestResult.Fail(CloudErrors.ToBridgeError(failure, "Reading the codes"), view);
    }

    public async Task<Requests.RequestResult> SyncAsync(LockEntry entry, CancellationToken cancellationToken)
    {
        var (_, failure) = await ReadAsync(entry, cancellationToken);
        // The user has seen the failures; a sync starts a clean slate, and pending work is looked at now.
        foreach (var operation in _store.All.Where(o => o.DeviceId == entry.DeviceId))
        {
            if (operation.IsSettled)
            {
                await _store.SaveAsync(operation with { SettledAt = DateTimeOffset.MinValue }, cancellationToken);
            }
            else if (operation.Phase == CodeOperationPhase.Sent)
            {
                await _store.SaveAsync(operation with { NextCheckAt = _time.GetUtcNow() }, cancellationToken);
            }
        }
        await _store.PruneAsync(_time.GetUtcNow() - KeepSettled, cancellationToken);
        Wake(entry.DeviceId);
        var view = CodeView.Node(Publish(entry));
        return failure is null ? Requests.RequestResult.Ok(view) : Requests.RequestResult.Fail(CloudErrors.ToBridgeError(failure, "Reading the codes"), view);
    }

    public async Task<Requests.RequestResult> SubmitAsync(LockEntry entry, CodeOperationKind kind, string? target, CodeChanges? changes, CancellationToken cancellationToken,
        string? requestId = null)
    {
        if (requestId is not null && _store.Get(requestId) is { } already)
        {
            // A journalled request replayed after a crash that had already become this operation: answer, never redo.
            _logger.LogInformation("Access code request {Operation} was already accepted before the restart; answering with its status", requestId);
            return await AnswerAsync(entry, already, cancellationToken);
        }
        CodeOperation operation;
        var state = State(entry.DeviceId);
        await state.Gate.WaitAsync(cancellationToken);
        try
        {
            if (state.Codes is null || _time.GetUtcNow() - state.ReadAt > ListFreshFor)
            {
                var (_, failure) = await ReadUnlockedAsync(entry, state, cancellationToken);
                if (failure is not null && state.Codes is null)
                {
                    return Requests.RequestResult.Fail(CloudErrors.ToBridgeError(failure, "Reading the lock's codes"));
                }
            }
            var pending = _store.All.Where(o => o.DeviceId == entry.DeviceId && !o.IsSettled).ToList();
            CloudAccessCode? existing = null;
            CodeOperation? queuedFor = null;
            if (kind != CodeOperationKind.Add)
            {
                existing = state.Codes!.FirstOrDefault(c => c.Id == target)
                    ?? state.Codes!.FirstOrDefault(c => string.Equals(c.Name, target, StringComparison.OrdinalIgnoreCase));
                // A code still being added (or changed) can be changed again: the new operation waits its turn.
                queuedFor = pending.LastOrDefault(o => (target is not null && o.CodeId == target)
                    || string.Equals(o.Name, target, StringComparison.OrdinalIgnoreCase)
                    || (existing is not null && o.CodeId == existing.Id));
                if (queuedFor?.Kind == CodeOperationKind.Delete || (existing is null && queuedFor is null))
                {
                    return Requests.RequestResult.Fail(AccessCodeErrorCodes.Error(AccessCodeErrorCodes.UnknownCode,
                        queuedFor is null ? $"{entry.Name} has no code with id or name '{Show(target)}'." : $"The code '{Show(target)}' is being deleted."));
                }
            }
            var selfName = queuedFor?.Name ?? existing?.Name;
            if (kind == CodeOperationKind.Update && queuedFor is null && existing is not null
                && changes is { Name: null, Pin: null, Schedule: null, NotifyOnUse: { } notify })
            {
                // Notify-on-use is a separate notification object: toggling it does not touch the code on the lock.
                var toggled = await entry.Account.Account.SetAccessCodeNotificationAsync(entry.DeviceId, existing.Id, existing.Name ?? "", notify, cancellationToken);
                if (!toggled.IsSuccess)
                {
                    return Requests.RequestResult.Fail(CloudErrors.ToBridgeError(toggled.Failure, "Changing notify-on-use"));
                }
                await ReadUnlockedAsync(entry, state, cancellationToken);
                var view = CodeView.Of(state.Codes!.FirstOrDefault(c => c.Id == existing.Id) ?? existing, null, _options.ExposeCodes, Offset(existing.Id))
                    with { NotifyOnUse = notify, Lock = entry.TopicId };
                _logger.LogInformation("Notify-on-use of '{Name}' on {Lock} turned {State}", existing.Name, entry.TopicId, notify ? "on" : "off");
                Publish(entry);
                return Requests.RequestResult.Ok(CodeView.Node(view));
            }
            if (changes is not null)
            {
                var known = state.Codes!.Select(c => new CodeValidator.Existing(c.Id, c.Name, c.Code))
                    .Concat(pending.Where(o => o.Kind == CodeOperationKind.Add && (o.CodeId is null || state.Codes!.All(c => c.Id != o.CodeId)))
                        .Select(o => new CodeValidator.Existing(o.CodeId, o.Name, o.Pin)))
                    .Where(e => !pending.Any(o => o.Kind == CodeOperationKind.Delete && ((e.Id is not null && o.CodeId == e.Id) || string.Equals(o.Name, e.Name, StringComparison.OrdinalIgnoreCase))))
                    .Where(e => kind == CodeOperationKind.Add || !string.Equals(e.Name, selfName, StringComparison.OrdinalIgnoreCase))
                    .ToList();
                var error = CodeValidator.Validate(changes, kind == CodeOperationKind.Add, entry.Cloud, known, existing?.Id);
                if (error is not null)
                {
                    return Requests.RequestResult.Fail(error);
                }
            }

            var schedule = changes?.Schedule
                ?? (queuedFor?.ScheduleJson is { } queuedSchedule ? ParseStored(queuedSchedule) : null)
                ?? (existing is null ? new CodeSchedule.Always() : ScheduleMapper.FromCloud(existing.ActivationSecs, existing.ExpirationSecs, existing.Schedule1, existing.Schedule2, Offset(existing.Id)));
            if (kind == CodeOperationKind.Update && schedule is CodeSchedule.Custom)
            {
                return Requests.RequestResult.Fail(AccessCodeErrorCodes.Error(AccessCodeErrorCodes.InvalidSchedule, $"'{selfName}' has a schedule made in the Schlage app that this bridge cannot express; give a schedule with the update."));
            }
            var pin = changes?.Pin ?? queuedFor?.Pin ?? existing?.Code;
            if (kind == CodeOperationKind.Update && string.IsNullOrEmpty(pin))
            {
                return Requests.RequestResult.Fail(AccessCodeErrorCodes.Error(AccessCodeErrorCodes.InvalidCode, "The cloud does not reveal this code's PIN, so an update must give code."));
            }
            operation = new CodeOperation
            {
                Id = requestId ?? "op-" + Guid.NewGuid().ToString("N")[..12],
                Kind = kind,
                DeviceId = entry.DeviceId,
                CodeId = existing?.Id ?? queuedFor?.CodeId,
                Name = changes?.Name ?? selfName,
                Pin = kind == CodeOperationKind.Delete ? null : pin,
                ScheduleJson = kind == CodeOperationKind.Delete ? null : ScheduleJson.Write(schedule).ToJsonString(),
                NotifyOnUse = changes?.NotifyOnUse,
                AccessorType = changes?.AccessorType,
                Status = kind == CodeOperationKind.Delete ? CodeStatus.Removing : CodeStatus.Setting,
                Phase = CodeOperationPhase.Queued,
                CreatedAt = _time.GetUtcNow(),
            };
            // Durable before anything is sent: a crash from here on resumes this operation, never loses it.
            await _store.SaveAsync(operation, cancellationToken);
        }
        finally
        {
            state.Gate.Release();
        }

        _logger.LogInformation("Access code {Kind} '{Name}' on {Lock} accepted as {Operation}", operation.Kind, operation.Name, entry.TopicId, operation.Id);
        return await AnswerAsync(entry, operation, cancellationToken);
    }

    // Answers when the operation settles, or after the response timeout with its current status.
    private async Task<Requests.RequestResult> AnswerAsync(LockEntry entry, CodeOperation operation, CancellationToken cancellationToken)
    {
        if (operation.IsSettled)
        {
            return Result(entry, operation);
        }
        var settled = Waiter(operation.Id);
        Publish(entry);
        Wake(entry.DeviceId);
        var finished = await Task.WhenAny(settled, Task.Delay(_options.AccessCodeResponseTimeout, _time, cancellationToken)) == settled;
        var current = finished ? await settled : _store.Get(operation.Id) ?? operation;
        return Result(entry, current);
    }

    private Requests.RequestResult Result(LockEntry entry, CodeOperation current)
    {
        var data = OperationData(entry, current);
        return current.Status == CodeStatus.Failed
            ? Requests.RequestResult.Fail(new BridgeError(current.ErrorCode!, current.ErrorMessage ?? current.ErrorCode!, AccessCodeErrorCodes.Hint(current.ErrorCode!)), data)
            : Requests.RequestResult.Ok(data);
    }

    private JsonNode OperationData(LockEntry entry, CodeOperation operation)
    {
        var state = State(entry.DeviceId);
        var code = operation.CodeId is null ? null : state.Codes?.FirstOrDefault(c => c.Id == operation.CodeId);
        var view = code is null ? CodeView.Of(operation, _options.ExposeCodes) : CodeView.Of(code, operation, _options.ExposeCodes, Offset(code.Id));
        return CodeView.Node(view with { Status = operation.Status, OperationId = operation.Id, Lock = entry.TopicId });
    }

    private void Wake(string deviceId)
    {
        var state = State(deviceId);
        lock (state)
        {
            state.WakeSignal.TrySetResult();
            if (state.Running)
            {
                return;
            }
            state.Running = true;
        }
        _work.Run($"access codes of {deviceId}", ct => RunWorkerAsync(deviceId, ct));
    }

    private async Task RunWorkerAsync(string deviceId, CancellationToken cancellationToken)
    {
        var state = State(deviceId);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                Task wake;
                lock (state)
                {
                    wake = state.WakeSignal.Task;
                }
                var next = await StepAsync(deviceId, cancellationToken);
                if (next is null)
                {
                    lock (state)
                    {
                        if (!state.WakeSignal.Task.IsCompleted)
                        {
                            state.Running = false;
                            return;
                        }
                        state.WakeSignal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    }
                    continue;
                }
                var delay = next.Value - _time.GetUtcNow();
                if (delay > TimeSpan.Zero)
                {
                    using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    await Task.WhenAny(Task.Delay(delay, _time, cts.Token), wake);
                    await cts.CancelAsync();
                }
                lock (state)
                {
                    if (state.WakeSignal.Task.IsCompleted)
                    {
                        state.WakeSignal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    }
                }
            }
        }
        finally
        {
            lock (state)
            {
                state.Running = false;
            }
        }
    }

    /// <summary>Does what is due for one lock; returns when to look again, or null when nothing is pending.</summary>
    private async Task<DateTimeOffset?> StepAsync(string deviceId, CancellationToken cancellationToken)
    {
        var entry = _registry.DeviceIds.Contains(deviceId) ? _registry.Find(deviceId) : null;
        var pending = _store.All.Where(o => o.DeviceId == deviceId && !o.IsSettled).ToList();
        if (pending.Count == 0)
        {
            await _store.PruneAsync(_time.GetUtcNow() - KeepSettled, cancellationToken);
            return null;
        }
        if (entry is null)
        {
            // After a restart the lock is known once the first poll is in; a lock gone for good fails its operations.
            if (_registry.Entries.Count > 0 && _time.GetUtcNow() - pending.Min(o => o.CreatedAt) > _options.AccessCodeConfirmTimeout)
            {
                foreach (var operation in pending)
                {
                    await SettleAsync(null, operation, CodeStatus.Failed, AccessCodeErrorCodes.UnknownCode, "The lock is no longer on any account.", cancellationToken);
                }
                return null;
            }
            return _time.GetUtcNow() + TimeSpan.FromSeconds(5);
        }

        var state = State(deviceId);
        await state.Gate.WaitAsync(cancellationToken);
        try
        {
            var now = _time.GetUtcNow();
            // A crash mid-send: nobody knows whether it arrived, so it is confirmed by reading, not re-sent.
            foreach (var interrupted in pending.Where(o => o.Phase == CodeOperationPhase.Sending))
            {
                await _store.SaveAsync(interrupted with { Phase = CodeOperationPhase.Sent, NextCheckAt = now, LastWriteFailure = interrupted.LastWriteFailure ?? "interrupted by a restart" }, cancellationToken);
            }

            // Confirm what was sent (one list read serves every due operation of the lock).
            var due = _store.All.Where(o => o.DeviceId == deviceId && o.Phase == CodeOperationPhase.Sent && (o.NextCheckAt ?? now) <= now).ToList();
            if (due.Count > 0)
            {
                var (codes, failure) = await ReadUnlockedAsync(entry, state, cancellationToken);
                foreach (var operation in due)
                {
                    await ConfirmAsync(entry, operation, codes, failure, cancellationToken);
                }
            }

            // Send the next queued write, one at a time; a change waits until earlier ones on the same code have settled.
            var open = _store.All.Where(o => o.DeviceId == deviceId && !o.IsSettled).OrderBy(o => o.CreatedAt).ToList();
            var queued = open.FirstOrDefault(o => o.Phase == CodeOperationPhase.Queued && (o.NextCheckAt ?? now) <= now
                && !open.TakeWhile(earlier => earlier.Id != o.Id).Any(earlier => SameCode(earlier, o)));
            if (queued is not null)
            {
                await SendAsync(entry, state, queued, cancellationToken);
            }
        }
        finally
        {
            state.Gate.Release();
        }
        Publish(entry);

        var remaining = _store.All.Where(o => o.DeviceId == deviceId && !o.IsSettled).ToList();
        if (remaining.Count == 0)
        {
            return null;
        }
        var soonest = remaining.Min(o => o.NextCheckAt ?? _time.GetUtcNow());
        return soonest;
    }

    private async Task SendAsync(LockEntry entry, LockCodes state, CodeOperation operation, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (operation.Kind != CodeOperationKind.Add && operation.CodeId is null)
        {
            // Queued behind the add that creates the code: its id is known now (or the add failed).
            var created = _store.All.Where(o => o.DeviceId == operation.DeviceId && o.Kind == CodeOperationKind.Add && o.Status == CodeStatus.Set
                && string.Equals(o.Name, operation.Name, StringComparison.OrdinalIgnoreCase)).OrderBy(o => o.CreatedAt).LastOrDefault()?.CodeId
                ?? state.Codes?.FirstOrDefault(c => string.Equals(c.Name, operation.Name, StringComparison.OrdinalIgnoreCase))?.Id;
            if (created is null)
            {
                await SettleAsync(entry, operation, CodeStatus.Failed, AccessCodeErrorCodes.UnknownCode, $"The code '{operation.Name}' was never created, so it cannot be changed.", cancellationToken);
                return;
            }
            operation = operation with { CodeId = created };
        }
        var sending = operation with { Phase = CodeOperationPhase.Sending, Attempts = operation.Attempts + 1, SentAt = now, Checks = 0 };
        await _store.SaveAsync(sending, cancellationToken);
        var account = entry.Account.Account;
        CloudResult result;
        string? newId = null;
        switch (operation.Kind)
        {
            case CodeOperationKind.Add:
                var added = await account.AddAccessCodeAsync(entry.DeviceId, ToCloud(operation), cancellationToken);
                newId = added.IsSuccess ? added.Value : null;
                result = added;
                break;
            case CodeOperationKind.Update:
                result = await account.UpdateAccessCodeAsync(entry.DeviceId, operation.CodeId!, ToCloud(operation), cancellationToken);
                break;
            default:
                result = await account.DeleteAccessCodeAsync(entry.DeviceId, operation.CodeId!, cancellationToken);
                break;
        }

        if (result.IsSuccess || result.IsOutcomeUnknown)
        {
            await _store.SaveAsync(sending with
            {
                Phase = CodeOperationPhase.Sent,
                CodeId = newId ?? sending.CodeId,
                NextCheckAt = now + _options.AccessCodeFirstCheck,
                LastWriteFailure = result.Failure?.CloudMessage ?? result.Failure?.Message,
                LastWriteStatus = result.Failure?.HttpStatus,
            }, cancellationToken);
            return;
        }

        var failure = result.Failure!;
        var code = AccessCodeErrorCodes.Classify(failure);
        if (code is null or AccessCodeErrorCodes.Unauthorized && now - operation.CreatedAt < _options.AccessCodeConfirmTimeout)
        {
            // Throttled, unreachable or signed out: nothing was changed; try again later, without using up an attempt.
            var wait = failure.RetryAfter ?? TimeSpan.FromSeconds(10);
            await _store.SaveAsync(operation with { Phase = CodeOperationPhase.Queued, NextCheckAt = now + wait, LastWriteFailure = failure.CloudMessage ?? failure.Message }, cancellationToken);
            return;
        }
        if (code == AccessCodeErrorCodes.SplitBrain && operation.Kind == CodeOperationKind.Add)
        {
            // "Already in use": ours from an earlier attempt, a plain duplicate, or the lock and cloud disagreeing. Look.
            var (codes, _) = await ReadUnlockedAsync(entry, state, cancellationToken);
            var sameName = codes?.FirstOrDefault(c => string.Equals(c.Name, operation.Name, StringComparison.OrdinalIgnoreCase));
            if (sameName is not null && Matches(sameName, operation))
            {
                await SettleAsync(entry, sending with { CodeId = sameName.Id }, CodeStatus.Set, null, null, cancellationToken);
                return;
            }
            code = sameName is not null ? AccessCodeErrorCodes.DuplicateName
                : codes?.Any(c => c.Code == operation.Pin && c.Code is not null) == true ? AccessCodeErrorCodes.DuplicateCode
                : AccessCodeErrorCodes.SplitBrain;
        }
        if (code == AccessCodeErrorCodes.UnknownCode && operation.Kind == CodeOperationKind.Delete)
        {
            // Already gone: what was asked for is true.
            await SettleAsync(entry, sending, CodeStatus.Removed, null, null, cancellationToken);
            return;
        }
        code ??= AccessCodeErrorCodes.CloudError;
        await SettleAsync(entry, sending, CodeStatus.Failed, code, Describe(code, failure), cancellationToken);
    }

    private async Task ConfirmAsync(LockEntry entry, CodeOperation operation, IReadOnlyList<CloudAccessCode>? codes, CloudFailure? readFailure, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (codes is null)
        {
            // Cannot read: look again later; the age rule below still applies.
            await _store.SaveAsync(operation with { NextCheckAt = now + NextGap(operation) }, cancellationToken);
            _logger.LogDebug("Cannot read codes of {Lock} to confirm {Operation}: {Failure}", entry.TopicId, operation.Id, readFailure);
            return;
        }
        var found = operation.Kind switch
        {
            CodeOperationKind.Add => codes.FirstOrDefault(c => (operation.CodeId is not null && c.Id == operation.CodeId) || string.Equals(c.Name, operation.Name, StringComparison.OrdinalIgnoreCase)),
            _ => codes.FirstOrDefault(c => c.Id == operation.CodeId),
        };
        var done = operation.Kind == CodeOperationKind.Delete ? found is null : found is not null && Matches(found, operation);
        if (done && operation.LastWriteFailure is not null
            && AccessCodeErrorCodes.Unconfirmed(new CloudFailure(CloudFailureKind.OutcomeUnknown, operation.LastWriteFailure, operation.LastWriteStatus)) == AccessCodeErrorCodes.NoAck)
        {
            // The cloud recorded the change although the lock answered Nack (seed 001): its list is the cloud's, not the
            // lock's. Reporting it set would leave a guest at a keypad that rejects the PIN. It stays failed until the
            // lock's own log proves it has the code (ProvenOnLock).
            var message = operation.Kind == CodeOperationKind.Delete
                ? "The Schlage cloud no longer lists the code, but the lock did not acknowledge the delete: the PIN may still open the door."
                : "The Schlage cloud lists the code, but the lock did not acknowledge it: the keypad may reject the PIN until the lock shows it has it.";
            _logger.LogWarning("Access code {Kind} '{Name}' on {Lock}: the cloud shows it but the lock answered Nack; kept as no_ack", operation.Kind, operation.Name, entry.TopicId);
            await SettleAsync(entry, operation with { CodeId = found?.Id ?? operation.CodeId }, CodeStatus.Failed, AccessCodeErrorCodes.NoAck, message, cancellationToken);
            return;
        }
        if (done)
        {
            await SettleAsync(entry, operation with { CodeId = found?.Id ?? operation.CodeId },
                operation.Kind == CodeOperationKind.Delete ? CodeStatus.Removed : CodeStatus.Set, null, null, cancellationToken);
            return;
        }
        if (operation.Kind == CodeOperationKind.Add && found is not null)
        {
            // Same name, different code: someone else's (or a different schedule in the app) - not ours to adopt.
            await SettleAsync(entry, operation, CodeStatus.Failed, AccessCodeErrorCodes.DuplicateName, $"The lock has another code named '{found.Name}'.", cancellationToken);
            return;
        }

        var checks = operation.Checks + 1;
        var unconfirmed = operation.LastWriteFailure is not null;
        var aged = now - (operation.SentAt ?? operation.CreatedAt) >= _options.AccessCodeConfirmTimeout;
        // The cloud said it failed (Nack, timeout, 5xx) and a second read still does not show it: not applied.
        // It said yes but the list never shows it within the confirmation window: not applied either.
        if ((unconfirmed && checks >= 2) || aged)
        {
            if (operation.Attempts < _options.AccessCodeMaxAttempts)
            {
                _logger.LogInformation("Access code {Kind} '{Name}' on {Lock} did not take (attempt {Attempt}); sending it again", operation.Kind, operation.Name, entry.TopicId, operation.Attempts);
                await _store.SaveAsync(operation with { Phase = CodeOperationPhase.Queued, NextCheckAt = now, Checks = checks }, cancellationToken);
                return;
            }
            var code = unconfirmed ? AccessCodeErrorCodes.Unconfirmed(new CloudFailure(CloudFailureKind.OutcomeUnknown, operation.LastWriteFailure!, operation.LastWriteStatus)) : null;
            if (code is null)
            {
                // Accepted every time yet never visible: the cloud cannot confirm either way.
                await SettleAsync(entry, operation, CodeStatus.Unknown, AccessCodeErrorCodes.Timeout, $"The Schlage cloud accepted the change {operation.Attempts} times but never showed it.", cancellationToken);
                return;
            }
            await SettleAsync(entry, operation, CodeStatus.Failed, code, $"The lock did not take the change after {operation.Attempts} attempts ({operation.LastWriteFailure}).", cancellationToken);
            return;
        }
        await _store.SaveAsync(operation with { Checks = checks, NextCheckAt = now + NextGap(operation with { Checks = checks }) }, cancellationToken);
    }

    private async Task SettleAsync(LockEntry? entry, CodeOperation operation, string status, string? errorCode, string? message, CancellationToken cancellationToken)
    {
        var settled = operation with
        {
            Phase = CodeOperationPhase.Settled,
            Status = status,
            Pin = null,
            SettledAt = _time.GetUtcNow(),
            NextCheckAt = null,
            ErrorCode = errorCode,
            ErrorMessage = message,
        };
        await _store.SaveAsync(settled, cancellationToken);
        if (entry is not null && status == CodeStatus.Set && operation.NotifyOnUse is { } notify && settled.CodeId is not null)
        {
            var result = await entry.Account.Account.SetAccessCodeNotificationAsync(entry.DeviceId, settled.CodeId, settled.Name ?? "", notify, cancellationToken);
            if (!result.IsSuccess)
            {
                _log.Warning($"The code '{settled.Name}' is set, but notify-on-use could not be changed: {result.Failure!.Message}", entry.TopicId);
            }
        }
        var eventType = status switch
        {
            CodeStatus.Set when operation.Kind == CodeOperationKind.Add => ActivityEventTypes.CodeAdded,
            CodeStatus.Set => ActivityEventTypes.CodeUpdated,
            CodeStatus.Removed => ActivityEventTypes.CodeRemoved,
            _ => ActivityEventTypes.CodeFailed,
        };
        if (entry is not null)
        {
            _publisher.PublishJson(_topics.Activity(entry.TopicId),
                new ActivityEvent(eventType, "bridge", User: null, settled.Name, _time.GetUtcNow()) { OperationId = settled.Id, Error = errorCode },
                ContractJson.Default.ActivityEvent, retain: false);
            if (status is CodeStatus.Failed or CodeStatus.Unknown)
            {
                _log.Warning($"Access code {operation.Kind.ToString().ToLowerInvariant()} '{settled.Name}' on {entry.Name} {status}: {message}", entry.TopicId,
                    new BridgeError(errorCode!, message ?? errorCode!, AccessCodeErrorCodes.Hint(errorCode!)));
            }
            else
            {
                _logger.LogInformation("Access code {Kind} '{Name}' on {Lock}: {Status}", operation.Kind, settled.Name, entry.TopicId, status);
            }
        }
        TaskCompletionSource<CodeOperation>? waiter;
        lock (_gate)
        {
            _waiters.Remove(settled.Id, out waiter);
        }
        waiter?.TrySetResult(settled);
    }

    private Task<CodeOperation> Waiter(string operationId)
    {
        lock (_gate)
        {
            var existing = _store.Get(operationId);
            if (existing?.IsSettled == true)
            {
                return Task.FromResult(existing);
            }
            var waiter = new TaskCompletionSource<CodeOperation>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters[operationId] = waiter;
            return waiter.Task;
        }
    }

    private async Task<(IReadOnlyList<CloudAccessCode>? Codes, CloudFailure? Failure)> ReadAsync(LockEntry entry, CancellationToken cancellationToken)
    {
        var state = State(entry.DeviceId);
        await state.Gate.WaitAsync(cancellationToken);
        try
        {
            return await ReadUnlockedAsync(entry, state, cancellationToken);
        }
        finally
        {
            state.Gate.Release();
        }
    }

    private async Task<(IReadOnlyList<CloudAccessCode>? Codes, CloudFailure? Failure)> ReadUnlockedAsync(LockEntry entry, LockCodes state, CancellationToken cancellationToken)
    {
        var result = await entry.Account.Account.ListAccessCodesAsync(entry.DeviceId, cancellationToken);
        if (!result.IsSuccess)
        {
            return (null, result.Failure);
        }
        state.Codes = result.Value;
        state.ReadAt = _time.GetUtcNow();
        return (result.Value, null);
    }

    /// <summary>
    /// Publishes again the access-code topic of every lock whose codes the bridge has read: after a broker that lost its
    /// retained messages (restarted without persistence), no retained topic may be missing or disagree with the lock.
    /// </summary>
    public void RepublishAll()
    {
        foreach (var entry in _registry.Entries)
        {
            LockCodes? state;
            lock (_locks)
            {
                _locks.TryGetValue(entry.DeviceId, out state);
            }
            if (state?.Codes is null)
            {
                continue;
            }
            lock (state)
            {
                state.Published = null;
            }
            Publish(entry);
        }
    }

    /// <summary>Publishes the lock's codes (retained) and returns what was published.</summary>
    private AccessCodesDocument Publish(LockEntry entry)
    {
        var state = State(entry.DeviceId);
        var operations = _store.All.Where(o => o.DeviceId == entry.DeviceId && o.SettledAt != DateTimeOffset.MinValue).ToList();
        var latestByCode = operations.Where(o => o.CodeId is not null && (!o.IsSettled || o.Status is CodeStatus.Failed or CodeStatus.Unknown))
            .GroupBy(o => o.CodeId!).ToDictionary(g => g.Key, g => g.OrderBy(o => o.CreatedAt).Last(), StringComparer.Ordinal);
        var codes = new List<AccessCodeView>();
        foreach (var code in state.Codes ?? [])
        {
            latestByCode.TryGetValue(code.Id, out var operation);
            codes.Add(CodeView.Of(code, operation, _options.ExposeCodes, Offset(code.Id)));
        }
        var listed = (state.Codes ?? []).Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var operation in operations.Where(o => o.Kind == CodeOperationKind.Add && (o.CodeId is null || !listed.Contains(o.CodeId))
            && (!o.IsSettled || o.Status is CodeStatus.Failed or CodeStatus.Unknown)))
        {
            codes.Add(CodeView.Of(operation, _options.ExposeCodes));
        }
        var document = new AccessCodesDocument(entry.TopicId, codes, operations.Count(o => !o.IsSettled), state.ReadAt);
        var text = JsonSerializer.Serialize(document, ContractJson.Default.AccessCodesDocument);
        lock (state)
        {
            if (text == state.Published)
            {
                return document;
            }
            state.Published = text;
        }
        _publisher.Publish(_topics.AccessCodes(entry.TopicId), text, retain: true);
        return document;
    }

    private static bool SameCode(CodeOperation a, CodeOperation b) =>
        (a.CodeId is not null && a.CodeId == b.CodeId) || string.Equals(a.Name, b.Name, StringComparison.OrdinalIgnoreCase);

    private static NewAccessCode ToCloud(CodeOperation operation)
    {
        var schedule = ParseStored(operation.ScheduleJson);
        var (activation, expiration, schedule1, schedule2) = ScheduleMapper.ToCloud(schedule);
        return new NewAccessCode
        {
            Name = operation.Name!,
            Code = operation.Pin!,
            ActivationSecs = activation,
            ExpirationSecs = expiration,
            Schedule1 = schedule1,
            Schedule2 = schedule2,
            NotifyOnUse = operation.NotifyOnUse ?? false,
        };
    }

    /// <summary>A listed code is the operation's result when name, schedule and (if the cloud shows it) PIN agree.</summary>
    private static bool Matches(CloudAccessCode code, CodeOperation operation)
    {
        if (!string.Equals(code.Name, operation.Name, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        if (operation.Pin is not null && code.Code is not null && code.Code.All(char.IsAsciiDigit) && code.Code != operation.Pin)
        {
            return false;
        }
        var wanted = ParseStored(operation.ScheduleJson);
        var actual = ScheduleMapper.FromCloud(code.ActivationSecs, code.ExpirationSecs, code.Schedule1, code.Schedule2);
        return wanted.Equals(actual);
    }

    private static CodeSchedule? ParseStoredOrNull(string? json) => json is null ? null : ParseStored(json);

    private static CodeSchedule ParseStored(string? json)
    {
        if (json is null)
        {
            return new CodeSchedule.Always();
        }
        using var document = JsonDocument.Parse(json);
        // Stored schedules were valid when accepted; "now" only guards against expired ones, which are not re-checked.
        return ScheduleJson.Parse(document.RootElement, DateTimeOffset.MinValue).Schedule ?? new CodeSchedule.Always();
    }

    // The cloud keeps only instants; show a Temporary schedule with the offset the user gave it.
    private TimeSpan? Offset(string codeId) =>
        ParseStoredOrNull(_store.All.Where(o => o.CodeId == codeId && o.ScheduleJson is not null).OrderBy(o => o.CreatedAt).LastOrDefault()?.ScheduleJson) is CodeSchedule.Temporary t
            ? t.Start.Offset
            : null;

    private TimeSpan NextGap(CodeOperation operation)
    {
        var gap = TimeSpan.FromTicks(_options.AccessCodeFirstCheck.Ticks * (1L << Math.Min(operation.Checks, 10)));
        return gap < MaxCheckGap ? gap : MaxCheckGap;
    }

    private static string Describe(string code, CloudFailure failure) =>
        $"{failure.CloudMessage ?? failure.Message}{(code == AccessCodeErrorCodes.SplitBrain ? " (the lock and the cloud disagree)" : "")}";

    private static string Show(string? value) => InputText.Shorten(value, 30);

    private LockCodes State(string deviceId)
    {
        lock (_locks)
        {
            if (!_locks.TryGetValue(deviceId, out var state))
            {
                state = new LockCodes();
                _locks[deviceId] = state;
            }
            return state;
        }
    }

    /// <summary>What the manager knows of one lock's codes.</summary>
    private sealed class LockCodes
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public IReadOnlyList<CloudAccessCode>? Codes { get; set; }

        public DateTimeOffset? ReadAt { get; set; }

        public string? Published { get; set; }

        public bool Running { get; set; }

        public TaskCompletionSource WakeSignal { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
