using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Bridge.Contract;
using Schlage2Mqtt.Bridge.Discovery;
using Schlage2Mqtt.Bridge.State;
using Schlage2Mqtt.Bridge.Topics;
using Schlage2Mqtt.Cloud;

namespace Schlage2Mqtt.Bridge.Runtime;

/// <summary>
/// The locks of every account, their topic ids (persisted), and what has been published for them. Applying a poll
/// adds locks that appeared, removes (with their discovery and retained topics) locks that left, and publishes a
/// lock's state only when something changed. Everything that mutates runs under <see cref="Gate"/>.
/// </summary>
internal sealed class LockRegistry
{
    private const string TopicsDocument = "topics";
    private static readonly IReadOnlyList<int> FallbackAutoLockOptions = [0, 15, 30, 60, 120, 240, 360, 600];

    // What a lock remembered from a previous run but no longer listed is removed as: its entities as discovered then.
    private static readonly LockCapabilities ForgottenLock = LockCapabilities.Assumed with { AutoLock = new AutoLockCapability(FallbackAutoLockOptions), DoorSensor = false };

    private readonly BridgeOptions _options;
    private readonly BridgePublisher _publisher;
    private readonly BridgeTopics _topics;
    private readonly DiscoveryBuilder _discovery;
    private readonly StateStore? _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    // Mutated under the gate, read from anywhere (request handlers, access-code workers).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, LockEntry> _byDevice = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TopicIdRecord> _persisted;
    private readonly TopicIdAllocator _ids;
    private readonly HashSet<string> _sweptAccounts = new(StringComparer.Ordinal);

    public LockRegistry(BridgeOptions options, BridgePublisher publisher, DiscoveryBuilder discovery, StateStore? store, TimeProvider time, ILogger logger)
    {
        _options = options;
        _publisher = publisher;
        _topics = new BridgeTopics(options.BaseTopic);
        _discovery = discovery;
        _store = store;
        _time = time;
        _logger = logger;
        _persisted = store is null ? [] : TopicIdDocument.Read(store);
        _ids = new TopicIdAllocator(_persisted.ToDictionary(kv => kv.Key, kv => kv.Value.TopicId));
    }

    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>Raised (under the gate) when locks are added or removed, so <c>bridge/info</c> can be refreshed.</summary>
    public event Action? LocksChanged;

    /// <summary>Raised (under the gate) when the bridge sees a lock for the first time since it started.</summary>
    public event Action<LockEntry>? LockAdded;

    /// <summary>Raised (under the gate) when a lock changed in a way its activity log will show (bolt, who, battery, door, connection).</summary>
    public event Action<LockEntry>? LockChanged;

    /// <summary>Where the keypad-disabled flag comes from (the activity log; the device document does not carry it).</summary>
    public Func<string, bool?> KeypadDisabledOf { get; set; } = _ => null;

    /// <summary>Accounts whose locks have not been listed yet (a lock asked for may be one of theirs).</summary>
    public Func<IReadOnlyList<string>> UnlistedAccounts { get; set; } = () => [];

    /// <summary>The <c>unknown_lock</c> error for <paramref name="lockId"/>, saying which accounts are still unread.</summary>
    public Contract.BridgeError UnknownLock(string lockId) => BridgeErrors.UnknownLock(lockId, Entries.Select(e => e.TopicId), UnlistedAccounts());

    public IReadOnlyList<LockEntry> Entries => [.. _byDevice.Values.OrderBy(e => e.TopicId, StringComparer.Ordinal)];

    /// <summary>Finds a lock by topic id, device id, or (case-insensitive) Schlage name.</summary>
    public LockEntry? Find(string id)
    {
        var entries = _byDevice.Values.ToList();
        return entries.FirstOrDefault(e => e.TopicId == id)
            ?? (_byDevice.TryGetValue(id, out var byDevice) ? byDevice : null)
            ?? entries.FirstOrDefault(e => string.Equals(e.Cloud.Name, id, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Applies one account's poll. Call under <see cref="Gate"/>.</summary>
    public async Task ApplyPollAsync(AccountRuntime account, CloudResult<IReadOnlyList<CloudLock>> result, CancellationToken cancellationToken)
    {
        if (!result.IsSuccess)
        {
            // Unknown is not empty: a failed poll removes nothing; availability follows the account's health.
            foreach (var entry in _byDevice.Values.Where(e => e.Account == account))
            {
                PublishAvailability(entry);
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
                Update(entry, cloud);
                continue;
            }
            var (topicId, changed) = _ids.Assign(cloud.DeviceId, cloud.Name ?? cloud.DeviceId, configured?.Alias);
            changedIds |= changed;
            MoveDisplacedTopicIds();
            entry = new LockEntry(account, cloud.DeviceId, topicId, cloud);
            if (_persisted.TryGetValue(cloud.DeviceId, out var remembered))
            {
                // What an earlier run learned, so a lock that starts offline keeps its firmware and door sensor.
                entry.Facts = new LockFacts(remembered.Model, remembered.Firmware, remembered.DoorSensor == true, null, null).Learn(cloud);
            }
            _byDevice[cloud.DeviceId] = entry;
            _persisted[cloud.DeviceId] = Record(entry, account.Name);
            changedSet = true;
            _logger.LogInformation("Lock {Name} ({Model}) is {Topic}", entry.Name, cloud.ModelName ?? "unknown model", _topics.Lock(topicId));
            PublishDiscovery(entry);
            PublishState(entry);
            PublishAvailability(entry);
            LockAdded?.Invoke(entry);
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
            LocksChanged?.Invoke();
        }
    }

    private static TopicIdRecord Record(LockEntry entry, string account) =>
        new(entry.TopicId, account, entry.Cloud.Name, entry.Facts.Model, entry.Facts.Firmware, entry.Facts.HasDoor ? true : null);

    /// <summary>
    /// Publishes <c>offline</c> on the availability of every lock remembered from an earlier run that has not been read
    /// yet: their retained <c>online</c> would make Home Assistant show pre-restart states as live while the cloud cannot
    /// be read. <c>online</c> comes only from fresh data. Call under <see cref="Gate"/>.
    /// </summary>
    public void PublishRememberedOffline()
    {
        var published = _byDevice.Values.Select(e => e.TopicId).ToHashSet(StringComparer.Ordinal);
        foreach (var (deviceId, record) in _persisted)
        {
            if (!_byDevice.ContainsKey(deviceId) && published.Add(record.TopicId))
            {
                _publisher.Publish(_topics.Availability(record.TopicId), "offline", retain: true);
            }
        }
    }

    /// <summary>Applies one lock's fresh document (after a command or a refresh). Call under <see cref="Gate"/>.</summary>
    public void ApplyLock(LockEntry entry, CloudLock cloud) => Update(entry, cloud);

    /// <summary>
    /// Fills in who made the lock's latest change (learned from its log) and publishes it. Not a change the log will
    /// show, so no <see cref="LockChanged"/>. Call under <see cref="Gate"/>.
    /// </summary>
    public void Describe(LockEntry entry, ChangedBy changedBy)
    {
        entry.Cloud = entry.Cloud with { ChangedBy = changedBy };
        PublishState(entry);
    }

    /// <summary>Publishes the lock's state if it changed (or always, when <paramref name="force"/>). Call under <see cref="Gate"/>.</summary>
    public LockStatePayload PublishState(LockEntry entry, bool force = false)
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
        return payload;
    }

    /// <summary>Publishes online/offline if it changed (or always, when forced). Call under <see cref="Gate"/>.</summary>
    public void PublishAvailability(LockEntry entry, bool force = false)
    {
        var availability = entry.Cloud.Connected != false && entry.Account.IsHealthy(_options.FailedPollsBeforeOffline) ? "online" : "offline";
        if (availability == entry.PublishedAvailability && !force)
        {
            return;
        }
        entry.PublishedAvailability = availability;
        _publisher.Publish(_topics.Availability(entry.TopicId), availability, retain: true);
    }

    /// <summary>Publishes the lock's discovery if it changed (or always, when forced). Call under <see cref="Gate"/>.</summary>
    public void PublishDiscovery(LockEntry entry, bool force = false)
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

    /// <summary>Re-publishes everything retained for every lock (after a reconnect or Home Assistant's birth). Call under <see cref="Gate"/>.</summary>
    public void RepublishAll()
    {
        foreach (var entry in _byDevice.Values)
        {
            PublishDiscovery(entry, force: true);
            PublishState(entry, force: true);
            PublishAvailability(entry, force: true);
        }
    }

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

    /// <summary>Device ids of every lock the bridge publishes (to tell stale discovery from live).</summary>
    public IReadOnlySet<string> DeviceIds => _byDevice.Keys.ToHashSet(StringComparer.Ordinal);

    /// <summary>Applies a pushed update: a whole document, or a partial bolt/door change. Call under <see cref="Gate"/>.</summary>
    public void ApplyPush(LockEntry entry, PushedUpdate update)
    {
        var cloud = update.Document ?? entry.Cloud with
        {
            State = update.State ?? entry.Cloud.State,
            Door = update.Door ?? entry.Cloud.Door,
            // A partial update does not say who changed it: unknown until the next document.
            ChangedBy = update.State is { } state && state != entry.Cloud.State ? null : entry.Cloud.ChangedBy,
            UpdatedAt = update.CloudTimestamp ?? entry.Cloud.UpdatedAt,
        };
        Update(entry, cloud);
    }

    private void Update(LockEntry entry, CloudLock cloud)
    {
        var old = entry.Cloud;
        if (cloud.UpdatedAt is { } at && old.UpdatedAt is { } have && at < have)
        {
            // Older than what the bridge already has (a poll answered before a push arrived): never go back in time.
            return;
        }
        cloud = cloud with
        {
            // Pushed documents carry the device's own idea of name and model; the polled ones are kept.
            Name = cloud.Name ?? old.Name,
            ModelName = cloud.ModelName ?? old.ModelName,
            KeypadDisabled = cloud.KeypadDisabled ?? KeypadDisabledOf(entry.DeviceId),
            // The cloud's own status check (deepQuery) is not an actor: who changed the lock last stays who it was.
            ChangedBy = cloud.ChangedByIsStatusCheck ? cloud.ChangedBy ?? old.ChangedBy : cloud.ChangedBy,
        };
        entry.Cloud = cloud;
        entry.Facts = entry.Facts.Learn(cloud);
        PublishDiscovery(entry);
        PublishState(entry);
        PublishAvailability(entry);
        if (old.State != cloud.State || old.ChangedBy != cloud.ChangedBy || old.BatteryLow != cloud.BatteryLow || old.BatteryState != cloud.BatteryState
            || old.Connected != cloud.Connected || old.Door != cloud.Door)
        {
            LockChanged?.Invoke(entry);
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
                PublishDiscovery(entry, force: true);
                PublishState(entry, force: true);
                PublishAvailability(entry, force: true);
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
