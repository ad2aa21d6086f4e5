namespace Schlage2Mqtt.Mqtt.Client;

/// <summary>
/// Client-side session state: packet identifiers in use, QoS 1/2 publishes awaiting acknowledgement and QoS 2
/// deliveries awaiting PUBREL. A reconnecting client keeps one session across connections so that unacknowledged
/// messages are retransmitted (resumed session) or sent again (new session) rather than lost.
/// </summary>
internal sealed class MqttSession
{
    private const int PoolLimit = 4096;

    private readonly object?[] _ids = new object?[65536];
    private readonly bool[] _incomingQos2 = new bool[65536];
    private readonly Stack<OutgoingPublish> _pool = new();
    private ushort _lastId;
    private int _inUse;
    private long _sequence;
    private long _refused;

    public MqttSession(bool keepInflightAcrossConnections)
    {
        KeepInflightAcrossConnections = keepInflightAcrossConnections;
    }

    /// <summary>Guards every field; held only for short, non-blocking work.</summary>
    public object Gate { get; } = new();

    public bool KeepInflightAcrossConnections { get; }

    public int IncomingQos2Count { get; private set; }

    /// <summary>Publishes refused locally (broker limits, unencodable); see <see cref="MqttConnection.MessagesRefused"/>.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    public void CountRefused() => Interlocked.Increment(ref _refused);

    public OutgoingPublish Rent(MqttMessage message)
    {
        OutgoingPublish? op;
        lock (Gate)
        {
            _pool.TryPop(out op);
        }
        op ??= new OutgoingPublish(this);
        op.Start(message);
        return op;
    }

    public void Return(OutgoingPublish op)
    {
        lock (Gate)
        {
            if (_pool.Count < PoolLimit)
            {
                _pool.Push(op);
            }
        }
    }

    /// <summary>Assigns a free packet identifier to <paramref name="owner"/>. Caller holds <see cref="Gate"/>.</summary>
    public ushort AllocateId(object owner)
    {
        if (_inUse >= 65535)
        {
            throw new MqttException("All 65535 packet identifiers are in use.");
        }
        var id = _lastId;
        do
        {
            id = (ushort)(id == ushort.MaxValue ? 1 : id + 1);
        }
        while (_ids[id] is not null);
        _ids[id] = owner;
        _lastId = id;
        _inUse++;
        if (owner is OutgoingPublish op)
        {
            op.PacketId = id;
            op.Sequence = ++_sequence;
        }
        return id;
    }

    /// <summary>Caller holds <see cref="Gate"/>.</summary>
    public object? Get(ushort id) => _ids[id];

    /// <summary>Frees <paramref name="id"/> if it still belongs to <paramref name="owner"/>. Caller holds <see cref="Gate"/>.</summary>
    public bool Release(ushort id, object owner)
    {
        if (id == 0 || !ReferenceEquals(_ids[id], owner))
        {
            return false;
        }
        _ids[id] = null;
        _inUse--;
        return true;
    }

    /// <summary>All in-flight publishes in first-send order. Caller holds <see cref="Gate"/>.</summary>
    public List<OutgoingPublish> InflightInOrder()
    {
        var list = new List<OutgoingPublish>();
        if (_inUse == 0)
        {
            return list;
        }
        foreach (var entry in _ids)
        {
            if (entry is OutgoingPublish op)
            {
                list.Add(op);
            }
        }
        list.Sort(static (a, b) => a.Sequence.CompareTo(b.Sequence));
        return list;
    }

    /// <summary>Frees every identifier held by something other than a publish (subscribe/unsubscribe requests). Caller holds <see cref="Gate"/>.</summary>
    public List<object> ReleaseRequests()
    {
        var released = new List<object>();
        for (var i = 1; i < _ids.Length; i++)
        {
            if (_ids[i] is { } entry and not OutgoingPublish)
            {
                released.Add(entry);
                _ids[i] = null;
                _inUse--;
            }
        }
        return released;
    }

    /// <summary>Records an incoming QoS 2 packet id; false when it was already recorded (a duplicate). Caller holds <see cref="Gate"/>.</summary>
    public bool MarkIncomingQos2(ushort id)
    {
        if (_incomingQos2[id])
        {
            return false;
        }
        _incomingQos2[id] = true;
        IncomingQos2Count++;
        return true;
    }

    /// <summary>Caller holds <see cref="Gate"/>.</summary>
    public bool ReleaseIncomingQos2(ushort id)
    {
        if (!_incomingQos2[id])
        {
            return false;
        }
        _incomingQos2[id] = false;
        IncomingQos2Count--;
        return true;
    }

    /// <summary>Forgets incoming QoS 2 state (the broker started a new session). Caller holds <see cref="Gate"/>.</summary>
    public void ClearIncomingQos2()
    {
        if (IncomingQos2Count > 0)
        {
            Array.Clear(_incomingQos2);
            IncomingQos2Count = 0;
        }
    }
}
