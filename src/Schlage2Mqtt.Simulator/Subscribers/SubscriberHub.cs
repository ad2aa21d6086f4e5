using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Simulator.Cloud;
using Schlage2Mqtt.Simulator.Internal;

namespace Schlage2Mqtt.Simulator.Subscribers;

/// <summary>
/// The subscriber side of the seed-004 API: subscribers per user, the Socket.IO sessions joined with them, and the
/// <c>data</c> events sent when a lock's bolt or door changes. Thread-safe; events are queued to sessions under one
/// lock, so every session sees a lock's changes in the order they happened.
/// </summary>
internal sealed class SubscriberHub
{
    /// <summary>Random stream of subscriber and session ids (accounts, devices and Cognito use others).</summary>
    public const int IdStream = 40;

    /// <summary>The <c>clientID</c> subscribers answer with: the partner app the simulator pretends the caller is.</summary>
    public const string ClientId = "schlage2mqtt-simulator";

    private readonly Lock _gate = new();
    private readonly SimulatorRuntime _runtime;
    private readonly ILogger _logger;
    private readonly Dictionary<string, SubscriberState> _subscribers = new(StringComparer.Ordinal);
    private readonly List<SocketIoSession> _sessions = [];
    private readonly Dictionary<string, (string Action, string Door)> _last = new(StringComparer.Ordinal);
    private SeededRandom _ids;
    private bool _enabled = true;
    private long _created;

    public SubscriberHub(SimulatorRuntime runtime)
    {
        _runtime = runtime;
        _logger = runtime.LoggerFactory.CreateLogger<SubscriberHub>();
        _ids = new SeededRandom(runtime.Options.Seed, IdStream);
        Snapshot();
        runtime.DeviceChanged += OnDeviceChanged;
    }

    /// <summary>False: every subscriber route and the socket answer 404 (the API offers no subscribers).</summary>
    public bool Enabled
    {
        get { lock (_gate) { return _enabled; } }
        set { lock (_gate) { _enabled = value; } }
    }

    public SubscriberState Create(AccountState owner, IReadOnlyList<string> scopes)
    {
        lock (_gate)
        {
            var state = new SubscriberState(_ids.NextUuid(), ++_created, owner, scopes);
            _subscribers.Add(state.Id, state);
            return state;
        }
    }

    /// <summary>The subscriber if it exists (and belongs to <paramref name="owner"/>, when given).</summary>
    public SubscriberState? Get(string id, AccountState? owner = null)
    {
        lock (_gate)
        {
            return _subscribers.TryGetValue(id, out var s) && (owner is null || ReferenceEquals(s.Owner, owner)) ? s : null;
        }
    }

    /// <summary>Forgets a subscriber; its sessions get a Socket.IO disconnect and are closed.</summary>
    public bool Delete(string id, AccountState? owner = null)
    {
        List<SocketIoSession> joined;
        lock (_gate)
        {
            if (!_subscribers.TryGetValue(id, out var s) || (owner is not null && !ReferenceEquals(s.Owner, owner)))
            {
                return false;
            }
            _subscribers.Remove(id);
            joined = [.. _sessions.Where(x => ReferenceEquals(x.Subscriber, s))];
        }
        foreach (var session in joined)
        {
            session.DisconnectFromServer();
        }
        return true;
    }

    /// <summary>Forgets every subscriber (of one account when <paramref name="email"/> is set); returns how many.</summary>
    public int DeleteAll(string? email)
    {
        List<string> ids;
        lock (_gate)
        {
            ids = [.. _subscribers.Values.Where(s => email is null || string.Equals(s.Owner.Email, email, StringComparison.OrdinalIgnoreCase)).Select(s => s.Id)];
        }
        return ids.Count(id => Delete(id));
    }

    /// <summary>Cuts every socket (of one account when <paramref name="email"/> is set) without a close handshake; returns how many.</summary>
    public int DropConnections(string? email)
    {
        List<SocketIoSession> cut;
        lock (_gate)
        {
            cut = [.. _sessions.Where(x => email is null || string.Equals(x.Subscriber?.Owner.Email, email, StringComparison.OrdinalIgnoreCase))];
        }
        foreach (var session in cut)
        {
            session.Abort();
        }
        return cut.Count;
    }

    public IReadOnlyList<SimulatedSubscriber> List()
    {
        lock (_gate)
        {
            return [.. _subscribers.Values.OrderBy(s => s.Sequence).Select(s => new SimulatedSubscriber(s.Id, s.Owner.Email, s.Scopes,
                _sessions.Count(x => ReferenceEquals(x.Subscriber, s)), s.PingsSent, s.PongsReceived, s.EventsSent))];
        }
    }

    /// <summary>Back to no subscribers, enabled, ids from the seed, every socket cut; lock states read afresh.</summary>
    public void Reset()
    {
        List<SocketIoSession> sessions;
        lock (_gate)
        {
            _subscribers.Clear();
            _enabled = true;
            _ids = new SeededRandom(_runtime.Options.Seed, IdStream);
            sessions = [.. _sessions];
            _sessions.Clear();
        }
        foreach (var session in sessions)
        {
            session.Abort();
        }
        Snapshot();
    }

    public string NewSid() => Base64Url.Encode(_ids.NextBytes(15));

    public void Attach(SocketIoSession session)
    {
        lock (_gate) { _sessions.Add(session); }
    }

    public void Detach(SocketIoSession session)
    {
        lock (_gate) { _sessions.Remove(session); }
    }

    /// <summary>A session asks to join with its subscriber id: the subscriber, or null when the server does not know it.</summary>
    public SubscriberState? Join(SocketIoSession session, string? subscriberId)
    {
        lock (_gate)
        {
            if (!_enabled || subscriberId is null || !_subscribers.TryGetValue(subscriberId, out var s) || !_sessions.Contains(session))
            {
                return null;
            }
            session.Subscriber = s;
            return s;
        }
    }

    /// <summary>The event a lock's document stands for: bolt as an action word, door in August's vocabulary; null when offline.</summary>
    internal static (string Action, string Door)? EventOf(LockDevice device)
    {
        var document = device.ToDocument();
        if (!document.Connected || document.Attributes.LockState is not { } state)
        {
            return null;
        }
        var action = state switch
        {
            0 => "unlock",
            1 => "lock",
            2 or 4 => "jammed",
            _ => "unknown",
        };
        var door = document.Attributes.DoorState switch
        {
            null => "init",
            1 => "open",
            2 => "closed",
            _ => "unknown",
        };
        return (action, door);
    }

    /// <summary>The lockID of a device: its id without dashes, upper case (seed 004's <c>^[\dA-F]{32}$</c>).</summary>
    internal static string LockIdOf(string deviceId) => deviceId.Replace("-", "", StringComparison.Ordinal).ToUpperInvariant();

    private void Snapshot()
    {
        var devices = _runtime.World.AllDevices();
        lock (_gate)
        {
            _last.Clear();
            foreach (var device in devices)
            {
                if (EventOf(device) is { } e)
                {
                    _last[device.DeviceId] = e;
                }
            }
        }
    }

    private void OnDeviceChanged(string deviceId)
    {
        var device = _runtime.World.Device(deviceId);
        if (device is null)
        {
            lock (_gate) { _last.Remove(deviceId); }
            return;
        }
        lock (_gate)
        {
            // Read under the hub's lock so two changes of one lock are compared and queued in the order they were read.
            if (EventOf(device) is not { } current || (_last.TryGetValue(deviceId, out var last) && last == current))
            {
                return;
            }
            _last[deviceId] = current;
            var data = new SubscriberEvent(LockIdOf(deviceId), current.Action, current.Door);
            var sent = 0;
            foreach (var session in _sessions)
            {
                if (session.Subscriber is { } s && ReferenceEquals(s.Owner, device.Owner) && s.Scopes.Contains("lock") && session.SendEvent("data", data))
                {
                    s.CountEvent();
                    sent++;
                }
            }
            _logger.LogDebug("Subscriber event {Action}/{Door} for {DeviceId} to {Sessions} session(s)", current.Action, current.Door, deviceId, sent);
        }
    }
}

/// <summary>One subscriber: its owner and scopes, and counters tests read.</summary>
internal sealed class SubscriberState(string id, long sequence, AccountState owner, IReadOnlyList<string> scopes)
{
    private long _pingsSent;
    private long _pongsReceived;
    private long _eventsSent;

    public string Id { get; } = id;

    public AccountState Owner { get; } = owner;

    public IReadOnlyList<string> Scopes { get; } = scopes;

    public long Sequence { get; } = sequence;

    public long PingsSent => Interlocked.Read(ref _pingsSent);

    public long PongsReceived => Interlocked.Read(ref _pongsReceived);

    public long EventsSent => Interlocked.Read(ref _eventsSent);

    public void CountPing() => Interlocked.Increment(ref _pingsSent);

    public void CountPong() => Interlocked.Increment(ref _pongsReceived);

    public void CountEvent() => Interlocked.Increment(ref _eventsSent);

    public SubscriberDocument ToDocument() => new(Id, Scopes, SubscriberHub.ClientId, Owner.IdentityId);
}
