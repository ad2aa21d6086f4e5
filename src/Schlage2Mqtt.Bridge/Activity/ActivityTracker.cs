using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Bridge.AccessCodes;
using Schlage2Mqtt.Bridge.Contract;
using Schlage2Mqtt.Bridge.Runtime;
using Schlage2Mqtt.Bridge.State;
using Schlage2Mqtt.Bridge.Topics;
using Schlage2Mqtt.Cloud;

namespace Schlage2Mqtt.Bridge.Activity;

/// <summary>
/// Publishes each activity-log entry once on <c>&lt;lock&gt;/activity</c>. Logs are read only when a lock's state
/// changed (by poll or push), never once per lock per poll; an entry the log does not show yet is looked for once
/// more a little later. A persisted watermark per lock means nothing is published twice, across push and poll and
/// across restarts (a restart catches up from the watermark); on a lock's very first read only what happened since the
/// bridge started is published.
/// </summary>
internal sealed class ActivityTracker : IBridgeFeature, IDisposable
{
    private const string Document = "activity";
    private const int Limit = 20;
    private static readonly TimeSpan Recheck = TimeSpan.FromSeconds(5);

    private readonly LockRegistry _registry;
    private readonly LockStateHub _hub;
    private readonly BridgeEvents _events;
    private readonly BridgePublisher _publisher;
    private readonly BridgeTopics _topics;
    private readonly StateStore? _store;
    private readonly BackgroundWork _work;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly AccessCodeManager _codes;
    private readonly Dictionary<string, ActivityWatermark> _marks;
    private readonly Dictionary<string, int> _wanted = new(StringComparer.Ordinal);
    private readonly DateTimeOffset _startedAt;
    private readonly SemaphoreSlim _persist = new(1, 1);

    // Code names learned from the lock's code list (never the PINs), for keypad entries the access-code manager has
    // not read: a pushed bolt change (seed-004 events) or an older entry does not carry the code's name.
    private readonly Dictionary<(string DeviceId, string CodeId), string?> _codeNames = [];

    public ActivityTracker(LockRegistry registry, LockStateHub hub, BridgeEvents events, BridgePublisher publisher, BridgeTopics topics,
        BackgroundWork work, TimeProvider time, ILogger<ActivityTracker> logger, AccessCodeManager codes, StateStore? store = null)
    {
        _registry = registry;
        _hub = hub;
        _events = events;
        _publisher = publisher;
        _topics = topics;
        _store = store;
        _work = work;
        _time = time;
        _logger = logger;
        _codes = codes;
        _marks = store is null ? [] : ActivityDocument.Read(store, Document);
        // Log times may have whole seconds only: an event in the bridge's first second must not look older than the start.
        var now = time.GetUtcNow();
        _startedAt = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond));
    }

    public void Dispose() => _persist.Dispose();

    /// <summary>Hands the hub the keypad states an earlier run read from the logs, then follows the locks' changes.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        List<(string DeviceId, bool Disabled)> remembered;
        lock (_marks)
        {
            remembered = [.. _marks.Where(kv => kv.Value.KeypadDisabled is not null).Select(kv => (kv.Key, kv.Value.KeypadDisabled!.Value))];
        }
        foreach (var (deviceId, disabled) in remembered)
        {
            // The device document does not say; before any lock is listed, so its first state already carries it.
            await _hub.LearnAsync(deviceId, new LearnedFacts(KeypadDisabled: disabled), cancellationToken);
        }
        _events.On<LockListed>(e => OnLockAdded(e.Lock));
        _events.On<LockChanged>(e => OnLockChanged(e.Lock));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// A lock seen for the first time since the bridge started: if an earlier run read its log, read it once now, so
    /// what happened while the bridge was away is published (once: the watermark says where the last run stopped).
    /// </summary>
    private void OnLockAdded(LockEntry entry)
    {
        bool known;
        lock (_marks)
        {
            known = _marks.ContainsKey(entry.DeviceId);
        }
        if (known)
        {
            OnLockChanged(entry);
        }
    }

    /// <summary>A lock's state changed: its log has something new. Coalesced: one read serves many changes.</summary>
    private void OnLockChanged(LockEntry entry)
    {
        if (!entry.Cloud.Capabilities.ActivityLog)
        {
            // No log to read: the state topic alone tells what changed.
            return;
        }
        lock (_wanted)
        {
            if (_wanted.TryGetValue(entry.DeviceId, out var pending))
            {
                _wanted[entry.DeviceId] = pending + 1;
                return;
            }
            _wanted[entry.DeviceId] = 1;
        }
        _work.Run($"activity of {entry.TopicId}", ct => ReadAsync(entry.DeviceId, ct));
    }

    private async Task ReadAsync(string deviceId, CancellationToken cancellationToken)
    {
        var attempt = 0;
        while (true)
        {
            int requested;
            lock (_wanted)
            {
                requested = _wanted[deviceId];
            }
            var found = await ReadOnceAsync(deviceId, cancellationToken);
            attempt++;
            lock (_wanted)
            {
                if (_wanted[deviceId] == requested && (found || attempt >= 2))
                {
                    _wanted.Remove(deviceId);
                    return;
                }
                if (_wanted[deviceId] != requested)
                {
                    // Changed again while reading: read again for it.
                    attempt = 0;
                    continue;
                }
            }
            // The state changed but the log does not show it yet: the cloud often logs a moment later.
            await Task.Delay(Recheck, _time, cancellationToken);
        }
    }

    /// <summary>Reads the log once and publishes what is new; true when something new was found.</summary>
    private async Task<bool> ReadOnceAsync(string deviceId, CancellationToken cancellationToken)
    {
        var entry = _registry.Find(deviceId);
        if (entry is null)
        {
            return true;
        }
        var result = await entry.Account.Account.GetLogsAsync(deviceId, Limit, cancellationToken);
        if (!result.IsSuccess)
        {
            _logger.LogDebug("Cannot read the activity of {Lock}: {Failure}", entry.TopicId, result.Failure);
            return true;
        }

        ActivityWatermark? mark;
        lock (_marks)
        {
            mark = _marks.GetValueOrDefault(deviceId);
        }
        var since = mark?.Time ?? _startedAt;
        var seen = mark?.IdsAtTime ?? [];
        var fresh = result.Value!
            .Where(l => l.Time is { } t && (t > since || (t == since && l.Id is not null && !seen.Contains(l.Id))))
            .OrderBy(l => l.Time)
            .ToList();
        if (fresh.Count == 0)
        {
            return false;
        }

        await LearnCodeNamesAsync(entry, fresh, cancellationToken);
        var keypad = mark?.KeypadDisabled;
        foreach (var log in fresh)
        {
            var kind = ActivityMapper.Map(log.EventCode);
            keypad = KeypadDisabledRule.After(keypad, log.EventCode);
            if ((kind.EventType == "code_added" || kind.Method == "keypad") && log.AccessCodeId is { } provenId)
            {
                // The lock logged this code itself (added, or used at the keypad): it has it, whatever the cloud said before.
                _codes.ProvenOnLock(deviceId, provenId);
            }
            if (kind.EventType is "code_added" or "code_removed" && log.AccessCodeId is { } codeId && _codes.ChangedByBridge(deviceId, codeId))
            {
                // The bridge announced its own code change when it settled; the log's echo of it is not news.
                continue;
            }
            _publisher.PublishJson(_topics.Activity(entry.TopicId), Event(entry, log, kind), ContractJson.Default.ActivityEvent, retain: false);
        }
        var newest = fresh[^1].Time!.Value;
        var idsAtNewest = fresh.Where(l => l.Time == newest && l.Id is not null).Select(l => l.Id!)
            .Concat(newest == since ? seen : []).Distinct().ToList();
        var changedKeypad = keypad != mark?.KeypadDisabled;
        lock (_marks)
        {
            _marks[deviceId] = new ActivityWatermark(newest, idsAtNewest, keypad);
        }
        await PersistAsync(cancellationToken);
        var changedBy = entry.Cloud.ChangedBy is null ? ChangedByOf(entry, fresh) : null;
        if (changedKeypad || changedBy is not null)
        {
            // A partial push (bolt and door only) does not say who moved the bolt; the log does. The hub fills it in
            // only if no document said it meanwhile.
            await _hub.LearnAsync(deviceId, new LearnedFacts(changedBy, changedKeypad ? keypad : null), cancellationToken);
        }
        return true;
    }

    /// <summary>Who made the newest bolt change among <paramref name="fresh"/>, as the device document would say it; or null.</summary>
    private ChangedBy? ChangedByOf(LockEntry entry, List<CloudLogEntry> fresh) =>
        ChangedByRule.From(fresh, id => _codes.NameOf(entry.DeviceId, id) ?? (KnownName(entry.DeviceId, id, out var name) ? name : null));

    /// <summary>Reads the lock's code list once when a keypad entry names a code nobody here knows.</summary>
    private async Task LearnCodeNamesAsync(LockEntry entry, List<CloudLogEntry> fresh, CancellationToken cancellationToken)
    {
        var unknown = fresh
            .Where(l => l.AccessCodeId is not null && ActivityMapper.Map(l.EventCode).Method == "keypad")
            .Select(l => l.AccessCodeId!)
            .Where(id => _codes.NameOf(entry.DeviceId, id) is null && !KnownName(entry.DeviceId, id, out _))
            .ToList();
        if (unknown.Count == 0)
        {
            return;
        }
        var codes = await entry.Account.Account.ListAccessCodesAsync(entry.DeviceId, cancellationToken);
        if (!codes.IsSuccess)
        {
            _logger.LogDebug("Cannot read the codes of {Lock} to name a keypad entry: {Failure}", entry.TopicId, codes.Failure);
            return;
        }
        lock (_codeNames)
        {
            foreach (var code in codes.Value!)
            {
                _codeNames[(entry.DeviceId, code.Id)] = code.Name;
            }
            foreach (var id in unknown)
            {
                // A code deleted since: remembered as nameless so it is not looked up again.
                _codeNames.TryAdd((entry.DeviceId, id), null);
            }
        }
    }

    private bool KnownName(string deviceId, string codeId, out string? name)
    {
        lock (_codeNames)
        {
            return _codeNames.TryGetValue((deviceId, codeId), out name);
        }
    }

    private ActivityEvent Event(LockEntry entry, CloudLogEntry log, ActivityKind kind)
    {
        // The device document names who made the latest change; older entries are named from the code list.
        var changedBy = entry.Cloud.ChangedBy;
        string? user = null, code = null;
        if (kind.Method == "keypad" && log.AccessCodeId is { } codeId)
        {
            code = _codes.NameOf(entry.DeviceId, codeId)
                ?? (KnownName(entry.DeviceId, codeId, out var learned) ? learned : null)
                ?? (changedBy?.Method == ChangeMethod.Keypad ? changedBy.Name : null);
        }
        if (kind.Method is "mobile" or "apple" && changedBy?.Method is ChangeMethod.Mobile or ChangeMethod.AppleNfc)
        {
            user = changedBy.Name;
        }
        return new ActivityEvent(kind.EventType, kind.Method, user, code, log.Time!.Value) { EventCode = log.EventCode };
    }

    private async Task PersistAsync(CancellationToken cancellationToken)
    {
        if (_store is null)
        {
            return;
        }
        await _persist.WaitAsync(cancellationToken);
        try
        {
            ActivityDocument document;
            lock (_marks)
            {
                document = new ActivityDocument(new Dictionary<string, ActivityWatermark>(_marks));
            }
            await _store.WriteAsync(Document, document, ActivityJson.Default.ActivityDocument, cancellationToken);
        }
        finally
        {
            _persist.Release();
        }
    }
}
