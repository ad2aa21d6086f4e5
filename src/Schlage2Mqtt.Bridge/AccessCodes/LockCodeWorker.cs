using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Bridge.Runtime;
using Schlage2Mqtt.Cloud;

namespace Schlage2Mqtt.Bridge.AccessCodes;

/// <summary>
/// One lock's reconciler: it drives the lock's stored operations against the cloud, performing what
/// <see cref="AccessCodeRules"/> decides. A lock programs one code at a time, so writes are sent one by one and every
/// cloud call for the lock's codes (reads included) is serialised on the worker's own gate; admission takes the same
/// gate through <see cref="ExclusiveAsync{T}"/>, so a request is judged against a list no write is changing.
/// </summary>
/// <remarks>
/// Concurrency contract: <see cref="Wake"/>, <see cref="Listed"/> and <see cref="ExclusiveAsync{T}"/> may be called from
/// any thread. At most one loop runs per worker (the running flag and the wake signal are swapped under a private
/// monitor); the gate is never held across a wait for time, only across cloud calls and store writes.
/// </remarks>
internal sealed class LockCodeWorker(
    string deviceId,
    LockRegistry registry,
    CodeOperationStore store,
    CodeSettlement settlement,
    AccessCodePublisher publisher,
    BackgroundWork work,
    AccessCodeRuleOptions rules,
    TimeSpan keepSettled,
    TimeProvider time,
    ILogger logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly object _signal = new();
    private ListedCodes? _listed;
    private bool _running;
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The lock's codes as last read, or null before the first read.</summary>
    public ListedCodes? Listed => Volatile.Read(ref _listed);

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();

    /// <summary>Reads the lock's codes (waiting for any write in progress); the failure, or null.</summary>
    public Task<CloudFailure?> ReadAsync(LockEntry entry, CancellationToken cancellationToken) =>
        ExclusiveAsync(held => held.ReadAsync(entry, cancellationToken), cancellationToken);

    /// <summary>Runs <paramref name="action"/> holding the lock's gate: no write or read of the lock's codes runs meanwhile.</summary>
    public async Task<T> ExclusiveAsync<T>(Func<Held, Task<T>> action, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await action(new Held(this));
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Makes the worker look at the lock's operations now, starting its loop if it is not running.</summary>
    public void Wake()
    {
        lock (_signal)
        {
            _wake.TrySetResult();
            if (_running)
            {
                return;
            }
            _running = true;
        }
        work.Run($"access codes of {deviceId}", RunAsync);
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                Task wake;
                lock (_signal)
                {
                    wake = _wake.Task;
                }
                var next = await StepAsync(cancellationToken);
                if (next is null)
                {
                    lock (_signal)
                    {
                        // A wake during the step may have brought new work: only an unsignalled worker may stop.
                        if (!_wake.Task.IsCompleted)
                        {
                            _running = false;
                            return;
                        }
                        _wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    }
                    continue;
                }
                var delay = next.Value - time.GetUtcNow();
                if (delay > TimeSpan.Zero)
                {
                    using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    await Task.WhenAny(Task.Delay(delay, time, cts.Token), wake);
                    await cts.CancelAsync();
                }
                lock (_signal)
                {
                    if (_wake.Task.IsCompleted)
                    {
                        _wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    }
                }
            }
        }
        finally
        {
            lock (_signal)
            {
                _running = false;
            }
        }
    }

    /// <summary>Does what is due for the lock; returns when to look again, or null when nothing is pending.</summary>
    private async Task<DateTimeOffset?> StepAsync(CancellationToken cancellationToken)
    {
        var entry = registry.DeviceIds.Contains(deviceId) ? registry.Find(deviceId) : null;
        var pending = Open();
        if (pending.Count == 0)
        {
            await store.PruneAsync(time.GetUtcNow() - keepSettled, cancellationToken);
            return null;
        }
        if (entry is null)
        {
            var missing = new CodeObservation.LockMissing(pending.Min(o => o.CreatedAt), registry.Entries.Count > 0);
            DateTimeOffset? again = null;
            foreach (var operation in pending)
            {
                var transition = AccessCodeRules.Next(operation, missing, rules, time.GetUtcNow());
                await ApplyAsync(null, operation, transition, cancellationToken);
                if (transition.Effect is CodeEffect.WaitUntil wait && (again is null || wait.At < again))
                {
                    again = wait.At;
                }
            }
            return again;
        }

        await ExclusiveAsync(async held =>
        {
            foreach (var interrupted in pending.Where(o => o.Phase == CodeOperationPhase.Sending))
            {
                await ApplyAsync(entry, interrupted, AccessCodeRules.Next(interrupted, new CodeObservation.Interrupted(), rules, time.GetUtcNow()), cancellationToken);
            }

            // Confirm what was sent (one list read serves every due operation of the lock).
            var now = time.GetUtcNow();
            var due = Open().Where(o => o.Phase == CodeOperationPhase.Sent && (o.NextCheckAt ?? now) <= now).ToList();
            if (due.Count > 0)
            {
                var failure = await held.ReadAsync(entry, cancellationToken);
                CodeObservation seen = failure is null ? new CodeObservation.Listed(Listed!.Codes) : new CodeObservation.ListUnavailable(failure);
                foreach (var operation in due)
                {
                    if (failure is not null)
                    {
                        logger.LogDebug("Cannot read codes of {Lock} to confirm {Operation}: {Failure}", entry.TopicId, operation.Id, failure);
                    }
                    await ApplyAsync(entry, operation, AccessCodeRules.Next(operation, seen, rules, time.GetUtcNow()), cancellationToken);
                }
            }

            // Send the next queued write, one at a time; a change waits until earlier ones on the same code have settled.
            now = time.GetUtcNow();
            var open = Open();
            var queued = open.FirstOrDefault(o => o.Phase == CodeOperationPhase.Queued && (o.NextCheckAt ?? now) <= now
                && !open.TakeWhile(earlier => earlier.Id != o.Id).Any(earlier => CodeMatching.SameCode(earlier, o)));
            if (queued is not null)
            {
                await SendAsync(entry, held, queued, cancellationToken);
            }
            return true;
        }, cancellationToken);
        publisher.PublishCodes(entry, Listed);

        var remaining = Open();
        return remaining.Count == 0 ? null : remaining.Min(o => o.NextCheckAt ?? time.GetUtcNow());
    }

    private async Task SendAsync(LockEntry entry, Held held, CodeOperation operation, CancellationToken cancellationToken)
    {
        var created = operation.Kind != CodeOperationKind.Add && operation.CodeId is null ? CreatedCodeId(operation) : null;
        var start = AccessCodeRules.Next(operation, new CodeObservation.DueToSend(created), rules, time.GetUtcNow());
        if (start.Effect is not CodeEffect.Write)
        {
            await ApplyAsync(entry, operation, start, cancellationToken);
            return;
        }
        // Stored as sending before the call: a crash during it is confirmed by reading, never re-sent blindly.
        var sending = start.Operation;
        await store.SaveAsync(sending, cancellationToken);
        var account = entry.Account.Account;
        CloudResult result;
        string? newId = null;
        switch (sending.Kind)
        {
            case CodeOperationKind.Add:
                var added = await account.AddAccessCodeAsync(entry.DeviceId, CodeMatching.ToCloud(sending), cancellationToken);
                newId = added.IsSuccess ? added.Value : null;
                result = added;
                break;
            case CodeOperationKind.Update:
                result = await account.UpdateAccessCodeAsync(entry.DeviceId, sending.CodeId!, CodeMatching.ToCloud(sending), cancellationToken);
                break;
            default:
                result = await account.DeleteAccessCodeAsync(entry.DeviceId, sending.CodeId!, cancellationToken);
                break;
        }
        CodeObservation answer = result.IsSuccess ? new CodeObservation.WriteAccepted(newId)
            : result.IsOutcomeUnknown ? new CodeObservation.WriteOutcomeUnknown(result.Failure!)
            : new CodeObservation.WriteRefused(result.Failure!);
        var next = AccessCodeRules.Next(sending, answer, rules, time.GetUtcNow());
        if (next.Effect is CodeEffect.ReadBack)
        {
            var failure = await held.ReadAsync(entry, cancellationToken);
            var listed = new CodeObservation.ListedAfterRefusal(result.Failure!, failure is null ? Listed!.Codes : null);
            next = AccessCodeRules.Next(sending, listed, rules, time.GetUtcNow());
        }
        await ApplyAsync(entry, sending, next, cancellationToken);
    }

    // The id of the code an update or delete queued behind its add changes: from the add, or from the list by name.
    private string? CreatedCodeId(CodeOperation operation) =>
        store.All.Where(o => o.DeviceId == operation.DeviceId && o.Kind == CodeOperationKind.Add && o.Status == CodeStatus.Set
                && string.Equals(o.Name, operation.Name, StringComparison.OrdinalIgnoreCase)).OrderBy(o => o.CreatedAt).LastOrDefault()?.CodeId
            ?? Listed?.Codes.FirstOrDefault(c => string.Equals(c.Name, operation.Name, StringComparison.OrdinalIgnoreCase))?.Id;

    private async Task ApplyAsync(LockEntry? entry, CodeOperation before, CodeTransition transition, CancellationToken cancellationToken)
    {
        switch (transition.Effect)
        {
            case CodeEffect.Settle or CodeEffect.Adopt or CodeEffect.Fail:
                if (transition.Effect is CodeEffect.Fail { CloudListsIt: true } && entry is not null)
                {
                    logger.LogWarning("Access code {Kind} '{Name}' on {Lock}: the cloud shows it but the lock answered Nack; kept as no_ack", before.Kind, before.Name, entry.TopicId);
                }
                await settlement.SettleAsync(entry, transition, cancellationToken);
                return;
            case CodeEffect.Resend when entry is not null:
                logger.LogInformation("Access code {Kind} '{Name}' on {Lock} did not take (attempt {Attempt}); sending it again", before.Kind, before.Name, entry.TopicId, before.Attempts);
                break;
        }
        if (transition.Operation != before)
        {
            await store.SaveAsync(transition.Operation, cancellationToken);
        }
    }

    private void Remember(IReadOnlyList<CloudAccessCode> codes) => Volatile.Write(ref _listed, new ListedCodes(codes, time.GetUtcNow()));

    private List<CodeOperation> Open() => [.. store.All.Where(o => o.DeviceId == deviceId && !o.IsSettled)];

    /// <summary>Proof that the caller holds the worker's gate: the only way to read the lock's codes without taking it.</summary>
    internal sealed class Held
    {
        private readonly LockCodeWorker _worker;

        internal Held(LockCodeWorker worker) => _worker = worker;

        /// <summary>The lock's codes as last read.</summary>
        public ListedCodes? Listed => _worker.Listed;

        /// <summary>Reads the lock's codes; the failure, or null (then <see cref="Listed"/> is fresh).</summary>
        public async Task<CloudFailure?> ReadAsync(LockEntry entry, CancellationToken cancellationToken)
        {
            var result = await entry.Account.Account.ListAccessCodesAsync(entry.DeviceId, cancellationToken);
            if (!result.IsSuccess)
            {
                return result.Failure;
            }
            _worker.Remember(result.Value!);
            return null;
        }
    }
}
