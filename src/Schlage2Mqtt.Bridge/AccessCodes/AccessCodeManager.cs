using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Bridge.Requests;
using Schlage2Mqtt.Bridge.Runtime;
using Schlage2Mqtt.Bridge.Topics;

namespace Schlage2Mqtt.Bridge.AccessCodes;

/// <summary>
/// The access-code lifecycle, as the rest of the bridge sees it. Every request becomes an operation stored before the
/// cloud is called (<see cref="AccessCodeService"/>); one reconciler per lock sends writes one at a time and confirms
/// them by reading the lock's code list, never by re-sending blindly (<see cref="LockCodeWorker"/>), doing what the
/// pure rules decide (<see cref="AccessCodeRules"/>); the MQTT side is <see cref="AccessCodePublisher"/>. A restart
/// resumes every operation from the store; one caught mid-send is confirmed by reading first.
/// </summary>
internal sealed class AccessCodeManager : IDisposable
{
    // Settled operations are shown (and answer replayed requests) for a day, then forgotten.
    private static readonly TimeSpan KeepSettled = TimeSpan.FromHours(24);

    // "Changed by the bridge" covers the activity-log entries the bridge's own change is still to produce.
    private static readonly TimeSpan OwnChangeWindow = TimeSpan.FromHours(1);

    private readonly LockRegistry _registry;
    private readonly BackgroundWork _work;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly AccessCodeRuleOptions _rules;
    private readonly CodeOperationStore _store;
    private readonly AccessCodePublisher _publisher;
    private readonly CodeSettlement _settlement;
    private readonly LockCodeWorkers _workers;
    private readonly AccessCodeService _service;

    public AccessCodeManager(BridgeOptions options, LockRegistry registry, BridgePublisher publisher, BridgeTopics topics, BridgeLog log,
        BackgroundWork work, Bridge.State.StateStore? store, TimeProvider time, ILogger logger)
    {
        _registry = registry;
        _work = work;
        _time = time;
        _logger = logger;
        _rules = AccessCodeRuleOptions.From(options);
        _store = new CodeOperationStore(store);
        _publisher = new AccessCodePublisher(options, publisher, topics, log, _store, time);
        _settlement = new CodeSettlement(_store, _publisher, logger);
        _workers = LockCodeWorkers.Create(registry, _store, _settlement, _publisher, work, _rules, KeepSettled, time, logger);
        _service = new AccessCodeService(options, _store, _workers, _settlement, _publisher, KeepSettled, time, logger);
    }

    /// <summary>Resumes every unfinished operation found in the store.</summary>
    public void Resume()
    {
        foreach (var deviceId in _store.All.Where(o => !o.IsSettled).Select(o => o.DeviceId).Distinct())
        {
            _logger.LogInformation("Resuming unfinished access-code operations of lock {DeviceId}", deviceId);
            _workers.For(deviceId).Wake();
        }
    }

    public void Dispose() => _workers.Dispose();

    /// <summary>The name of a code as last read from the cloud, if known.</summary>
    public string? NameOf(string deviceId, string codeId) =>
        _workers.Existing(deviceId)?.Listed?.Codes.FirstOrDefault(c => c.Id == codeId)?.Name
        ?? _store.All.Where(o => o.DeviceId == deviceId && o.CodeId == codeId).OrderBy(o => o.CreatedAt).LastOrDefault()?.Name;

    /// <summary>
    /// Called when the lock's own activity log mentions a code (used at the keypad, or "access code added" logged by the
    /// lock): proof the lock has it. A code kept as <c>no_ack</c> because the cloud listed it after a Nack becomes set.
    /// </summary>
    public void ProvenOnLock(string deviceId, string codeId)
    {
        var waiting = _store.All.Where(o => o.DeviceId == deviceId && o.CodeId == codeId && AccessCodeRules.AwaitsLockProof(o))
            .OrderBy(o => o.CreatedAt).LastOrDefault();
        if (waiting is null || _registry.Find(deviceId) is not { } entry)
        {
            return;
        }
        _work.Run($"access code {codeId} proven on {entry.TopicId}", async ct =>
        {
            var transition = AccessCodeRules.Next(waiting, new CodeObservation.LockAcknowledged(), _rules, _time.GetUtcNow());
            if (transition.Effect is CodeEffect.None)
            {
                return;
            }
            _logger.LogInformation("The lock's log shows access code '{Name}' on {Lock}: it is set", waiting.Name, entry.TopicId);
            await _settlement.SettleAsync(entry, transition, ct);
            _publisher.PublishCodes(entry, _workers.For(deviceId).Listed);
        });
    }

    /// <summary>True when the bridge itself changed this code recently (its own activity event already told).</summary>
    public bool ChangedByBridge(string deviceId, string codeId) =>
        _store.All.Any(o => o.DeviceId == deviceId && o.CodeId == codeId && o.SettledAt > _time.GetUtcNow() - OwnChangeWindow);

    public async Task<RequestResult> ListAsync(LockEntry entry, CancellationToken cancellationToken) =>
        Answer(entry, await _service.ListAsync(entry, cancellationToken));

    public async Task<RequestResult> SyncAsync(LockEntry entry, CancellationToken cancellationToken) =>
        Answer(entry, await _service.SyncAsync(entry, cancellationToken));

    public async Task<RequestResult> SubmitAsync(LockEntry entry, CodeOperationKind kind, string? target, CodeChanges? changes, CancellationToken cancellationToken,
        string? requestId = null) =>
        Answer(entry, await _service.SubmitAsync(entry, kind, target, changes, requestId, cancellationToken));

    /// <summary>
    /// Publishes again the access-code topic of every lock whose codes the bridge has read: after a broker that lost its
    /// retained messages (restarted without persistence), no retained topic may be missing or disagree with the lock.
    /// </summary>
    public void RepublishAll()
    {
        foreach (var entry in _registry.Entries)
        {
            if (_workers.Existing(entry.DeviceId)?.Listed is not { } listed)
            {
                continue;
            }
            _publisher.Forget(entry.DeviceId);
            _publisher.PublishCodes(entry, listed);
        }
    }

    private RequestResult Answer(LockEntry entry, CodeRequestOutcome outcome) =>
        _publisher.Answer(entry, outcome, _workers.For(entry.DeviceId).Listed);
}
