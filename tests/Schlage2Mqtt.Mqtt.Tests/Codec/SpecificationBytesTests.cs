using Schlage2Mqtt.Mqtt.Protocol;
using static Schlage2Mqtt.Mqtt.Tests.Codec.PacketHelpers;

namespace Schlage2Mqtt.Mqtt.Tests.Codec;

/// <summary>
/// Every packet type in both protocol versions against byte sequences written out from the specifications'
/// packet layouts (OASIS MQTT 3.1.1 chapter 3, MQTT 5.0 chapter 3): encoding gives these bytes and decoding
/// them gives the packet back.
/// </summary>
public sealed class SpecificationBytesTests
{
    public static TheoryData<string, MqttProtocolVersion, string, object> Cases()
    {
        var v3 = MqttProtocolVersion.V311;
        var v5 = MqttProtocolVersion.V500;
        return new TheoryData<string, MqttProtocolVersion, string, object>
        {
            // 3.1.1 section 3.1.2.10 example variable header: protocol name, level 4, flags, keepalive 10.
            { "CONNECT 3.1.1 clean, keepalive 10, client id 'a'", v3, "10 0D 00 04 4D 51 54 54 04 02 00 0A 00 01 61",
                new ConnectPacket(v3, "a", CleanStart: true, KeepAliveSeconds: 10) },
            { "CONNECT 3.1.1 with will QoS 1 retained, user and password", v3,
                "10 1E 00 04 4D 51 54 54 04 EE 00 3C 00 01 63 00 03 77 2F 74 00 03 6F 66 66 00 01 75 00 02 70 77",
                new ConnectPacket(v3, "c", true, 60, "u", "pw"u8.ToArray(), new MqttMessage("w/t", "off"u8.ToArray(), MqttQualityOfService.AtLeastOnce, true)) },
            // 5.0 section 3.1.2.12 example: level 5, flags, keepalive 10, properties: session expiry 10.
            { "CONNECT 5 session expiry 10", v5, "10 13 00 04 4D 51 54 54 05 02 00 0A 05 11 00 00 00 0A 00 01 61",
                new ConnectPacket(v5, "a", true, 10, Properties: new MqttProperties { SessionExpiryInterval = 10 }) },
            { "CONNECT 5 will with delay and content type", v5,
                "10 1E 00 04 4D 51 54 54 05 0C 00 3C 00 00 01 7A 09 03 00 01 74 18 00 00 00 05 00 01 74 00 01 21",
                new ConnectPacket(v5, "z", false, 60, Will: new MqttMessage("t", "!"u8.ToArray(), MqttQualityOfService.AtLeastOnce) { ContentType = "t" }, WillDelayInterval: 5) },
            { "CONNACK 3.1.1 accepted, session present", v3, "20 02 01 00", new ConnAckPacket(true, ConnectReasonCode.Success) },
            { "CONNACK 3.1.1 bad user name or password (4)", v3, "20 02 00 04", new ConnAckPacket(false, ConnectReasonCode.BadUserNameOrPassword) },
            { "CONNACK 5 success, receive maximum 20, assigned id", v5, "20 0B 00 00 08 12 00 02 69 64 21 00 14",
                new ConnAckPacket(false, ConnectReasonCode.Success, new MqttProperties { ReceiveMaximum = 20, AssignedClientIdentifier = "id" }) },
            { "CONNACK 5 not authorized", v5, "20 03 00 87 00", new ConnAckPacket(false, ConnectReasonCode.NotAuthorized) },
            // 3.1.1 section 3.3.2.3 example: topic a/b, packet id 10.
            { "PUBLISH 3.1.1 QoS 1 a/b id 10", v3, "32 09 00 03 61 2F 62 00 0A 68 69",
                new PublishPacket(new MqttMessage("a/b", "hi"u8.ToArray(), MqttQualityOfService.AtLeastOnce), 10) },
            { "PUBLISH 3.1.1 QoS 0 retained", v3, "31 05 00 01 74 6F 6E", new PublishPacket(new MqttMessage("t", "on"u8.ToArray(), Retain: true)) },
            { "PUBLISH 3.1.1 QoS 2 dup", v3, "3C 05 00 01 74 00 07", new PublishPacket(new MqttMessage("t", Array.Empty<byte>(), MqttQualityOfService.ExactlyOnce), 7, Dup: true) },
            { "PUBLISH 5 QoS 0 no properties", v5, "30 06 00 01 74 00 6F 6E", new PublishPacket(new MqttMessage("t", "on"u8.ToArray())) },
            { "PUBLISH 5 response topic, correlation data, user property, format, expiry", v5,
                "32 24 00 01 74 00 05 1C 01 01 02 00 00 00 3C 08 00 01 72 09 00 02 C0 DE 23 00 03 26 00 01 6B 00 01 76 0B 02 7B 7D",
                new PublishPacket(new MqttMessage("t", "{}"u8.ToArray(), MqttQualityOfService.AtLeastOnce)
                {
                    PayloadFormat = MqttPayloadFormat.Utf8, MessageExpiryInterval = TimeSpan.FromSeconds(60), ResponseTopic = "r",
                    CorrelationData = new byte[] { 0xC0, 0xDE }, UserProperties = [new MqttUserProperty("k", "v")], SubscriptionIdentifiers = [2],
                }, 5, TopicAlias: 3) },
            { "PUBACK 3.1.1", v3, "40 02 00 0A", new PublishAckPacket(MqttPacketType.PubAck, 10) },
            { "PUBACK 5 success (short form)", v5, "40 02 00 0A", new PublishAckPacket(MqttPacketType.PubAck, 10) },
            { "PUBACK 5 no matching subscribers (reason only)", v5, "40 03 00 0A 10", new PublishAckPacket(MqttPacketType.PubAck, 10, PublishReasonCode.NoMatchingSubscribers) },
            { "PUBACK 5 not authorized with reason string", v5, "40 08 00 0A 87 04 1F 00 01 78",
                new PublishAckPacket(MqttPacketType.PubAck, 10, PublishReasonCode.NotAuthorized, new MqttProperties { ReasonString = "x" }) },
            { "PUBREC 3.1.1", v3, "50 02 00 0B", new PublishAckPacket(MqttPacketType.PubRec, 11) },
            { "PUBREC 5 quota exceeded", v5, "50 03 00 0B 97", new PublishAckPacket(MqttPacketType.PubRec, 11, PublishReasonCode.QuotaExceeded) },
            // PUBREL's fixed header flags are 0010 (3.1.1 section 3.6.1, 5.0 section 3.6.1).
            { "PUBREL 3.1.1", v3, "62 02 00 0B", new PublishAckPacket(MqttPacketType.PubRel, 11) },
            { "PUBREL 5 packet identifier not found", v5, "62 03 00 0B 92", new PublishAckPacket(MqttPacketType.PubRel, 11, PublishReasonCode.PacketIdentifierNotFound) },
            { "PUBCOMP 3.1.1", v3, "70 02 00 0B", new PublishAckPacket(MqttPacketType.PubComp, 11) },
            { "PUBCOMP 5", v5, "70 02 00 0B", new PublishAckPacket(MqttPacketType.PubComp, 11) },
            // 3.1.1 section 3.8.3.1 example payload: "a/b" QoS 1, "c/d" QoS 2.
            { "SUBSCRIBE 3.1.1 two filters", v3, "82 0E 00 0A 00 03 61 2F 62 01 00 03 63 2F 64 02",
                new SubscribePacket(10, [new MqttSubscription("a/b", MqttQualityOfService.AtLeastOnce), new MqttSubscription("c/d", MqttQualityOfService.ExactlyOnce)]) },
            { "SUBSCRIBE 5 options: QoS 1, no local, retain as published, retain handling 2", v5, "82 09 00 0A 00 00 03 61 2F 23 2D",
                new SubscribePacket(10, [new MqttSubscription("a/#", MqttQualityOfService.AtLeastOnce) { NoLocal = true, RetainAsPublished = true, RetainHandling = MqttRetainHandling.DoNotSend }]) },
            { "SUBSCRIBE 5 with subscription identifier", v5, "82 09 00 0A 02 0B 05 00 01 2B 00",
                new SubscribePacket(10, [new MqttSubscription("+")], new MqttProperties { SubscriptionIdentifiers = [5] }) },
            // 3.1.1 section 3.9.3 example: granted QoS 0, 2 and failure.
            { "SUBACK 3.1.1 granted 0, 2, failure", v3, "90 05 00 0A 00 02 80",
                new SubAckPacket(10, [SubscribeReasonCode.GrantedQoS0, SubscribeReasonCode.GrantedQoS2, SubscribeReasonCode.UnspecifiedError]) },
            { "SUBACK 5 granted 1, not authorized", v5, "90 05 00 0A 00 01 87",
                new SubAckPacket(10, [SubscribeReasonCode.GrantedQoS1, SubscribeReasonCode.NotAuthorized]) },
            { "UNSUBSCRIBE 3.1.1", v3, "A2 0C 00 0B 00 03 61 2F 62 00 03 63 2F 64", new UnsubscribePacket(11, ["a/b", "c/d"]) },
            { "UNSUBSCRIBE 5", v5, "A2 08 00 0B 00 00 03 61 2F 62", new UnsubscribePacket(11, ["a/b"]) },
            { "UNSUBACK 3.1.1", v3, "B0 02 00 0B", new UnsubAckPacket(11, []) },
            { "UNSUBACK 5 success, no subscription existed", v5, "B0 05 00 0B 00 00 11",
                new UnsubAckPacket(11, [UnsubscribeReasonCode.Success, UnsubscribeReasonCode.NoSubscriptionExisted]) },
            { "PINGREQ 3.1.1", v3, "C0 00", PingReqPacket.Instance },
            { "PINGREQ 5", v5, "C0 00", PingReqPacket.Instance },
            { "PINGRESP 3.1.1", v3, "D0 00", PingRespPacket.Instance },
            { "PINGRESP 5", v5, "D0 00", PingRespPacket.Instance },
            { "DISCONNECT 3.1.1", v3, "E0 00", new DisconnectPacket() },
            { "DISCONNECT 5 normal (short form)", v5, "E0 00", new DisconnectPacket() },
            { "DISCONNECT 5 with will", v5, "E0 01 04", new DisconnectPacket(DisconnectReasonCode.DisconnectWithWillMessage) },
            { "DISCONNECT 5 session taken over with reason string", v5, "E0 06 8E 04 1F 00 01 78",
                new DisconnectPacket(DisconnectReasonCode.SessionTakenOver, new MqttProperties { ReasonString = "x" }) },
            { "AUTH 5 success (short form)", v5, "F0 00", new AuthPacket() },
            { "AUTH 5 continue authentication with method", v5, "F0 08 18 06 15 00 03 53 43 52",
                new AuthPacket(0x18, new MqttProperties { AuthenticationMethod = "SCR" }) },
        };
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Encodes_to_the_specification_bytes(string name, MqttProtocolVersion version, string hex, object packet)
    {
        Assert.NotNull(name);
        Assert.Equal(hex.Replace(" ", "", StringComparison.Ordinal), Convert.ToHexString(Encode((MqttPacket)packet, version)));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decodes_the_specification_bytes(string name, MqttProtocolVersion version, string hex, object packet)
    {
        Assert.NotNull(name);
        Assert.Equal(Describe(packet), Describe(Decode(Hex(hex), version)));
    }

    [Fact]
    public void Every_packet_type_is_covered_in_both_versions()
    {
        var covered = Cases().Select(row => ((MqttProtocolVersion)row[1], ((MqttPacket)row[3]).Type)).ToHashSet();
        foreach (var type in Enum.GetValues<MqttPacketType>().Where(t => t != MqttPacketType.Reserved))
        {
            Assert.Contains((MqttProtocolVersion.V500, type), covered);
            if (type != MqttPacketType.Auth)
            {
                Assert.Contains((MqttProtocolVersion.V311, type), covered);
            }
        }
    }

    [Theory]
    [InlineData("0", 0u, "00")]
    [InlineData("127", 127u, "7F")]
    [InlineData("128", 128u, "8001")]
    [InlineData("16383", 16_383u, "FF7F")]
    [InlineData("16384", 16_384u, "808001")]
    [InlineData("2097151", 2_097_151u, "FFFF7F")]
    [InlineData("2097152", 2_097_152u, "80808001")]
    [InlineData("268435455", 268_435_455u, "FFFFFF7F")]
    public void Variable_byte_integer_matches_the_specification_table(string name, uint value, string hex)
    {
        Assert.NotNull(name);
        var buffer = new byte[4];
        var n = VariableByteInteger.Write(buffer, value);
        Assert.Equal(hex, Convert.ToHexString(buffer, 0, n));
        Assert.Equal(n, VariableByteInteger.Size(value));
        var reader = new MqttSpanReader(buffer.AsSpan(0, n));
        Assert.Equal(value, reader.ReadVariableByteInteger());
    }

    [Theory]
    [InlineData("a five-byte remaining length", "30 FF FF FF FF 01", MqttProtocolVersion.V311)]
    [InlineData("PUBLISH QoS 3", "36 03 00 01 74", MqttProtocolVersion.V311)]
    [InlineData("PUBLISH QoS 0 with DUP", "38 03 00 01 74", MqttProtocolVersion.V311)]
    [InlineData("PUBLISH with a wildcard topic", "30 03 00 01 23", MqttProtocolVersion.V311)]
    [InlineData("PUBLISH QoS 1 with packet id 0", "32 05 00 01 74 00 00", MqttProtocolVersion.V311)]
    [InlineData("PUBLISH topic with U+0000", "30 03 00 01 00", MqttProtocolVersion.V311)]
    [InlineData("PUBLISH topic with invalid UTF-8", "30 03 00 01 FF", MqttProtocolVersion.V311)]
    [InlineData("PUBLISH topic overlong UTF-8 NUL", "30 04 00 02 C0 80", MqttProtocolVersion.V311)]
    [InlineData("PUBLISH topic with a lone surrogate", "30 05 00 03 ED A0 80", MqttProtocolVersion.V311)]
    [InlineData("PUBLISH 5 empty topic without alias", "30 03 00 00 00", MqttProtocolVersion.V500)]
    [InlineData("PUBREL with flags 0000", "60 02 00 01", MqttProtocolVersion.V311)]
    [InlineData("SUBSCRIBE with flags 0000", "80 06 00 01 00 01 74 00", MqttProtocolVersion.V311)]
    [InlineData("SUBSCRIBE 3.1.1 with reserved option bits", "82 06 00 01 00 01 74 04", MqttProtocolVersion.V311)]
    [InlineData("SUBSCRIBE 5 retain handling 3", "82 07 00 01 00 00 01 74 30", MqttProtocolVersion.V500)]
    [InlineData("SUBSCRIBE without filters", "82 02 00 01", MqttProtocolVersion.V311)]
    [InlineData("SUBACK with an unknown code", "90 03 00 01 03", MqttProtocolVersion.V311)]
    [InlineData("CONNACK 3.1.1 of 3 bytes", "20 03 00 00 00", MqttProtocolVersion.V311)]
    [InlineData("CONNACK with reserved flag", "20 02 02 00", MqttProtocolVersion.V311)]
    [InlineData("CONNACK refusal with session present", "20 02 01 05", MqttProtocolVersion.V311)]
    [InlineData("PUBACK 3.1.1 of 3 bytes", "40 03 00 01 00", MqttProtocolVersion.V311)]
    [InlineData("AUTH under 3.1.1", "F0 00", MqttProtocolVersion.V311)]
    [InlineData("packet type 0", "00 00", MqttProtocolVersion.V500)]
    [InlineData("property not allowed in PUBACK (topic alias)", "40 07 00 01 00 03 23 00 01", MqttProtocolVersion.V500)]
    [InlineData("property twice (content type)", "30 0C 00 01 74 08 03 00 01 61 03 00 01 62", MqttProtocolVersion.V500)]
    [InlineData("property length beyond the packet", "30 05 00 01 74 09 01", MqttProtocolVersion.V500)]
    [InlineData("receive maximum 0", "20 06 00 00 03 21 00 00", MqttProtocolVersion.V500)]
    [InlineData("payload format indicator 2", "30 06 00 01 74 02 01 02", MqttProtocolVersion.V500)]
    [InlineData("truncated string", "30 03 00 05 74", MqttProtocolVersion.V311)]
    [InlineData("trailing bytes in PINGRESP", "D0 01 00", MqttProtocolVersion.V311)]
    [InlineData("DISCONNECT 5 unknown reason", "E0 01 05", MqttProtocolVersion.V500)]
    public void Malformed_input_is_a_protocol_error(string name, string hex, MqttProtocolVersion version)
    {
        var ex = Assert.Throws<MqttProtocolException>(() => Decode(Hex(hex), version));
        Assert.True((byte)ex.ReasonCode >= 0x80, name);
    }

    [Fact]
    public void A_packet_over_the_maximum_size_is_refused_with_packet_too_large()
    {
        var ex = Assert.Throws<MqttProtocolException>(() => MqttPacketDecoder.DecodeComplete(Hex("30 7F" + new string('0', 254)), MqttProtocolVersion.V500, maxPacketSize: 64));
        Assert.Equal(DisconnectReasonCode.PacketTooLarge, ex.ReasonCode);
    }

    [Fact]
    public void Encoding_refuses_a_packet_over_the_peer_maximum()
    {
        var packet = new PublishPacket(new MqttMessage("t", new byte[100]));
        var ex = Assert.Throws<MqttPacketTooLargeException>(() => MqttPacketEncoder.Encode(new System.Buffers.ArrayBufferWriter<byte>(), packet, MqttProtocolVersion.V500, maxPacketSize: 50));
        Assert.Equal(50u, ex.Limit);
    }
}
