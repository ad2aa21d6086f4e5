namespace Schlage2Mqtt.Mqtt.Protocol;

/// <summary>Reads and writes MQTT 5 property blocks (a variable byte integer length followed by the properties).</summary>
internal static class MqttPropertyCodec
{
    private const MqttPropertyContext Message = MqttPropertyContext.Publish | MqttPropertyContext.Will;
    private const MqttPropertyContext WithReason = MqttPropertyContext.ConnAck | MqttPropertyContext.PublishAck
        | MqttPropertyContext.SubAck | MqttPropertyContext.UnsubAck | MqttPropertyContext.Disconnect | MqttPropertyContext.Auth;

    public static MqttPropertyContext AllowedIn(MqttPropertyId id) => id switch
    {
        MqttPropertyId.PayloadFormatIndicator or MqttPropertyId.MessageExpiryInterval or MqttPropertyId.ContentType
            or MqttPropertyId.ResponseTopic or MqttPropertyId.CorrelationData => Message,
        MqttPropertyId.SubscriptionIdentifier => MqttPropertyContext.Publish | MqttPropertyContext.Subscribe,
        MqttPropertyId.SessionExpiryInterval => MqttPropertyContext.Connect | MqttPropertyContext.ConnAck | MqttPropertyContext.Disconnect,
        MqttPropertyId.AssignedClientIdentifier or MqttPropertyId.ServerKeepAlive or MqttPropertyId.ResponseInformation
            or MqttPropertyId.MaximumQoS or MqttPropertyId.RetainAvailable or MqttPropertyId.WildcardSubscriptionAvailable
            or MqttPropertyId.SubscriptionIdentifierAvailable or MqttPropertyId.SharedSubscriptionAvailable => MqttPropertyContext.ConnAck,
        MqttPropertyId.AuthenticationMethod or MqttPropertyId.AuthenticationData =>
            MqttPropertyContext.Connect | MqttPropertyContext.ConnAck | MqttPropertyContext.Auth,
        MqttPropertyId.RequestProblemInformation or MqttPropertyId.RequestResponseInformation => MqttPropertyContext.Connect,
        MqttPropertyId.WillDelayInterval => MqttPropertyContext.Will,
        MqttPropertyId.ServerReference => MqttPropertyContext.ConnAck | MqttPropertyContext.Disconnect,
        MqttPropertyId.ReasonString => WithReason,
        MqttPropertyId.ReceiveMaximum or MqttPropertyId.TopicAliasMaximum or MqttPropertyId.MaximumPacketSize =>
            MqttPropertyContext.Connect | MqttPropertyContext.ConnAck,
        MqttPropertyId.TopicAlias => MqttPropertyContext.Publish,
        MqttPropertyId.UserProperty => (MqttPropertyContext)0x7FF,
        _ => MqttPropertyContext.None,
    };

    /// <summary>Reads a property block; returns <see langword="null"/> when it is empty.</summary>
    public static MqttProperties? Read(ref MqttSpanReader reader, MqttPropertyContext context)
    {
        var length = reader.ReadVariableByteInteger();
        if (length == 0)
        {
            return null;
        }
        if (length > reader.Remaining)
        {
            throw new MqttProtocolException(DisconnectReasonCode.MalformedPacket, "Property length exceeds the packet.");
        }
        var block = new MqttSpanReader(reader.ReadBytes((int)length));
        var p = new MqttProperties();
        while (!block.End)
        {
            var raw = block.ReadVariableByteInteger();
            var id = (MqttPropertyId)raw;
            if (raw > 0x7F || (AllowedIn(id) & context) == 0)
            {
                throw new MqttProtocolException(DisconnectReasonCode.ProtocolError, $"Property 0x{raw:X2} is not allowed in {context}.");
            }
            switch (id)
            {
                case MqttPropertyId.PayloadFormatIndicator: p.PayloadFormatIndicator = Once(p.PayloadFormatIndicator, Flag(ref block, id)); break;
                case MqttPropertyId.MessageExpiryInterval: p.MessageExpiryInterval = Once(p.MessageExpiryInterval, block.ReadUInt32()); break;
                case MqttPropertyId.ContentType: p.ContentType = Once(p.ContentType, block.ReadString()); break;
                case MqttPropertyId.ResponseTopic:
                    var responseTopic = block.ReadString();
                    if (MqttTopic.CheckTopicName(responseTopic) is { } why)
                    {
                        throw new MqttProtocolException(DisconnectReasonCode.ProtocolError, $"Response Topic: {why}.");
                    }
                    p.ResponseTopic = Once(p.ResponseTopic, responseTopic);
                    break;
                case MqttPropertyId.CorrelationData: p.CorrelationData = Once(p.CorrelationData, block.ReadBinary()); break;
                case MqttPropertyId.SubscriptionIdentifier:
                    var subId = block.ReadVariableByteInteger();
                    if (subId == 0)
                    {
                        throw new MqttProtocolException(DisconnectReasonCode.ProtocolError, "Subscription Identifier 0.");
                    }
                    if (context == MqttPropertyContext.Subscribe && p.SubscriptionIdentifiers is not null)
                    {
                        throw Duplicate();
                    }
                    (p.SubscriptionIdentifiers ??= []).Add(subId);
                    break;
                case MqttPropertyId.SessionExpiryInterval: p.SessionExpiryInterval = Once(p.SessionExpiryInterval, block.ReadUInt32()); break;
                case MqttPropertyId.AssignedClientIdentifier: p.AssignedClientIdentifier = Once(p.AssignedClientIdentifier, block.ReadString()); break;
                case MqttPropertyId.ServerKeepAlive: p.ServerKeepAlive = Once(p.ServerKeepAlive, block.ReadUInt16()); break;
                case MqttPropertyId.AuthenticationMethod: p.AuthenticationMethod = Once(p.AuthenticationMethod, block.ReadString()); break;
                case MqttPropertyId.AuthenticationData: p.AuthenticationData = Once(p.AuthenticationData, block.ReadBinary()); break;
                case MqttPropertyId.RequestProblemInformation: p.RequestProblemInformation = Once(p.RequestProblemInformation, Flag(ref block, id)); break;
                case MqttPropertyId.WillDelayInterval: p.WillDelayInterval = Once(p.WillDelayInterval, block.ReadUInt32()); break;
                case MqttPropertyId.RequestResponseInformation: p.RequestResponseInformation = Once(p.RequestResponseInformation, Flag(ref block, id)); break;
                case MqttPropertyId.ResponseInformation: p.ResponseInformation = Once(p.ResponseInformation, block.ReadString()); break;
                case MqttPropertyId.ServerReference: p.ServerReference = Once(p.ServerReference, block.ReadString()); break;
                case MqttPropertyId.ReasonString: p.ReasonString = Once(p.ReasonString, block.ReadString()); break;
                case MqttPropertyId.ReceiveMaximum: p.ReceiveMaximum = Once(p.ReceiveMaximum, NonZero(block.ReadUInt16(), id)); break;
                case MqttPropertyId.TopicAliasMaximum: p.TopicAliasMaximum = Once(p.TopicAliasMaximum, block.ReadUInt16()); break;
                case MqttPropertyId.TopicAlias:
                    var alias = block.ReadUInt16();
                    if (alias == 0)
                    {
                        // MQTT 5 §3.3.2.3.4: alias 0 is not permitted, and the answer is Topic Alias Invalid.
                        throw new MqttProtocolException(DisconnectReasonCode.TopicAliasInvalid, "Topic alias 0 is not permitted.");
                    }
                    p.TopicAlias = Once(p.TopicAlias, alias);
                    break;
                case MqttPropertyId.MaximumQoS: p.MaximumQoS = Once(p.MaximumQoS, Flag(ref block, id)); break;
                case MqttPropertyId.RetainAvailable: p.RetainAvailable = Once(p.RetainAvailable, Flag(ref block, id)); break;
                case MqttPropertyId.UserProperty:
                    var name = block.ReadString();
                    var value = block.ReadString();
                    (p.UserProperties ??= []).Add(new MqttUserProperty(name, value));
                    break;
                case MqttPropertyId.MaximumPacketSize: p.MaximumPacketSize = Once(p.MaximumPacketSize, (uint)NonZero(block.ReadUInt32(), id)); break;
                case MqttPropertyId.WildcardSubscriptionAvailable: p.WildcardSubscriptionAvailable = Once(p.WildcardSubscriptionAvailable, Flag(ref block, id)); break;
                case MqttPropertyId.SubscriptionIdentifierAvailable: p.SubscriptionIdentifierAvailable = Once(p.SubscriptionIdentifierAvailable, Flag(ref block, id)); break;
                case MqttPropertyId.SharedSubscriptionAvailable: p.SharedSubscriptionAvailable = Once(p.SharedSubscriptionAvailable, Flag(ref block, id)); break;
                default: throw new MqttProtocolException(DisconnectReasonCode.ProtocolError, $"Unknown property 0x{raw:X2}.");
            }
        }
        return p;
    }

    public static void Write(ref MqttSpanWriter w, MqttProperties? p)
    {
        if (p is null)
        {
            w.WriteByte(0);
            return;
        }
        var counter = MqttSpanWriter.Counter();
        WriteItems(ref counter, p);
        w.WriteVariableByteInteger((uint)counter.Position);
        WriteItems(ref w, p);
    }

    private static void WriteItems(ref MqttSpanWriter w, MqttProperties p)
    {
        if (p.PayloadFormatIndicator is { } pfi) { Id(ref w, MqttPropertyId.PayloadFormatIndicator); w.WriteByte(pfi); }
        if (p.MessageExpiryInterval is { } mei) { Id(ref w, MqttPropertyId.MessageExpiryInterval); w.WriteUInt32(mei); }
        if (p.ContentType is { } ct) { Id(ref w, MqttPropertyId.ContentType); w.WriteString(ct); }
        if (p.ResponseTopic is { } rt) { Id(ref w, MqttPropertyId.ResponseTopic); w.WriteString(rt); }
        if (p.CorrelationData is { } cd) { Id(ref w, MqttPropertyId.CorrelationData); w.WriteBinary(cd); }
        if (p.SubscriptionIdentifiers is { } sids)
        {
            foreach (var sid in sids) { Id(ref w, MqttPropertyId.SubscriptionIdentifier); w.WriteVariableByteInteger(sid); }
        }
        if (p.SessionExpiryInterval is { } sei) { Id(ref w, MqttPropertyId.SessionExpiryInterval); w.WriteUInt32(sei); }
        if (p.AssignedClientIdentifier is { } aci) { Id(ref w, MqttPropertyId.AssignedClientIdentifier); w.WriteString(aci); }
        if (p.ServerKeepAlive is { } ska) { Id(ref w, MqttPropertyId.ServerKeepAlive); w.WriteUInt16(ska); }
        if (p.AuthenticationMethod is { } am) { Id(ref w, MqttPropertyId.AuthenticationMethod); w.WriteString(am); }
        if (p.AuthenticationData is { } ad) { Id(ref w, MqttPropertyId.AuthenticationData); w.WriteBinary(ad); }
        if (p.RequestProblemInformation is { } rpi) { Id(ref w, MqttPropertyId.RequestProblemInformation); w.WriteByte(rpi); }
        if (p.WillDelayInterval is { } wdi) { Id(ref w, MqttPropertyId.WillDelayInterval); w.WriteUInt32(wdi); }
        if (p.RequestResponseInformation is { } rri) { Id(ref w, MqttPropertyId.RequestResponseInformation); w.WriteByte(rri); }
        if (p.ResponseInformation is { } ri) { Id(ref w, MqttPropertyId.ResponseInformation); w.WriteString(ri); }
        if (p.ServerReference is { } sr) { Id(ref w, MqttPropertyId.ServerReference); w.WriteString(sr); }
        if (p.ReasonString is { } rs) { Id(ref w, MqttPropertyId.ReasonString); w.WriteString(rs); }
        if (p.ReceiveMaximum is { } rm) { Id(ref w, MqttPropertyId.ReceiveMaximum); w.WriteUInt16(rm); }
        if (p.TopicAliasMaximum is { } tam) { Id(ref w, MqttPropertyId.TopicAliasMaximum); w.WriteUInt16(tam); }
        if (p.TopicAlias is { } ta) { Id(ref w, MqttPropertyId.TopicAlias); w.WriteUInt16(ta); }
        if (p.MaximumQoS is { } mq) { Id(ref w, MqttPropertyId.MaximumQoS); w.WriteByte(mq); }
        if (p.RetainAvailable is { } ra) { Id(ref w, MqttPropertyId.RetainAvailable); w.WriteByte(ra); }
        if (p.UserProperties is { } ups)
        {
            foreach (var up in ups) { Id(ref w, MqttPropertyId.UserProperty); w.WriteString(up.Name); w.WriteString(up.Value); }
        }
        if (p.MaximumPacketSize is { } mps) { Id(ref w, MqttPropertyId.MaximumPacketSize); w.WriteUInt32(mps); }
        if (p.WildcardSubscriptionAvailable is { } wsa) { Id(ref w, MqttPropertyId.WildcardSubscriptionAvailable); w.WriteByte(wsa); }
        if (p.SubscriptionIdentifierAvailable is { } sia) { Id(ref w, MqttPropertyId.SubscriptionIdentifierAvailable); w.WriteByte(sia); }
        if (p.SharedSubscriptionAvailable is { } ssa) { Id(ref w, MqttPropertyId.SharedSubscriptionAvailable); w.WriteByte(ssa); }
    }

    /// <summary>Writes the property block of an outgoing PUBLISH straight from the message, without a property bag.</summary>
    public static void WriteMessageProperties(ref MqttSpanWriter w, MqttMessage m, ushort topicAlias, uint? willDelay)
    {
        var counter = MqttSpanWriter.Counter();
        WriteMessageItems(ref counter, m, topicAlias, willDelay);
        w.WriteVariableByteInteger((uint)counter.Position);
        WriteMessageItems(ref w, m, topicAlias, willDelay);
    }

    private static void WriteMessageItems(ref MqttSpanWriter w, MqttMessage m, ushort topicAlias, uint? willDelay)
    {
        if (m.PayloadFormat != MqttPayloadFormat.Unspecified) { Id(ref w, MqttPropertyId.PayloadFormatIndicator); w.WriteByte((byte)m.PayloadFormat); }
        if (m.MessageExpiryInterval is { } expiry) { Id(ref w, MqttPropertyId.MessageExpiryInterval); w.WriteUInt32(ToSeconds(expiry)); }
        if (m.ContentType is { } ct) { Id(ref w, MqttPropertyId.ContentType); w.WriteString(ct); }
        if (m.ResponseTopic is { } rt) { Id(ref w, MqttPropertyId.ResponseTopic); w.WriteString(rt); }
        if (!m.CorrelationData.IsEmpty) { Id(ref w, MqttPropertyId.CorrelationData); w.WriteBinary(m.CorrelationData.Span); }
        if (topicAlias != 0) { Id(ref w, MqttPropertyId.TopicAlias); w.WriteUInt16(topicAlias); }
        if (willDelay is { } wd) { Id(ref w, MqttPropertyId.WillDelayInterval); w.WriteUInt32(wd); }
        var ups = m.UserProperties;
        for (var i = 0; i < ups.Count; i++)
        {
            Id(ref w, MqttPropertyId.UserProperty);
            w.WriteString(ups[i].Name);
            w.WriteString(ups[i].Value);
        }
        // Only a broker sends these (on deliveries); written so the codec also round-trips server packets.
        var subscriptionIds = m.SubscriptionIdentifiers;
        for (var i = 0; i < subscriptionIds.Count; i++)
        {
            Id(ref w, MqttPropertyId.SubscriptionIdentifier);
            w.WriteVariableByteInteger(subscriptionIds[i]);
        }
    }

    public static uint ToSeconds(TimeSpan value) =>
        value <= TimeSpan.Zero ? 0 : value.TotalSeconds >= uint.MaxValue ? uint.MaxValue : (uint)Math.Ceiling(value.TotalSeconds);

    private static void Id(ref MqttSpanWriter w, MqttPropertyId id) => w.WriteByte((byte)id);

    private static T Once<T>(T? existing, T value) where T : class =>
        existing is null ? value : throw Duplicate();

    private static T Once<T>(T? existing, T value) where T : struct =>
        existing is null ? value : throw Duplicate();

    private static byte Flag(ref MqttSpanReader r, MqttPropertyId id)
    {
        var b = r.ReadByte();
        return b <= 1
            ? b
            : throw new MqttProtocolException(DisconnectReasonCode.ProtocolError, $"Property {id} must be 0 or 1, was {b}.");
    }

    private static T NonZero<T>(T value, MqttPropertyId id) where T : struct, System.Numerics.INumber<T> =>
        T.IsZero(value) ? throw new MqttProtocolException(DisconnectReasonCode.ProtocolError, $"Property {id} must not be 0.") : value;

    private static MqttProtocolException Duplicate() =>
        new(DisconnectReasonCode.ProtocolError, "A property that may appear once appears twice.");
}
