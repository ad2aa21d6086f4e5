namespace Schlage2Mqtt.Mqtt.Protocol;

/// <summary>A decoded or to-be-encoded MQTT control packet.</summary>
internal abstract record MqttPacket
{
    public abstract MqttPacketType Type { get; }
}

/// <summary>CONNECT. <see cref="Will"/> carries the will topic, payload, QoS, retain flag and (MQTT 5) will properties.</summary>
internal sealed record ConnectPacket(
    MqttProtocolVersion ProtocolVersion,
    string ClientId,
    bool CleanStart,
    ushort KeepAliveSeconds,
    string? Username = null,
    byte[]? Password = null,
    MqttMessage? Will = null,
    uint? WillDelayInterval = null,
    MqttProperties? Properties = null) : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Connect;
}

internal sealed record ConnAckPacket(bool SessionPresent, ConnectReasonCode ReasonCode, MqttProperties? Properties = null) : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.ConnAck;
}

/// <summary>PUBLISH; <see cref="TopicAlias"/> is 0 when absent.</summary>
internal sealed record PublishPacket(MqttMessage Message, ushort PacketId = 0, bool Dup = false, ushort TopicAlias = 0) : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Publish;
}

/// <summary>PUBACK, PUBREC, PUBREL or PUBCOMP (one shape, told apart by <see cref="AckType"/>).</summary>
internal sealed record PublishAckPacket(MqttPacketType AckType, ushort PacketId, PublishReasonCode ReasonCode = PublishReasonCode.Success, MqttProperties? Properties = null) : MqttPacket
{
    public override MqttPacketType Type => AckType;
}

internal sealed record SubscribePacket(ushort PacketId, IReadOnlyList<MqttSubscription> Subscriptions, MqttProperties? Properties = null) : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Subscribe;
}

internal sealed record SubAckPacket(ushort PacketId, IReadOnlyList<SubscribeReasonCode> ReasonCodes, MqttProperties? Properties = null) : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.SubAck;
}

internal sealed record UnsubscribePacket(ushort PacketId, IReadOnlyList<string> TopicFilters, MqttProperties? Properties = null) : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Unsubscribe;
}

/// <summary>UNSUBACK; under 3.1.1 <see cref="ReasonCodes"/> is empty (the packet carries none).</summary>
internal sealed record UnsubAckPacket(ushort PacketId, IReadOnlyList<UnsubscribeReasonCode> ReasonCodes, MqttProperties? Properties = null) : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.UnsubAck;
}

internal sealed record PingReqPacket : MqttPacket
{
    public static readonly PingReqPacket Instance = new();

    public override MqttPacketType Type => MqttPacketType.PingReq;
}

internal sealed record PingRespPacket : MqttPacket
{
    public static readonly PingRespPacket Instance = new();

    public override MqttPacketType Type => MqttPacketType.PingResp;
}

internal sealed record DisconnectPacket(DisconnectReasonCode ReasonCode = DisconnectReasonCode.NormalDisconnection, MqttProperties? Properties = null) : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Disconnect;
}

/// <summary>AUTH (MQTT 5 enhanced authentication). Reason 0x00 success, 0x18 continue, 0x19 re-authenticate.</summary>
internal sealed record AuthPacket(byte ReasonCode = 0, MqttProperties? Properties = null) : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Auth;
}
