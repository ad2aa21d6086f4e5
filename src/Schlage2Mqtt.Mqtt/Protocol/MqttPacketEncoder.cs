using System.Buffers;

namespace Schlage2Mqtt.Mqtt.Protocol;

/// <summary>
/// Encodes packets into an <see cref="IBufferWriter{T}"/>. Each body is written by one function run twice: first
/// counting (to learn the remaining length), then writing into a span of exactly the right size.
/// </summary>
internal static class MqttPacketEncoder
{
    private delegate void BodyWriter<T>(ref MqttSpanWriter w, in T state, MqttProtocolVersion version);

    private static readonly byte[] s_protocolName = "\0\u0004MQTT"u8.ToArray();

    /// <summary>Encodes any packet; returns the number of bytes written.</summary>
    public static int Encode(IBufferWriter<byte> output, MqttPacket packet, MqttProtocolVersion version, uint maxPacketSize = 0) => packet switch
    {
        ConnectPacket p => Frame(output, 0x10, p, p.ProtocolVersion, maxPacketSize, static (ref MqttSpanWriter w, in ConnectPacket p, MqttProtocolVersion v) => WriteConnect(ref w, p, v)),
        ConnAckPacket p => Frame(output, 0x20, p, version, maxPacketSize, static (ref MqttSpanWriter w, in ConnAckPacket p, MqttProtocolVersion v) => WriteConnAck(ref w, p, v)),
        PublishPacket p => EncodePublish(output, version, p.Message, p.PacketId, p.Dup, p.TopicAlias, maxPacketSize),
        PublishAckPacket p => Frame(output, (byte)((byte)p.AckType << 4 | (p.AckType == MqttPacketType.PubRel ? 0x02 : 0)), p, version, maxPacketSize,
            static (ref MqttSpanWriter w, in PublishAckPacket p, MqttProtocolVersion v) => WriteReasonAndProperties(ref w, p.PacketId, (byte)p.ReasonCode, p.Properties, v)),
        SubscribePacket p => Frame(output, 0x82, p, version, maxPacketSize, static (ref MqttSpanWriter w, in SubscribePacket p, MqttProtocolVersion v) => WriteSubscribe(ref w, p, v)),
        SubAckPacket p => Frame(output, 0x90, p, version, maxPacketSize, static (ref MqttSpanWriter w, in SubAckPacket p, MqttProtocolVersion v) =>
        {
            w.WriteUInt16(p.PacketId);
            if (v == MqttProtocolVersion.V500)
            {
                MqttPropertyCodec.Write(ref w, p.Properties);
            }
            foreach (var code in p.ReasonCodes)
            {
                w.WriteByte((byte)code);
            }
        }),
        UnsubscribePacket p => Frame(output, 0xA2, p, version, maxPacketSize, static (ref MqttSpanWriter w, in UnsubscribePacket p, MqttProtocolVersion v) =>
        {
            w.WriteUInt16(p.PacketId);
            if (v == MqttProtocolVersion.V500)
            {
                MqttPropertyCodec.Write(ref w, p.Properties);
            }
            foreach (var filter in p.TopicFilters)
            {
                w.WriteString(filter);
            }
        }),
        UnsubAckPacket p => Frame(output, 0xB0, p, version, maxPacketSize, static (ref MqttSpanWriter w, in UnsubAckPacket p, MqttProtocolVersion v) =>
        {
            w.WriteUInt16(p.PacketId);
            if (v == MqttProtocolVersion.V500)
            {
                MqttPropertyCodec.Write(ref w, p.Properties);
                foreach (var code in p.ReasonCodes)
                {
                    w.WriteByte((byte)code);
                }
            }
        }),
        PingReqPacket => EncodeEmpty(output, 0xC0),
        PingRespPacket => EncodeEmpty(output, 0xD0),
        DisconnectPacket p => Frame(output, 0xE0, p, version, maxPacketSize, static (ref MqttSpanWriter w, in DisconnectPacket p, MqttProtocolVersion v) =>
            WriteShortReason(ref w, (byte)p.ReasonCode, p.Properties, v)),
        AuthPacket p => Frame(output, 0xF0, p, version, maxPacketSize, static (ref MqttSpanWriter w, in AuthPacket p, MqttProtocolVersion v) =>
            WriteShortReason(ref w, p.ReasonCode, p.Properties, v)),
        _ => throw new ArgumentException($"Unknown packet {packet.GetType().Name}.", nameof(packet)),
    };

    /// <summary>Encodes an outgoing PUBLISH straight from the application message (the hot path: no packet object).</summary>
    public static int EncodePublish(IBufferWriter<byte> output, MqttProtocolVersion version, MqttMessage message, ushort packetId, bool dup, ushort topicAlias = 0, uint maxPacketSize = 0)
    {
        var header = (byte)(0x30 | (dup ? 0x08 : 0) | ((byte)message.QualityOfService << 1) | (message.Retain ? 0x01 : 0));
        var state = new PublishState(message, packetId, topicAlias);
        return Frame(output, header, state, version, maxPacketSize, static (ref MqttSpanWriter w, in PublishState s, MqttProtocolVersion v) =>
        {
            // With a topic alias already known to the peer the topic may be sent empty; we send it whole (aliases are inbound only).
            w.WriteString(s.Message.Topic);
            if (s.Message.QualityOfService != MqttQualityOfService.AtMostOnce)
            {
                w.WriteUInt16(s.PacketId);
            }
            if (v == MqttProtocolVersion.V500)
            {
                MqttPropertyCodec.WriteMessageProperties(ref w, s.Message, s.TopicAlias, willDelay: null);
            }
            w.WriteBytes(s.Message.Payload.Span);
        });
    }

    /// <summary>Encodes PUBACK/PUBREC/PUBREL/PUBCOMP without properties (the hot path).</summary>
    public static int EncodeAck(IBufferWriter<byte> output, MqttPacketType type, ushort packetId, PublishReasonCode reason, MqttProtocolVersion version)
    {
        var withReason = version == MqttProtocolVersion.V500 && reason != PublishReasonCode.Success;
        var span = output.GetSpan(5);
        span[0] = (byte)((byte)type << 4 | (type == MqttPacketType.PubRel ? 0x02 : 0));
        span[1] = (byte)(withReason ? 3 : 2);
        span[2] = (byte)(packetId >> 8);
        span[3] = (byte)packetId;
        if (withReason)
        {
            span[4] = (byte)reason;
        }
        var length = withReason ? 5 : 4;
        output.Advance(length);
        return length;
    }

    public static int EncodeEmpty(IBufferWriter<byte> output, byte header)
    {
        var span = output.GetSpan(2);
        span[0] = header;
        span[1] = 0;
        output.Advance(2);
        return 2;
    }

    private static int Frame<T>(IBufferWriter<byte> output, byte header, in T state, MqttProtocolVersion version, uint maxPacketSize, BodyWriter<T> body)
    {
        var counter = MqttSpanWriter.Counter();
        body(ref counter, state, version);
        var length = counter.Position;
        if ((uint)length > VariableByteInteger.MaxValue)
        {
            throw new ArgumentException($"Packet body of {length} bytes exceeds the MQTT maximum of 268,435,455.");
        }
        var total = 1 + VariableByteInteger.Size((uint)length) + length;
        if (maxPacketSize != 0 && (uint)total > maxPacketSize)
        {
            throw new MqttPacketTooLargeException(total, maxPacketSize);
        }
        var w = new MqttSpanWriter(output.GetSpan(total));
        w.WriteByte(header);
        w.WriteVariableByteInteger((uint)length);
        body(ref w, state, version);
        output.Advance(total);
        return total;
    }

    private static void WriteConnect(ref MqttSpanWriter w, ConnectPacket p, MqttProtocolVersion v)
    {
        w.WriteBytes(s_protocolName);
        w.WriteByte((byte)v);
        byte flags = 0;
        if (p.CleanStart) { flags |= 0x02; }
        if (p.Will is { } will)
        {
            flags |= (byte)(0x04 | ((byte)will.QualityOfService << 3) | (will.Retain ? 0x20 : 0));
        }
        if (p.Password is not null) { flags |= 0x40; }
        if (p.Username is not null) { flags |= 0x80; }
        w.WriteByte(flags);
        w.WriteUInt16(p.KeepAliveSeconds);
        if (v == MqttProtocolVersion.V500)
        {
            MqttPropertyCodec.Write(ref w, p.Properties);
        }
        w.WriteString(p.ClientId);
        if (p.Will is { } w2)
        {
            if (v == MqttProtocolVersion.V500)
            {
                MqttPropertyCodec.WriteMessageProperties(ref w, w2, topicAlias: 0, p.WillDelayInterval);
            }
            w.WriteString(w2.Topic);
            w.WriteBinary(w2.Payload.Span);
        }
        if (p.Username is not null) { w.WriteString(p.Username); }
        if (p.Password is not null) { w.WriteBinary(p.Password); }
    }

    private static void WriteConnAck(ref MqttSpanWriter w, ConnAckPacket p, MqttProtocolVersion v)
    {
        w.WriteByte(p.SessionPresent ? (byte)1 : (byte)0);
        w.WriteByte(v == MqttProtocolVersion.V500 ? (byte)p.ReasonCode : ToV311ReturnCode(p.ReasonCode));
        if (v == MqttProtocolVersion.V500)
        {
            MqttPropertyCodec.Write(ref w, p.Properties);
        }
    }

    private static void WriteSubscribe(ref MqttSpanWriter w, SubscribePacket p, MqttProtocolVersion v)
    {
        w.WriteUInt16(p.PacketId);
        if (v == MqttProtocolVersion.V500)
        {
            MqttPropertyCodec.Write(ref w, p.Properties);
        }
        foreach (var s in p.Subscriptions)
        {
            w.WriteString(s.TopicFilter);
            var options = (byte)s.QualityOfService;
            if (v == MqttProtocolVersion.V500)
            {
                options |= (byte)((s.NoLocal ? 0x04 : 0) | (s.RetainAsPublished ? 0x08 : 0) | ((byte)s.RetainHandling << 4));
            }
            w.WriteByte(options);
        }
    }

    private static void WriteReasonAndProperties(ref MqttSpanWriter w, ushort packetId, byte reason, MqttProperties? properties, MqttProtocolVersion v)
    {
        w.WriteUInt16(packetId);
        if (v != MqttProtocolVersion.V500 || (reason == 0 && properties is null))
        {
            return;
        }
        w.WriteByte(reason);
        if (properties is not null)
        {
            MqttPropertyCodec.Write(ref w, properties);
        }
    }

    private static void WriteShortReason(ref MqttSpanWriter w, byte reason, MqttProperties? properties, MqttProtocolVersion v)
    {
        if (v != MqttProtocolVersion.V500 || (reason == 0 && properties is null))
        {
            return;
        }
        w.WriteByte(reason);
        if (properties is not null)
        {
            MqttPropertyCodec.Write(ref w, properties);
        }
    }

    internal static byte ToV311ReturnCode(ConnectReasonCode code) => code switch
    {
        ConnectReasonCode.Success => 0,
        ConnectReasonCode.UnsupportedProtocolVersion => 1,
        ConnectReasonCode.ClientIdentifierNotValid => 2,
        ConnectReasonCode.BadUserNameOrPassword => 4,
        ConnectReasonCode.NotAuthorized => 5,
        _ => 3,
    };

    private readonly record struct PublishState(MqttMessage Message, ushort PacketId, ushort TopicAlias);
}
