using System.Buffers;

namespace Schlage2Mqtt.Mqtt.Protocol;

/// <summary>
/// Splits a byte stream into packets and decodes them. Every violation of the specification surfaces as
/// <see cref="MqttProtocolException"/> carrying the reason code to close the connection with; nothing else escapes.
/// </summary>
internal static class MqttPacketDecoder
{
    /// <summary>
    /// Takes one complete packet off the front of <paramref name="buffer"/>. Returns false (buffer untouched) when
    /// more bytes are needed.
    /// </summary>
    public static bool TryReadFrame(ref ReadOnlySequence<byte> buffer, uint maxPacketSize, out byte header, out ReadOnlySequence<byte> body)
    {
        header = 0;
        body = default;
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryRead(out header))
        {
            return false;
        }
        uint length = 0;
        var lengthBytes = 0;
        while (true)
        {
            if (!reader.TryRead(out var b))
            {
                return false;
            }
            length |= (uint)(b & 0x7F) << (7 * lengthBytes);
            lengthBytes++;
            if ((b & 0x80) == 0)
            {
                break;
            }
            if (lengthBytes == 4)
            {
                throw new MqttProtocolException(DisconnectReasonCode.MalformedPacket, "Remaining length is longer than four bytes.");
            }
        }
        var total = 1L + lengthBytes + length;
        if (maxPacketSize != 0 && total > maxPacketSize)
        {
            throw new MqttProtocolException(DisconnectReasonCode.PacketTooLarge, $"Packet of {total} bytes exceeds the maximum packet size {maxPacketSize}.");
        }
        if (reader.Remaining < length)
        {
            return false;
        }
        body = buffer.Slice(reader.Position, length);
        buffer = buffer.Slice(body.End);
        return true;
    }

    /// <summary>Decodes one whole packet (fixed header included) that must span <paramref name="packet"/> exactly.</summary>
    public static MqttPacket DecodeComplete(ReadOnlySpan<byte> packet, MqttProtocolVersion version, uint maxPacketSize = 0)
    {
        var sequence = new ReadOnlySequence<byte>(packet.ToArray());
        if (!TryReadFrame(ref sequence, maxPacketSize, out var header, out var body))
        {
            throw new MqttProtocolException(DisconnectReasonCode.MalformedPacket, "Packet truncated.");
        }
        if (!sequence.IsEmpty)
        {
            throw new MqttProtocolException(DisconnectReasonCode.MalformedPacket, "Bytes after the packet.");
        }
        return Decode(header, body.IsSingleSegment ? body.FirstSpan : body.ToArray(), version);
    }

    /// <summary>Decodes a packet body. <paramref name="version"/> is ignored for CONNECT, which carries its own.</summary>
    public static MqttPacket Decode(byte header, ReadOnlySpan<byte> body, MqttProtocolVersion version)
    {
        var type = (MqttPacketType)(header >> 4);
        var flags = header & 0x0F;
        if (type != MqttPacketType.Publish)
        {
            var expected = type is MqttPacketType.PubRel or MqttPacketType.Subscribe or MqttPacketType.Unsubscribe ? 0x02 : 0x00;
            if (flags != expected)
            {
                throw Malformed($"Reserved flags 0x{flags:X} of {type} must be 0x{expected:X}.");
            }
        }
        var r = new MqttSpanReader(body);
        MqttPacket packet = type switch
        {
            MqttPacketType.Connect => DecodeConnect(ref r),
            MqttPacketType.ConnAck => DecodeConnAck(ref r, version),
            MqttPacketType.Publish => DecodePublish(ref r, flags, version),
            MqttPacketType.PubAck or MqttPacketType.PubRec or MqttPacketType.PubRel or MqttPacketType.PubComp => DecodeAck(ref r, type, version),
            MqttPacketType.Subscribe => DecodeSubscribe(ref r, version),
            MqttPacketType.SubAck => DecodeSubAck(ref r, version),
            MqttPacketType.Unsubscribe => DecodeUnsubscribe(ref r, version),
            MqttPacketType.UnsubAck => DecodeUnsubAck(ref r, version),
            MqttPacketType.PingReq => PingReqPacket.Instance,
            MqttPacketType.PingResp => PingRespPacket.Instance,
            MqttPacketType.Disconnect => DecodeDisconnect(ref r, version),
            MqttPacketType.Auth when version == MqttProtocolVersion.V500 => DecodeAuth(ref r),
            _ => throw Malformed($"Packet type {(int)type} is not defined in MQTT {(version == MqttProtocolVersion.V500 ? "5" : "3.1.1")}."),
        };
        if (!r.End)
        {
            throw Malformed($"{type} has {r.Remaining} unexpected trailing bytes.");
        }
        return packet;
    }

    /// <summary>
    /// Allocation-free decode of PUBACK/PUBREC/PUBREL/PUBCOMP when the body has no properties (the common case).
    /// Returns false when the body carries properties; then use <see cref="Decode"/>.
    /// </summary>
    public static bool TryDecodeShortAck(byte header, ReadOnlySpan<byte> body, MqttProtocolVersion version, out ushort packetId, out PublishReasonCode reason)
    {
        packetId = 0;
        reason = PublishReasonCode.Success;
        if (body.Length != 2 && !(body.Length == 3 && version == MqttProtocolVersion.V500) || (header & 0x0F) != ((header >> 4) == (int)MqttPacketType.PubRel ? 0x02 : 0x00))
        {
            return false;
        }
        packetId = (ushort)(body[0] << 8 | body[1]);
        if (body.Length == 3)
        {
            reason = (PublishReasonCode)body[2];
            if (!Enum.IsDefined(reason) || (header >> 4) is (int)MqttPacketType.PubRel or (int)MqttPacketType.PubComp)
            {
                return false;
            }
        }
        return packetId != 0;
    }

    private static ConnectPacket DecodeConnect(ref MqttSpanReader r)
    {
        var name = r.ReadBinarySpan();
        if (!name.SequenceEqual("MQTT"u8))
        {
            throw Malformed("Protocol name is not 'MQTT'.");
        }
        var level = r.ReadByte();
        if (level is not (4 or 5))
        {
            throw new MqttProtocolException(DisconnectReasonCode.ProtocolError, $"Unsupported protocol level {level}.");
        }
        var version = (MqttProtocolVersion)level;
        var flags = r.ReadByte();
        if ((flags & 0x01) != 0)
        {
            throw Malformed("CONNECT reserved flag is set.");
        }
        var cleanStart = (flags & 0x02) != 0;
        var willFlag = (flags & 0x04) != 0;
        var willQos = (flags >> 3) & 0x03;
        var willRetain = (flags & 0x20) != 0;
        var hasPassword = (flags & 0x40) != 0;
        var hasUsername = (flags & 0x80) != 0;
        if (willQos == 3 || (!willFlag && (willQos != 0 || willRetain)))
        {
            throw Malformed("CONNECT will QoS/retain flags are invalid.");
        }
        if (version == MqttProtocolVersion.V311 && hasPassword && !hasUsername)
        {
            throw Malformed("MQTT 3.1.1 CONNECT has a password without a user name.");
        }
        var keepAlive = r.ReadUInt16();
        var properties = version == MqttProtocolVersion.V500 ? MqttPropertyCodec.Read(ref r, MqttPropertyContext.Connect) : null;
        var clientId = r.ReadString();
        MqttMessage? will = null;
        uint? willDelay = null;
        if (willFlag)
        {
            var willProperties = version == MqttProtocolVersion.V500 ? MqttPropertyCodec.Read(ref r, MqttPropertyContext.Will) : null;
            var topic = r.ReadString();
            CheckTopicName(topic);
            var payload = r.ReadBinary();
            will = ToMessage(topic, payload, (MqttQualityOfService)willQos, willRetain, willProperties);
            willDelay = willProperties?.WillDelayInterval;
        }
        var username = hasUsername ? r.ReadString() : null;
        var password = hasPassword ? r.ReadBinary() : null;
        return new ConnectPacket(version, clientId, cleanStart, keepAlive, username, password, will, willDelay, properties);
    }

    private static ConnAckPacket DecodeConnAck(ref MqttSpanReader r, MqttProtocolVersion version)
    {
        var ackFlags = r.ReadByte();
        if ((ackFlags & 0xFE) != 0)
        {
            throw Malformed("CONNACK reserved flags are set.");
        }
        var code = r.ReadByte();
        ConnectReasonCode reason;
        if (version == MqttProtocolVersion.V500)
        {
            reason = (ConnectReasonCode)code;
            if (!Enum.IsDefined(reason))
            {
                throw new MqttProtocolException(DisconnectReasonCode.ProtocolError, $"Unknown CONNACK reason code 0x{code:X2}.");
            }
        }
        else
        {
            reason = code switch
            {
                0 => ConnectReasonCode.Success,
                1 => ConnectReasonCode.UnsupportedProtocolVersion,
                2 => ConnectReasonCode.ClientIdentifierNotValid,
                3 => ConnectReasonCode.ServerUnavailable,
                4 => ConnectReasonCode.BadUserNameOrPassword,
                5 => ConnectReasonCode.NotAuthorized,
                _ => throw new MqttProtocolException(DisconnectReasonCode.ProtocolError, $"Unknown CONNACK return code {code}."),
            };
        }
        var sessionPresent = (ackFlags & 0x01) != 0;
        if (sessionPresent && reason != ConnectReasonCode.Success)
        {
            throw new MqttProtocolException(DisconnectReasonCode.ProtocolError, "CONNACK refuses the connection yet says a session is present.");
        }
        var properties = version == MqttProtocolVersion.V500 ? MqttPropertyCodec.Read(ref r, MqttPropertyContext.ConnAck) : null;
        return new ConnAckPacket(sessionPresent, reason, properties);
    }

    private static PublishPacket DecodePublish(ref MqttSpanReader r, int flags, MqttProtocolVersion version)
    {
        var qos = (flags >> 1) & 0x03;
        var dup = (flags & 0x08) != 0;
        if (qos == 3)
        {
            throw Malformed("PUBLISH QoS 3.");
        }
        if (qos == 0 && dup)
        {
            throw Malformed("PUBLISH QoS 0 with the DUP flag.");
        }
        var topic = r.ReadString();
        ushort packetId = 0;
        if (qos > 0)
        {
            packetId = r.ReadUInt16();
            if (packetId == 0)
            {
                throw Malformed("PUBLISH with QoS > 0 has packet identifier 0.");
            }
        }
        MqttProperties? properties = null;
        if (version == MqttProtocolVersion.V500)
        {
            properties = MqttPropertyCodec.Read(ref r, MqttPropertyContext.Publish);
        }
        if (topic.Length == 0)
        {
            if (properties?.TopicAlias is null)
            {
                throw Malformed("PUBLISH has an empty topic name and no topic alias.");
            }
        }
        else
        {
            CheckTopicName(topic);
        }
        var payload = r.ReadRest().ToArray();
        var message = ToMessage(topic, payload, (MqttQualityOfService)qos, (flags & 0x01) != 0, properties);
        return new PublishPacket(message, packetId, dup, properties?.TopicAlias ?? 0);
    }

    private static PublishAckPacket DecodeAck(ref MqttSpanReader r, MqttPacketType type, MqttProtocolVersion version)
    {
        var packetId = r.ReadUInt16();
        if (packetId == 0)
        {
            throw Malformed($"{type} has packet identifier 0.");
        }
        var reason = PublishReasonCode.Success;
        MqttProperties? properties = null;
        if (version == MqttProtocolVersion.V500 && !r.End)
        {
            var code = r.ReadByte();
            reason = (PublishReasonCode)code;
            var valid = type is MqttPacketType.PubRel or MqttPacketType.PubComp
                ? reason is PublishReasonCode.Success or PublishReasonCode.PacketIdentifierNotFound
                : Enum.IsDefined(reason) && reason != PublishReasonCode.PacketIdentifierNotFound;
            if (!valid)
            {
                throw new MqttProtocolException(DisconnectReasonCode.ProtocolError, $"Reason code 0x{code:X2} is not valid in {type}.");
            }
            if (!r.End)
            {
                properties = MqttPropertyCodec.Read(ref r, MqttPropertyContext.PublishAck);
            }
        }
        return new PublishAckPacket(type, packetId, reason, properties);
    }

    private static SubscribePacket DecodeSubscribe(ref MqttSpanReader r, MqttProtocolVersion version)
    {
        var packetId = NonZeroId(ref r, "SUBSCRIBE");
        var properties = version == MqttProtocolVersion.V500 ? MqttPropertyCodec.Read(ref r, MqttPropertyContext.Subscribe) : null;
        var subscriptions = new List<MqttSubscription>();
        while (!r.End)
        {
            var filter = r.ReadString();
            if (MqttTopic.CheckTopicFilter(filter) is { } why)
            {
                throw Malformed($"SUBSCRIBE: {why}.");
            }
            var options = r.ReadByte();
            var qos = options & 0x03;
            var retainHandling = (options >> 4) & 0x03;
            var reservedMask = version == MqttProtocolVersion.V500 ? 0xC0 : 0xFC;
            if (qos == 3 || retainHandling == 3 || (options & reservedMask) != 0)
            {
                throw Malformed($"SUBSCRIBE options byte 0x{options:X2} is invalid.");
            }
            subscriptions.Add(new MqttSubscription(filter, (MqttQualityOfService)qos)
            {
                NoLocal = (options & 0x04) != 0,
                RetainAsPublished = (options & 0x08) != 0,
                RetainHandling = (MqttRetainHandling)retainHandling,
            });
        }
        if (subscriptions.Count == 0)
        {
            throw new MqttProtocolException(DisconnectReasonCode.ProtocolError, "SUBSCRIBE without a topic filter.");
        }
        return new SubscribePacket(packetId, subscriptions, properties);
    }

    private static SubAckPacket DecodeSubAck(ref MqttSpanReader r, MqttProtocolVersion version)
    {
        var packetId = NonZeroId(ref r, "SUBACK");
        var properties = version == MqttProtocolVersion.V500 ? MqttPropertyCodec.Read(ref r, MqttPropertyContext.SubAck) : null;
        var codes = new List<SubscribeReasonCode>(r.Remaining);
        while (!r.End)
        {
            var code = (SubscribeReasonCode)r.ReadByte();
            var valid = version == MqttProtocolVersion.V500 ? Enum.IsDefined(code) : (byte)code is 0 or 1 or 2 or 0x80;
            if (!valid)
            {
                throw new MqttProtocolException(DisconnectReasonCode.ProtocolError, $"Unknown SUBACK reason code 0x{(byte)code:X2}.");
            }
            codes.Add(code);
        }
        if (codes.Count == 0)
        {
            throw new MqttProtocolException(DisconnectReasonCode.ProtocolError, "SUBACK without a reason code.");
        }
        return new SubAckPacket(packetId, codes, properties);
    }

    private static UnsubscribePacket DecodeUnsubscribe(ref MqttSpanReader r, MqttProtocolVersion version)
    {
        var packetId = NonZeroId(ref r, "UNSUBSCRIBE");
        var properties = version == MqttProtocolVersion.V500 ? MqttPropertyCodec.Read(ref r, MqttPropertyContext.Unsubscribe) : null;
        var filters = new List<string>();
        while (!r.End)
        {
            var filter = r.ReadString();
            if (MqttTopic.CheckTopicFilter(filter) is { } why)
            {
                throw Malformed($"UNSUBSCRIBE: {why}.");
            }
            filters.Add(filter);
        }
        if (filters.Count == 0)
        {
            throw new MqttProtocolException(DisconnectReasonCode.ProtocolError, "UNSUBSCRIBE without a topic filter.");
        }
        return new UnsubscribePacket(packetId, filters, properties);
    }

    private static UnsubAckPacket DecodeUnsubAck(ref MqttSpanReader r, MqttProtocolVersion version)
    {
        var packetId = NonZeroId(ref r, "UNSUBACK");
        if (version != MqttProtocolVersion.V500)
        {
            return new UnsubAckPacket(packetId, []);
        }
        var properties = MqttPropertyCodec.Read(ref r, MqttPropertyContext.UnsubAck);
        var codes = new List<UnsubscribeReasonCode>(r.Remaining);
        while (!r.End)
        {
            var code = (UnsubscribeReasonCode)r.ReadByte();
            if (!Enum.IsDefined(code))
            {
                throw new MqttProtocolException(DisconnectReasonCode.ProtocolError, $"Unknown UNSUBACK reason code 0x{(byte)code:X2}.");
            }
            codes.Add(code);
        }
        if (codes.Count == 0)
        {
            throw new MqttProtocolException(DisconnectReasonCode.ProtocolError, "UNSUBACK without a reason code.");
        }
        return new UnsubAckPacket(packetId, codes, properties);
    }

    private static DisconnectPacket DecodeDisconnect(ref MqttSpanReader r, MqttProtocolVersion version)
    {
        if (version != MqttProtocolVersion.V500 || r.End)
        {
            return new DisconnectPacket();
        }
        var code = (DisconnectReasonCode)r.ReadByte();
        if (!Enum.IsDefined(code))
        {
            throw new MqttProtocolException(DisconnectReasonCode.ProtocolError, $"Unknown DISCONNECT reason code 0x{(byte)code:X2}.");
        }
        var properties = r.End ? null : MqttPropertyCodec.Read(ref r, MqttPropertyContext.Disconnect);
        return new DisconnectPacket(code, properties);
    }

    private static AuthPacket DecodeAuth(ref MqttSpanReader r)
    {
        if (r.End)
        {
            return new AuthPacket();
        }
        var code = r.ReadByte();
        if (code is not (0x00 or 0x18 or 0x19))
        {
            throw new MqttProtocolException(DisconnectReasonCode.ProtocolError, $"Unknown AUTH reason code 0x{code:X2}.");
        }
        var properties = r.End ? null : MqttPropertyCodec.Read(ref r, MqttPropertyContext.Auth);
        return new AuthPacket(code, properties);
    }

    internal static MqttMessage ToMessage(string topic, byte[] payload, MqttQualityOfService qos, bool retain, MqttProperties? p)
    {
        var message = new MqttMessage(topic, payload, qos, retain);
        if (p is null)
        {
            return message;
        }
        return message with
        {
            PayloadFormat = (MqttPayloadFormat)(p.PayloadFormatIndicator ?? 0),
            MessageExpiryInterval = p.MessageExpiryInterval is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
            ContentType = p.ContentType,
            ResponseTopic = p.ResponseTopic,
            CorrelationData = p.CorrelationData ?? ReadOnlyMemory<byte>.Empty,
            UserProperties = p.UserProperties ?? (IReadOnlyList<MqttUserProperty>)[],
            SubscriptionIdentifiers = p.SubscriptionIdentifiers ?? (IReadOnlyList<uint>)[],
        };
    }

    private static ushort NonZeroId(ref MqttSpanReader r, string what)
    {
        var id = r.ReadUInt16();
        return id != 0 ? id : throw Malformed($"{what} has packet identifier 0.");
    }

    private static void CheckTopicName(string topic)
    {
        if (MqttTopic.CheckTopicName(topic) is { } why)
        {
            throw Malformed($"Invalid topic: {why}.");
        }
    }

    private static MqttProtocolException Malformed(string message) => new(DisconnectReasonCode.MalformedPacket, message);
}
