using FsCheck;
using FsCheck.Fluent;
using Schlage2Mqtt.Mqtt.Protocol;

namespace Schlage2Mqtt.Mqtt.Tests.Codec;

/// <summary>FsCheck generators of valid packets for one protocol version (3.1.1 packets carry no MQTT 5 fields).</summary>
internal static class PacketGenerators
{
    // Multi-byte characters and a surrogate pair exercise the UTF-8 length rules.
    private static readonly string[] s_alphabet = ["a", "b", "Z", "0", "_", "-", " ", "é", "漢", "😀", "$"];

    public static Gen<string> Text(int min, int max) =>
        from n in Gen.Choose(min, max)
        from parts in Gen.ArrayOf(Gen.Elements(s_alphabet), n)
        select string.Concat(parts);

    public static Gen<string> TopicName =>
        from levels in Gen.Choose(1, 4)
        from parts in Gen.ArrayOf(Text(0, 6), levels)
        let topic = string.Join('/', parts)
        select topic.Length == 0 ? "t" : topic;

    public static Gen<string> TopicFilter =>
        from levels in Gen.ArrayOf(Gen.Frequency((4, Text(0, 5)), (1, Gen.Constant("+"))), Gen.Choose(1, 3).Sample(1)[0])
        from hash in Gen.Elements(true, false)
        let filter = string.Join('/', levels) + (hash ? "/#" : "")
        select filter.Length == 0 ? "#" : filter;

    public static Gen<byte[]> Bytes(int max) =>
        from n in Gen.Choose(0, max)
        from b in Gen.ArrayOf(Gen.Choose(0, 255).Select(i => (byte)i), n)
        select b;

    private static Gen<ushort> PacketId => Gen.Choose(1, 65535).Select(i => (ushort)i);

    private static Gen<T> Maybe<T>(Gen<T> gen) where T : class =>
        Gen.Frequency((1, Gen.Constant<T>(null!)), (2, gen));

    private static Gen<uint?> MaybeUInt => Gen.Frequency((1, Gen.Constant<uint?>(null)), (1, Gen.Choose(0, int.MaxValue).Select(i => (uint?)i)));

    private static Gen<List<MqttUserProperty>?> UserProperties =>
        Gen.Frequency(
            (1, Gen.Constant<List<MqttUserProperty>?>(null)),
            (1, from n in Gen.Choose(1, 3)
                from names in Gen.ArrayOf(Text(0, 5), n)
                from values in Gen.ArrayOf(Text(0, 5), n)
                select (List<MqttUserProperty>?)names.Zip(values, (a, b) => new MqttUserProperty(a, b)).ToList()));

    /// <summary>A property block with a reason string and user properties, or none.</summary>
    private static Gen<MqttProperties?> ReasonProperties(bool v5) => !v5
        ? Gen.Constant<MqttProperties?>(null)
        : from reason in Maybe(Text(0, 10))
          from ups in UserProperties
          select reason is null && ups is null ? null : new MqttProperties { ReasonString = reason, UserProperties = ups };

    public static Gen<MqttMessage> Message(bool v5, bool allowSubscriptionIds) =>
        from topic in TopicName
        from payload in Bytes(40)
        from qos in Gen.Elements(MqttQualityOfService.AtMostOnce, MqttQualityOfService.AtLeastOnce, MqttQualityOfService.ExactlyOnce)
        from retain in Gen.Elements(true, false)
        from format in Gen.Elements(MqttPayloadFormat.Unspecified, MqttPayloadFormat.Utf8)
        from expiry in MaybeUInt
        from contentType in Maybe(Text(0, 8))
        from responseTopic in Maybe(TopicName)
        from correlation in Bytes(8)
        from ups in UserProperties
        from subIds in Gen.ArrayOf(Gen.Choose(1, 268_435_455).Select(i => (uint)i), Gen.Choose(0, 2).Sample(1)[0])
        select v5
            ? new MqttMessage(topic, payload, qos, retain)
            {
                PayloadFormat = format,
                MessageExpiryInterval = expiry is { } e ? TimeSpan.FromSeconds(e) : null,
                ContentType = contentType,
                ResponseTopic = responseTopic,
                CorrelationData = correlation,
                UserProperties = ups ?? [],
                SubscriptionIdentifiers = allowSubscriptionIds ? subIds : [],
            }
            : new MqttMessage(topic, payload, qos, retain);

    public static Gen<MqttPacket> Packet(MqttProtocolVersion version)
    {
        var v5 = version == MqttProtocolVersion.V500;
        var connect =
            from clientId in Text(0, 10)
            from clean in Gen.Elements(true, false)
            from keepAlive in Gen.Choose(0, 65535)
            from user in Maybe(Text(0, 6))
            from password in Maybe(Bytes(6))
            from will in Maybe(Message(v5, allowSubscriptionIds: false))
            from willDelay in MaybeUInt
            from sessionExpiry in MaybeUInt
            from receiveMax in Gen.Choose(1, 65535)
            from ups in UserProperties
            select (MqttPacket)new ConnectPacket(version, clientId, clean, (ushort)keepAlive, user,
                v5 || user is not null ? password : null, will, v5 && will is not null ? willDelay : null,
                v5 ? new MqttProperties { SessionExpiryInterval = sessionExpiry, ReceiveMaximum = (ushort)receiveMax, UserProperties = ups } : null);
        var connAck =
            from present in Gen.Elements(true, false)
            from code in v5
                ? Gen.Elements(Enum.GetValues<ConnectReasonCode>())
                : Gen.Elements(ConnectReasonCode.Success, ConnectReasonCode.UnsupportedProtocolVersion, ConnectReasonCode.ClientIdentifierNotValid,
                    ConnectReasonCode.ServerUnavailable, ConnectReasonCode.BadUserNameOrPassword, ConnectReasonCode.NotAuthorized)
            from assigned in Maybe(Text(1, 8))
            from keepAlive in Gen.Choose(0, 65535)
            from maxQos in Gen.Choose(0, 1)
            from props in ReasonProperties(v5)
            select (MqttPacket)new ConnAckPacket(present && code == ConnectReasonCode.Success, code,
                v5 ? (props ?? new MqttProperties()) with { AssignedClientIdentifier = assigned, ServerKeepAlive = (ushort)keepAlive, MaximumQoS = (byte)maxQos } : null);
        var publish =
            from message in Message(v5, allowSubscriptionIds: true)
            from id in PacketId
            from dup in Gen.Elements(true, false)
            from alias in Gen.Choose(0, 5)
            select (MqttPacket)new PublishPacket(message,
                message.QualityOfService == MqttQualityOfService.AtMostOnce ? (ushort)0 : id,
                dup && message.QualityOfService != MqttQualityOfService.AtMostOnce,
                v5 ? (ushort)alias : (ushort)0);
        var ack =
            from type in Gen.Elements(MqttPacketType.PubAck, MqttPacketType.PubRec, MqttPacketType.PubRel, MqttPacketType.PubComp)
            from id in PacketId
            from code in Gen.Elements(Enum.GetValues<PublishReasonCode>())
            from props in ReasonProperties(v5)
            let valid = type is MqttPacketType.PubRel or MqttPacketType.PubComp
                ? (code is PublishReasonCode.PacketIdentifierNotFound ? code : PublishReasonCode.Success)
                : (code is PublishReasonCode.PacketIdentifierNotFound ? PublishReasonCode.Success : code)
            select (MqttPacket)new PublishAckPacket(type, id, v5 ? valid : PublishReasonCode.Success, props);
        var subscription =
            from filter in TopicFilter
            from qos in Gen.Elements(MqttQualityOfService.AtMostOnce, MqttQualityOfService.AtLeastOnce, MqttQualityOfService.ExactlyOnce)
            from noLocal in Gen.Elements(true, false)
            from rap in Gen.Elements(true, false)
            from rh in Gen.Elements(MqttRetainHandling.SendAtSubscribe, MqttRetainHandling.SendAtSubscribeIfNew, MqttRetainHandling.DoNotSend)
            select v5 ? new MqttSubscription(filter, qos) { NoLocal = noLocal, RetainAsPublished = rap, RetainHandling = rh } : new MqttSubscription(filter, qos);
        var subscribe =
            from id in PacketId
            from subs in Gen.NonEmptyListOf(subscription)
            from ups in UserProperties
            select (MqttPacket)new SubscribePacket(id, subs.ToList(), v5 && ups is not null ? new MqttProperties { UserProperties = ups } : null);
        var subAck =
            from id in PacketId
            from codes in Gen.NonEmptyListOf(v5
                ? Gen.Elements(Enum.GetValues<SubscribeReasonCode>())
                : Gen.Elements(SubscribeReasonCode.GrantedQoS0, SubscribeReasonCode.GrantedQoS1, SubscribeReasonCode.GrantedQoS2, SubscribeReasonCode.UnspecifiedError))
            from props in ReasonProperties(v5)
            select (MqttPacket)new SubAckPacket(id, codes.ToList(), props);
        var unsubscribe =
            from id in PacketId
            from filters in Gen.NonEmptyListOf(TopicFilter)
            select (MqttPacket)new UnsubscribePacket(id, filters.ToList());
        var unsubAck =
            from id in PacketId
            from codes in Gen.NonEmptyListOf(Gen.Elements(Enum.GetValues<UnsubscribeReasonCode>()))
            from props in ReasonProperties(v5)
            select (MqttPacket)new UnsubAckPacket(id, v5 ? codes.ToList() : [], props);
        var disconnect =
            from code in Gen.Elements(Enum.GetValues<DisconnectReasonCode>())
            from props in ReasonProperties(v5)
            select (MqttPacket)(v5 ? new DisconnectPacket(code, props) : new DisconnectPacket());
        var auth =
            from code in Gen.Elements<byte>(0x00, 0x18, 0x19)
            from method in Text(1, 6)
            from data in Bytes(6)
            select (MqttPacket)new AuthPacket(code, new MqttProperties { AuthenticationMethod = method, AuthenticationData = data });
        var pings = Gen.Elements<MqttPacket>(PingReqPacket.Instance, PingRespPacket.Instance);
        var all = new List<Gen<MqttPacket>> { connect, connAck, publish, ack, subscribe, subAck, unsubscribe, unsubAck, disconnect, pings };
        if (v5)
        {
            all.Add(auth);
        }
        return Gen.OneOf(all);
    }
}
