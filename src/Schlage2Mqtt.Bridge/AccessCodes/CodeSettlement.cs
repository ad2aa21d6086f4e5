using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Bridge.Runtime;

namespace Schlage2Mqtt.Bridge.AccessCodes;

/// <summary>
/// What happens when an operation settles, whoever settled it: it is stored, a set code gets the notify-on-use asked
/// for, the result is announced, and a request waiting for it is answered.
/// </summary>
/// <remarks>Thread-safe: the waiters are kept under a private monitor, and a waiter is completed outside it.</remarks>
internal sealed class CodeSettlement(CodeOperationStore store, AccessCodePublisher publisher, ILogger logger)
{
    private readonly Dictionary<string, TaskCompletionSource<CodeOperation>> _waiters = new(StringComparer.Ordinal);

    /// <summary>
    /// Stores the settled operation of <paramref name="transition"/> and announces it (only on MQTT when the lock is
    /// known: <paramref name="entry"/> is null for a lock that left every account).
    /// </summary>
    public async Task SettleAsync(LockEntry? entry, CodeTransition transition, CancellationToken cancellationToken)
    {
        var settled = transition.Operation;
        await store.SaveAsync(settled, cancellationToken);
        if (entry is not null && settled.Status == CodeStatus.Set && settled.NotifyOnUse is { } notify && settled.CodeId is not null)
        {
            var result = await entry.Account.Account.SetAccessCodeNotificationAsync(entry.DeviceId, settled.CodeId, settled.Name ?? "", notify, cancellationToken);
            if (!result.IsSuccess)
            {
                publisher.NotifyNotChanged(entry, settled, result.Failure!.Message);
            }
        }
        if (entry is not null)
        {
            publisher.Settled(entry, settled);
            if (transition.Effect is not CodeEffect.Fail)
            {
                logger.LogInformation("Access code {Kind} '{Name}' on {Lock}: {Status}", settled.Kind, settled.Name, entry.TopicId, settled.Status.ToWire());
            }
        }
        TaskCompletionSource<CodeOperation>? waiter;
        lock (_waiters)
        {
            _waiters.Remove(settled.Id, out waiter);
        }
        waiter?.TrySetResult(settled);
    }

    /// <summary>Completes with the operation once it has settled (at once when it already has).</summary>
    public Task<CodeOperation> WhenSettled(string operationId)
    {
        lock (_waiters)
        {
            // Looked up under the monitor: a settlement between the look-up and the registration cannot be missed.
            if (store.Get(operationId) is { IsSettled: true } existing)
            {
                return Task.FromResult(existing);
            }
            if (!_waiters.TryGetValue(operationId, out var waiter))
            {
                waiter = new TaskCompletionSource<CodeOperation>(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiters[operationId] = waiter;
            }
            return waiter.Task;
        }
    }
}
