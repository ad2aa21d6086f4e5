using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Bridge.Commands;
using Schlage2Mqtt.Bridge.Contract;
using Schlage2Mqtt.Bridge.Discovery;
using Schlage2Mqtt.Bridge.State;
using Schlage2Mqtt.Bridge.Topics;
using Schlage2Mqtt.Cloud;

namespace Schlage2Mqtt.Bridge.Runtime;

/// <summary>
/// The single writer of lock state. Every change to what the bridge knows of a lock arrives here as a typed update (a
/// poll, a pushed update, a one-lock read, a command starting or ending, a setting applied, a fact learned from the
/// activity log); the hub applies it and then publishes through one funnel that decides "changed, so publish" for the
/// lock's discovery, state and availability, and raises <see cref="LockStatePublished"/> for each state it publishes.
/// Applying a poll also adds locks that appeared and removes (with their discovery and retained topics) locks that
/// left, and keeps the topic ids persisted.
/// </summary>
/// <remarks>
/// State concurrency contract: every update takes the hub's private lock, so updates of all locks are applied one at
/// a time, in arrival order, and each is published before the next is applied; no one outside takes that lock (the
/// hub has no way to hand it out). Reads never block: <see cref="Registry"/> and a <see cref="LockEntry"/>'s
/// properties may be read from any thread at any time and show the state after some complete update. Events
/// (<see cref="BridgeEvents"/>) are raised after the lock is released, in the order the updates caused them, so an
/// observer may call back into the hub without deadlocking. An update's cancellation only stops it waiting for its
/// turn: once applied, it is published.
/// </remarks>
internal sealed class LockStateHub : IDisposable
{
    private const string TopicsDocument = "topics";
    private static readonly IReadOnlyList<int> FallbackAutoLockOptions = [0, 15, 30, 60, 120, 240, 360, 600];

    // What a lock remembered from a previous run but no longer listed is removed as: its entities as discovered then.
    private static readonly LockCapabilities ForgottenLock = LockCapabilities.Assumed with { AutoLock = new AutoLockCapability(FallbackAutoLockOptions), DoorSensor = false };

    private readonly BridgeOptions _options;
    private readonly BridgePublisher _publisher;
    private readonly BridgeTopics _topics;
    private readonly DiscoveryBuilder _discovery;
    private readonly BridgeEvents _events;
    private readonly StateStore? _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    // Written only under _gate; read from anywhere through Registry.
    private readonly ConcurrentDictionary<string, LockEntry> _byDevice = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TopicIdRecord> _persisted;
    private readonly TopicIdAllocator _ids;
    private readonly HashSet<string> _sweptAccounts = new(StringComparer.Ordinal);
    // Keypad-disabled as the activity log last showed it (the device document does not carry it), by device id.
    private readonly Dictionary<string, bool> _keypadDisabled = new(StringComparer.Ordinal);
    // Events caused by the update in progress; raised once the gate is released.
    private readonly List<Action> _pending = [];

    public LockStateHub(BridgeOptions options, BridgePublisher publisher, BridgeTopics topics, DiscoveryBuilder discovery, BridgeEvents events,
        IReadOnlyList<AccountRuntime> accounts, TimeProvider time, ILogger<LockStateHub> logger, StateStore? store = null)
    {
        _options = options;
        _publisher = publisher;
        _topics = topics;
        _discovery = discovery;
        _events = events;
        _store = store;
        _time = time;
        _logger = logger;
        _persisted = store is null ? [] : TopicIdDocument.Read(store);
        _ids = new TopicIdAllocator(_persisted.ToDictionary(kv => kv.Key, kv => kv.Value.TopicId));
        Registry = new LockRegistry(_byDevice, accounts);
    }

    /// <summary>The read side of the lock table.</summary>
    public LockRegistry Registry { get; }

    public void Dispose() => _gate.Dispose();

    /// <summary>Applies one account's poll: new locks are added, gone ones removed, changed ones published.</summary>
    public Task ApplyPollAsync(AccountRuntime account, CloudResult<IReadOnlyList<CloudLock>> result, CancellationToken cancellationToken) =>
        WriteAsync(async () =>
        {
            await ApplyPollLockedAsync(account, result, cancellationToken);
            return true;
        }, cancellationToken);

    /// <summary>Applies a pushed update (a whole document, or a partial bolt/door change) to a lock of <paramref name="account"/>.</summary>
    public Task ApplyPushAsync(AccountRuntime account, PushedUpdate update, CancellationToken cancellationToken) =>
        WriteAsync(() =>
        {
            if (!_byDevice.TryGetValue(update.DeviceId, out var entry) || entry.Account != account)
            {
                // A lock the bridge does not publish (ignored, or new: the next poll adds it).
                return false;
            }
            var cloud = update.Document ?? entry.Cloud with
            {
                State = update.State ?? entry.Cloud.State,
                Door = update.Door ?? entry.Cloud.Door,
                // A partial update does not say who changed it: unknown until the next document.
                ChangedBy = update.State is { } state && state != entry.Cloud.State ? null : entry.Cloud.ChangedBy,
                UpdatedAt = update.CloudTimestamp ?? entry.Cloud.UpdatedAt,
            };
            Apply(entry, cloud);
            Publish(entry);
            return true;
        }, cancellationToken);

    /// <summary>
    /// Applies one lock's fresh document (a command's confirmation read, or an on-demand read) and publishes it; when
    /// <paramref name="answer"/>, the state is published even unchanged (someone asked for it). Returns the state as published.
    /// </summary>
    public Task<LockStatePayload> ApplyReadAsync(LockEntry entry, CloudLock cloud, bool answer, CancellationToken cancellationToken) =>
        WriteAsync(() =>
        {
            Apply(entry, cloud);
            return Publish(entry, answer ? Force.State : Force.None);
        }, cancellationToken);

    /// <summary>
    /// A lock/unlock wants to start: if none is in flight it becomes the one (LOCKING/UNLOCKING is published at once);
    /// otherwise the caller learns which command runs and whether it is the same action (to join it) or not (to wait).
    /// </summary>
    public Task<CommandTurn> BeginCommandAsync(LockEntry entry, LockAction action, CancellationToken cancellationToken) =>
        WriteAsync(() =>
        {
            if (entry.InFlight is { } inFlight)
            {
                return new CommandTurn(inFlight.Completion, inFlight.Action == action, null, Task.CompletedTask);
            }
            var mine = new TaskCompletionSource<CommandOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
            // Taken as the command becomes visible: a reconnect from now on wakes its first confirmation.
            var wake = entry.ConfirmNowSignal;
            entry.InFlight = new InFlightAction(action, mine.Task);
            Publish(entry);
            return new CommandTurn(null, false, mine, wake);
        }, cancellationToken);

    /// <summary>The command in flight ended (confirmed or not): the lock's last confirmed state is published if it differs. Returns it.</summary>
    public Task<LockStatePayload> EndCommandAsync(LockEntry entry) =>
        // Never cancelled: a command that ran must not leave its LOCKING/UNLOCKING standing.
        WriteAsync(() =>
        {
            entry.InFlight = null;
            return Publish(entry);
        }, CancellationToken.None);

    /// <summary>A setting the cloud applied (or may have): shown now; the next poll corrects an outcome-unknown that did not apply.</summary>
    public Task ApplySettingAsync(LockEntry entry, Func<CloudLock, CloudLock> setting, CancellationToken cancellationToken) =>
        WriteAsync(() =>
        {
            Apply(entry, setting(entry.Cloud));
            Publish(entry);
            return true;
        }, cancellationToken);

    /// <summary>
    /// Facts learned from a lock's activity log. A lock not listed yet keeps the keypad fact for when it is; who made
    /// the latest change is filled in only while the device document does not say (a partial push does not).
    /// </summary>
    public Task LearnAsync(string deviceId, LearnedFacts facts, CancellationToken cancellationToken) =>
        WriteAsync(() =>
        {
            if (facts.KeypadDisabled is { } keypad)
            {
                _keypadDisabled[deviceId] = keypad;
            }
            if (!_byDevice.TryGetValue(deviceId, out var entry))
            {
                return false;
            }
            // Not a change the log will show (it came from the log), so no LockChanged.
            if (facts.ChangedBy is { } changedBy && entry.Cloud.ChangedBy is null)
            {
                entry.Cloud = entry.Cloud with { ChangedBy = changedBy };
            }
            if (facts.KeypadDisabled is { } disabled)
            {
                entry.Cloud = entry.Cloud with { KeypadDisabled = disabled };
            }
            Publish(entry);
            return true;
        }, cancellationToken);

    /// <summary>
    /// Re-publishes everything retained for every lock (after a reconnect or Home Assistant's birth), and <c>offline</c>
    /// on the availability of every lock remembered from an earlier run that has not been read yet: their retained
    /// <c>online</c> would make Home Assistant show pre-restart states as live while the cloud cannot be read.
    /// <c>online</c> comes only from fresh data.
    /// </summary>
    public Task RepublishAllAsync(CancellationToken cancellationToken) =>
        WriteAsync(() =>
        {
            foreach (var entry in _byDevice.Values)
            {
                Publish(entry, Force.All);
            }
            var published = _byDevice.Values.Select(e => e.TopicId).ToHashSet(StringComparer.Ordinal);
            foreach (var (deviceId, record) in _persisted)
            {
                if (!_byDevice.ContainsKey(deviceId) && published.Add(record.TopicId))
                {
                    _publisher.Publish(_topics.Availability(record.TopicId), "offline", retain: true);
                }
            }
            return true;
        }, cancellationToken);

    /// <summary>
    /// Clears the stale discovery configs <paramref name="cleaner"/> collected; false when its sweep was already done.
    /// Under the hub's lock: a lock being added meanwhile must not have its fresh config taken for stale.
    /// </summary>
    public Task<bool> SweepStaleDiscoveryAsync(StaleDiscoveryCleaner cleaner, CancellationToken cancellationToken) =>
        WriteAsync(() => cleaner.Sweep(Registry.DeviceIds, _publisher), cancellationToken);

    /// <summary>The discovery description of a lock.</summary>
    public static DiscoveryLock DiscoveryOf(LockEntry entry)
    {
        // From the learned facts, not the newest document: an offline lock's sparse document must not change discovery.
        var facts = entry.Facts;
        var options = facts.AllowedAutoLock ?? FallbackAutoLockOptions;
        if (facts.AutoLock is { } current && !options.Contains(current))
        {
            options = [.. options.Append(current).Order()];
        }
        // A door sensor is offered once the lock has reported a door state, not on the capability alone.
        var capabilities = facts.Capabilities with
        {
            AutoLock = facts.Capabilities.AutoLock is null ? null : new AutoLockCapability(options),
            DoorSensor = facts.Capabilities.DoorSensor && facts.HasDoor,
        };
        return new DiscoveryLock(entry.DeviceId, entry.TopicId, entry.Name, facts.Model, facts.Firmware, null, capabilities);
    }

    private async Task<T> WriteAsync<T>(Func<Task<T>> update, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        Action[] raise;
        T result;
        try
        {
            result = await update();
        }
        finally
        {
            raise = [.. _pending];
            _pending.Clear();
            _gate.Release();
        }
        foreach (var action in raise)
        {
            action();
        }
        return result;
    }

    private Task<T> WriteAsync<T>(Func<T> update, CancellationToken cancellationToken) =>
        WriteAsync(() => Task.FromResult(update()), cancellationToken);

    private void Raise<TEvent>(TEvent @event)
        where TEvent : IBridgeEvent => _pending.Add(() => _events.Raise(@event));

    private async Task ApplyPollLockedAsync(AccountRuntime account, CloudResult<IReadOnlyList<CloudLock>> result, CancellationToken cancellationToken)
    {
        if (!result.IsSuccess)
        {
            // Unknown is not empty: a failed poll removes nothing; availability follows the account's health.
            foreach (var entry in _byDevice.Values.Where(e => e.Account == account))
            {
                Publish(entry);
            }
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var changedIds = false;
        var changedSet = false;
        foreach (var cloud in result.Value!)
        {
            var configured = Configured(cloud);
            if (configured?.Ignore == true)
            {
                continue;
            }
            seen.Add(cloud.DeviceId);
            if (_byDevice.TryGetValue(cloud.DeviceId, out var entry))
            {
                Apply(entry, cloud);
                Publish(entry);
                continue;
            }
            var (topicId, changed) = _ids.Assign(cloud.DeviceId, cloud.Name ?? cloud.DeviceId, configured?.Alias);
            changedIds |= changed;
            MoveDisplacedTopicIds();
            entry = new LockEntry(account, cloud.DeviceId, topicId, WithLearnedKeypad(cloud));
            if (_persisted.TryGetValue(cloud.DeviceId, out var remembered))
            {
                // What an earlier run learned, so a lock that starts offline keeps its firmware and door sensor.
                entry.Facts = new LockFacts(remembered.Model, remembered.Firmware, remembered.DoorSensor == true, null, null).Learn(cloud);
            }
            _byDevice[cloud.DeviceId] = entry;
            _persisted[cloud.DeviceId] = Record(entry, account.Name);
            changedSet = true;
            _logger.LogInformation("Lock {Name} ({Model}) is {Topic}", entry.Name, cloud.ModelName ?? "unknown model", _topics.Lock(topicId));
            Publish(entry);
            Raise(new LockListed(entry));
        }

        foreach (var gone in _byDevice.Values.Where(e => e.Account == account && !seen.Contains(e.DeviceId)).ToList())
        {
            _logger.LogInformation("Lock {Name} left account {Account}; removing its topics and discovery", gone.Name, account.Name);
            Remove(gone.DeviceId, gone.TopicId, DiscoveryOf(gone));
            changedSet = changedIds = true;
        }

        // Locks remembered from an earlier run that this account no longer has (removed while the bridge was down).
        if (_sweptAccounts.Add(account.Name))
        {
            foreach (var (deviceId, record) in _persisted.Where(kv => kv.Value.Account == account.Name && !seen.Contains(kv.Key)).ToList())
            {
                _logger.LogInformation("Lock {Name} is no longer on account {Account}; clearing what an earlier run published", record.Name ?? deviceId, account.Name);
                Remove(deviceId, record.TopicId, new DiscoveryLock(deviceId, record.TopicId, record.Name ?? deviceId, null, null, null, ForgottenLock));
                changedIds = true;
            }
        }

        foreach (var entry in _byDevice.Values.Where(e => e.Account == account))
        {
            var record = Record(entry, account.Name);
            if (_persisted.TryGetValue(entry.DeviceId, out var had) && had != record)
            {
                _persisted[entry.DeviceId] = record;
                changedIds = true;
            }
        }
        if (changedIds || changedSet)
        {
            await PersistAsync(cancellationToken);
        }
        if (changedSet)
        {
            Raise(new LockSetChanged());
        }
    }

    private static TopicIdRecord Record(LockEntry entry, string account) =>
        new(entry.TopicId, account, entry.Cloud.Name, entry.Facts.Model, entry.Facts.Firmware, entry.Facts.HasDoor ? true : null);

    private CloudLock WithLearnedKeypad(CloudLock cloud) =>
        cloud.KeypadDisabled is null && _keypadDisabled.TryGetValue(cloud.DeviceId, out var learned) ? cloud with { KeypadDisabled = learned } : cloud;

    // Applies a document to the entry; publishing is the caller's next step, through the funnel.
    private void Apply(LockEntry entry, CloudLock cloud)
    {
        var old = entry.Cloud;
        if (cloud.UpdatedAt is { } at && old.UpdatedAt is { } have && at < have)
        {
            // Older than what the bridge already has (a poll answered before a push arrived): never go back in time.
            return;
        }
        cloud = WithLearnedKeypad(cloud) with
        {
            // Pushed documents carry the device's own idea of name and model; the polled ones are kept.
            Name = cloud.Name ?? old.Name,
            ModelName = cloud.ModelName ?? old.ModelName,
            // The cloud's own status check (deepQuery) is not an actor: who changed the lock last stays who it was.
            ChangedBy = cloud.ChangedByIsStatusCheck ? cloud.ChangedBy ?? old.ChangedBy : cloud.ChangedBy,
        };
        entry.Cloud = cloud;
        entry.Facts = entry.Facts.Learn(cloud);
        if (old.State != cloud.State || old.ChangedBy != cloud.ChangedBy || old.BatteryLow != cloud.BatteryLow || old.BatteryState != cloud.BatteryState
            || old.Connected != cloud.Connected || old.Door != cloud.Door)
        {
            Raise(new LockChanged(entry));
        }
    }

    private enum Force
    {
        None,
        State,
        All,
    }

    // The one funnel for a lock's retained topics: discovery, state and availability, each only when it changed (or forced).
    private LockStatePayload Publish(LockEntry entry, Force force = Force.None)
    {
        PublishDiscovery(entry, force == Force.All);
        var state = PublishState(entry, force != Force.None);
        PublishAvailability(entry, force == Force.All);
        return state;
    }

    private LockStatePayload PublishState(LockEntry entry, bool force)
    {
        var inFlight = entry.InFlight;
        var stateOverride = inFlight is not null && entry.Cloud.State != LockStateMapper.Target(inFlight.Action)
            ? LockStateMapper.Transitional(inFlight.Action)
            : null;
        var payload = LockStateMapper.Map(entry.Cloud, stateOverride, entry.Published?.LastUpdate);
        if (!payload.SameStateAs(entry.Published))
        {
            payload = payload with { LastUpdate = _time.GetUtcNow() };
        }
        else if (!force)
        {
            return entry.Published!;
        }
        entry.Published = payload;
        _publisher.PublishState(_topics.Lock(entry.TopicId), payload);
        Raise(new LockStatePublished(entry, payload));
        return payload;
    }

    private void PublishAvailability(LockEntry entry, bool force)
    {
        var availability = entry.Cloud.Connected != false && entry.Account.IsHealthy(_options.FailedPollsBeforeOffline) ? "online" : "offline";
        if (availability == entry.PublishedAvailability && !force)
        {
            return;
        }
        entry.PublishedAvailability = availability;
        _publisher.Publish(_topics.Availability(entry.TopicId), availability, retain: true);
        Raise(new LockAvailabilityPublished(entry, availability));
    }

    private void PublishDiscovery(LockEntry entry, bool force)
    {
        if (!_options.HomeAssistantEnabled)
        {
            return;
        }
        var messages = _discovery.ForLock(DiscoveryOf(entry));
        var fingerprint = string.Concat(messages.Select(m => m.Topic + m.Payload));
        if (fingerprint == entry.PublishedDiscovery && !force)
        {
            return;
        }
        entry.PublishedDiscovery = fingerprint;
        foreach (var message in messages)
        {
            _publisher.Publish(message.Topic, message.Payload, retain: true);
        }
    }

    private void Remove(string deviceId, string topicId, DiscoveryLock discovery)
    {
        if (_options.HomeAssistantEnabled)
        {
            foreach (var message in _discovery.RemoveLock(discovery))
            {
                _publisher.Publish(message.Topic, "", retain: true);
            }
        }
        foreach (var topic in new[] { _topics.Lock(topicId), _topics.Availability(topicId), _topics.AccessCodes(topicId) })
        {
            _publisher.Publish(topic, "", retain: true);
        }
        _byDevice.TryRemove(deviceId, out _);
        _persisted.Remove(deviceId);
        _ids.Release(deviceId);
    }

    // An alias can take a topic id another lock held by slug; that lock moves to its suffixed id.
    private void MoveDisplacedTopicIds()
    {
        foreach (var entry in _byDevice.Values)
        {
            var assigned = _ids.Assignments[entry.DeviceId];
            if (assigned != entry.TopicId)
            {
                _logger.LogWarning("Lock {Name} moves from {Old} to {New}: its topic id is now another lock's alias", entry.Name, entry.TopicId, assigned);
                _publisher.Publish(_topics.Lock(entry.TopicId), "", retain: true);
                _publisher.Publish(_topics.Availability(entry.TopicId), "", retain: true);
                entry.TopicId = assigned;
                _persisted[entry.DeviceId] = _persisted[entry.DeviceId] with { TopicId = assigned };
                entry.Published = null;
                entry.PublishedAvailability = null;
                Publish(entry, Force.All);
            }
        }
    }

    private LockOverride? Configured(CloudLock cloud) =>
        _options.Locks.FirstOrDefault(l => string.Equals(l.Match, cloud.DeviceId, StringComparison.OrdinalIgnoreCase))
        ?? _options.Locks.FirstOrDefault(l => string.Equals(l.Match, cloud.Name, StringComparison.OrdinalIgnoreCase));

    private async Task PersistAsync(CancellationToken cancellationToken)
    {
        if (_store is null)
        {
            return;
        }
        try
        {
            await _store.WriteAsync(TopicsDocument, new TopicIdDocument(new Dictionary<string, TopicIdRecord>(_persisted)), TopicIdJson.Default.TopicIdDocument, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _logger.LogError("Cannot save topic ids to {Directory}: {Reason}. Topic ids may change after a restart", _store.Directory, ex.Message);
        }
    }
}

/// <summary>
/// What a lock/unlock learned from <see cref="LockStateHub.BeginCommandAsync"/>: either it is the command now in flight
/// (<paramref name="Mine"/> set; <paramref name="Wake"/> completes when it should confirm at once), or another one
/// runs (<paramref name="Running"/>), of the same action (<paramref name="Joins"/>: share its outcome) or not (wait for it).
/// </summary>
internal sealed record CommandTurn(Task<CommandOutcome>? Running, bool Joins, TaskCompletionSource<CommandOutcome>? Mine, Task Wake);

/// <summary>Facts the activity log taught about a lock: who made its latest change, and whether its keypad is disabled.</summary>
internal sealed record LearnedFacts(ChangedBy? ChangedBy = null, bool? KeypadDisabled = null);
