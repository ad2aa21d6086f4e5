using System.Threading.Tasks.Sources;

namespace Schlage2Mqtt.Mqtt.Client;

/// <summary>Where a QoS 1/2 publish is in its acknowledgement flow.</summary>
internal enum OutgoingStage : byte
{
    /// <summary>Not yet sent (waiting for a connection or for in-flight quota).</summary>
    Pending,
    AwaitingPubAck,
    AwaitingPubRec,
    AwaitingPubComp,
}

/// <summary>
/// One publish awaiting its acknowledgement; a pooled <see cref="IValueTaskSource{TResult}"/> so that steady-state
/// QoS 1/2 publishing allocates no task per message.
/// </summary>
internal sealed class OutgoingPublish : IValueTaskSource<PublishResult>
{
    private readonly MqttSession _owner;
    private ManualResetValueTaskSourceCore<PublishResult> _core = new() { RunContinuationsAsynchronously = true };
    private int _completed;

    public OutgoingPublish(MqttSession owner)
    {
        _owner = owner;
    }

    public MqttMessage Message { get; private set; } = null!;

    public ushort PacketId { get; set; }

    public OutgoingStage Stage { get; set; }

    /// <summary>Whether this publish holds one unit of the current connection's in-flight quota.</summary>
    public bool HoldsQuota { get; set; }

    /// <summary>Order of first send, so a resumed session retransmits in the original order.</summary>
    public long Sequence { get; set; }

    /// <summary>The PUBREC's result, reported when PUBCOMP arrives.</summary>
    public PublishResult PubRecResult { get; set; }

    public ValueTask<PublishResult> Task => new(this, _core.Version);

    public void Start(MqttMessage message)
    {
        Message = message;
        PacketId = 0;
        Stage = OutgoingStage.Pending;
        HoldsQuota = false;
        Sequence = 0;
        PubRecResult = default;
        _completed = 0;
    }

    /// <summary>Completes once; later calls are ignored (a close can race an acknowledgement).</summary>
    public bool TryComplete(PublishResult result)
    {
        if (Interlocked.Exchange(ref _completed, 1) != 0)
        {
            return false;
        }
        _core.SetResult(result);
        return true;
    }

    public bool TryFail(Exception error)
    {
        if (Interlocked.Exchange(ref _completed, 1) != 0)
        {
            return false;
        }
        _core.SetException(error);
        return true;
    }

    public PublishResult GetResult(short token)
    {
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            Message = null!;
            _core.Reset();
            _owner.Return(this);
        }
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
