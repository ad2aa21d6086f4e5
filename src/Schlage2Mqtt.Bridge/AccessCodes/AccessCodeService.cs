using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Bridge.Contract;
using Schlage2Mqtt.Bridge.Runtime;
using Schlage2Mqtt.Cloud;

namespace Schlage2Mqtt.Bridge.AccessCodes;

/// <summary>
/// Admission of <c>access_code/*</c> requests: a request is checked against the lock's codes and the operations still
/// open, and becomes an operation stored before anything is sent; the answer waits for it to settle up to the
/// response timeout. Results are domain outcomes (<see cref="CodeRequestOutcome"/>); payloads are the publisher's.
/// </summary>
internal sealed class AccessCodeService(
    BridgeOptions options,
    CodeOperationStore store,
    LockCodeWorkers workers,
    CodeSettlement settlement,
    AccessCodePublisher publisher,
    TimeSpan keepSettled,
    TimeProvider time,
    ILogger logger)
{
    // A list younger than this is good enough to validate a request against; the confirmation reads keep it fresh.
    private static readonly TimeSpan ListFreshFor = TimeSpan.FromSeconds(60);

    /// <summary>Reads the lock's codes.</summary>
    public async Task<CodeRequestOutcome> ListAsync(LockEntry entry, CancellationToken cancellationToken) =>
        new CodeRequestOutcome.Read(await workers.For(entry.DeviceId).ReadAsync(entry, cancellationToken));

    /// <summary>Reads the lock's codes, clears the failures shown so far and looks at pending work now.</summary>
    public async Task<CodeRequestOutcome> SyncAsync(LockEntry entry, CancellationToken cancellationToken)
    {
        var worker = workers.For(entry.DeviceId);
        var failure = await worker.ReadAsync(entry, cancellationToken);
        // The user has seen the failures; a sync starts a clean slate, and pending work is looked at now.
        foreach (var operation in store.All.Where(o => o.DeviceId == entry.DeviceId))
        {
            if (operation.IsSettled)
            {
                await store.SaveAsync(operation with { SettledAt = DateTimeOffset.MinValue }, cancellationToken);
            }
            else if (operation.Phase == CodeOperationPhase.Sent)
            {
                await store.SaveAsync(operation with { NextCheckAt = time.GetUtcNow() }, cancellationToken);
            }
        }
        await store.PruneAsync(time.GetUtcNow() - keepSettled, cancellationToken);
        worker.Wake();
        return new CodeRequestOutcome.Read(failure);
    }

    /// <summary>
    /// Admits an add, update or delete of <paramref name="target"/> (a code id or name; null for an add). A
    /// <paramref name="requestId"/> already stored (a journalled request replayed after a crash) is answered, never redone.
    /// </summary>
    public async Task<CodeRequestOutcome> SubmitAsync(LockEntry entry, CodeOperationKind kind, string? target, CodeChanges? changes, string? requestId,
        CancellationToken cancellationToken)
    {
        if (requestId is not null && store.Get(requestId) is { } already)
        {
            logger.LogInformation("Access code request {Operation} was already accepted before the restart; answering with its status", requestId);
            return await AnswerAsync(entry, already, cancellationToken);
        }
        var admitted = await workers.For(entry.DeviceId).ExclusiveAsync(held => AdmitAsync(entry, held, kind, target, changes, requestId, cancellationToken), cancellationToken);
        if (admitted is not CodeRequestOutcome.Accepted { Operation: var operation })
        {
            return admitted;
        }
        logger.LogInformation("Access code {Kind} '{Name}' on {Lock} accepted as {Operation}", operation.Kind, operation.Name, entry.TopicId, operation.Id);
        return await AnswerAsync(entry, operation, cancellationToken);
    }

    private async Task<CodeRequestOutcome> AdmitAsync(LockEntry entry, LockCodeWorker.Held held, CodeOperationKind kind, string? target, CodeChanges? changes,
        string? requestId, CancellationToken cancellationToken)
    {
        if (held.Listed is null || time.GetUtcNow() - held.Listed.ReadAt > ListFreshFor)
        {
            var failure = await held.ReadAsync(entry, cancellationToken);
            if (failure is not null && held.Listed is null)
            {
                return new CodeRequestOutcome.CloudFailed(failure, "Reading the lock's codes");
            }
        }
        var codes = held.Listed!.Codes;
        var pending = store.All.Where(o => o.DeviceId == entry.DeviceId && !o.IsSettled).ToList();
        CloudAccessCode? existing = null;
        CodeOperation? queuedFor = null;
        if (kind != CodeOperationKind.Add)
        {
            existing = codes.FirstOrDefault(c => c.Id == target)
                ?? codes.FirstOrDefault(c => string.Equals(c.Name, target, StringComparison.OrdinalIgnoreCase));
            // A code still being added (or changed) can be changed again: the new operation waits its turn.
            queuedFor = pending.LastOrDefault(o => (target is not null && o.CodeId == target)
                || string.Equals(o.Name, target, StringComparison.OrdinalIgnoreCase)
                || (existing is not null && o.CodeId == existing.Id));
            if (queuedFor?.Kind == CodeOperationKind.Delete || (existing is null && queuedFor is null))
            {
                return Refuse(AccessCodeErrorCodes.UnknownCode,
                    queuedFor is null ? $"{entry.Name} has no code with id or name '{Show(target)}'." : $"The code '{Show(target)}' is being deleted.");
            }
        }
        var selfName = queuedFor?.Name ?? existing?.Name;
        if (kind == CodeOperationKind.Update && queuedFor is null && existing is not null
            && changes is { Name: null, Pin: null, Schedule: null, NotifyOnUse: { } notify })
        {
            return await ToggleNotifyAsync(entry, held, existing, notify, cancellationToken);
        }
        if (changes is not null)
        {
            var known = codes.Select(c => new CodeValidator.Existing(c.Id, c.Name, c.Code))
                .Concat(pending.Where(o => o.Kind == CodeOperationKind.Add && (o.CodeId is null || codes.All(c => c.Id != o.CodeId)))
                    .Select(o => new CodeValidator.Existing(o.CodeId, o.Name, o.Pin)))
                .Where(e => !pending.Any(o => o.Kind == CodeOperationKind.Delete && ((e.Id is not null && o.CodeId == e.Id) || string.Equals(o.Name, e.Name, StringComparison.OrdinalIgnoreCase))))
                .Where(e => kind == CodeOperationKind.Add || !string.Equals(e.Name, selfName, StringComparison.OrdinalIgnoreCase))
                .ToList();
            if (CodeValidator.Validate(changes, kind == CodeOperationKind.Add, entry.Cloud, known, existing?.Id) is { } error)
            {
                return new CodeRequestOutcome.Refused(error);
            }
        }

        var schedule = changes?.Schedule
            ?? (queuedFor?.ScheduleJson is { } queuedSchedule ? CodeMatching.Schedule(queuedSchedule) : null)
            ?? (existing is null ? new CodeSchedule.Always() : ScheduleMapper.FromCloud(existing.ActivationSecs, existing.ExpirationSecs, existing.Schedule1, existing.Schedule2, store.TemporaryOffset(existing.Id)));
        if (kind == CodeOperationKind.Update && schedule is CodeSchedule.Custom)
        {
            return Refuse(AccessCodeErrorCodes.InvalidSchedule, $"'{selfName}' has a schedule made in the Schlage app that this bridge cannot express; give a schedule with the update.");
        }
        var pin = changes?.Pin ?? queuedFor?.Pin ?? existing?.Code;
        if (kind == CodeOperationKind.Update && string.IsNullOrEmpty(pin))
        {
            return Refuse(AccessCodeErrorCodes.InvalidCode, "The cloud does not reveal this code's PIN, so an update must give code.");
        }
        var operation = new CodeOperation
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
            CreatedAt = time.GetUtcNow(),
        };
        // Durable before anything is sent: a crash from here on resumes this operation, never loses it.
        await store.SaveAsync(operation, cancellationToken);
        return new CodeRequestOutcome.Accepted(operation);
    }

    // Notify-on-use is a separate notification object: toggling it does not touch the code on the lock.
    private async Task<CodeRequestOutcome> ToggleNotifyAsync(LockEntry entry, LockCodeWorker.Held held, CloudAccessCode existing, bool notify, CancellationToken cancellationToken)
    {
        var toggled = await entry.Account.Account.SetAccessCodeNotificationAsync(entry.DeviceId, existing.Id, existing.Name ?? "", notify, cancellationToken);
        if (!toggled.IsSuccess)
        {
            return new CodeRequestOutcome.CloudFailed(toggled.Failure!, "Changing notify-on-use");
        }
        await held.ReadAsync(entry, cancellationToken);
        var code = held.Listed!.Codes.FirstOrDefault(c => c.Id == existing.Id) ?? existing;
        logger.LogInformation("Notify-on-use of '{Name}' on {Lock} turned {State}", existing.Name, entry.TopicId, notify ? "on" : "off");
        publisher.PublishCodes(entry, held.Listed);
        return new CodeRequestOutcome.NotifyChanged(code, notify);
    }

    // Answers when the operation settles, or after the response timeout with its current status.
    private async Task<CodeRequestOutcome> AnswerAsync(LockEntry entry, CodeOperation operation, CancellationToken cancellationToken)
    {
        if (operation.IsSettled)
        {
            return new CodeRequestOutcome.Accepted(operation);
        }
        var settled = settlement.WhenSettled(operation.Id);
        var worker = workers.For(entry.DeviceId);
        publisher.PublishCodes(entry, worker.Listed);
        worker.Wake();
        var finished = await Task.WhenAny(settled, Task.Delay(options.AccessCodeResponseTimeout, time, cancellationToken)) == settled;
        return new CodeRequestOutcome.Accepted(finished ? await settled : store.Get(operation.Id) ?? operation);
    }

    private static CodeRequestOutcome.Refused Refuse(string code, string message) => new(AccessCodeErrorCodes.Error(code, message));

    private static string Show(string? value) => InputText.Shorten(value, 30);
}
