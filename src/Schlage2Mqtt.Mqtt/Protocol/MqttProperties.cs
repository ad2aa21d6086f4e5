namespace Schlage2Mqtt.Mqtt.Protocol;

/// <summary>
/// The MQTT 5 properties of one packet; <see langword="null"/> means absent. A single bag for every packet type
/// keeps the codec small; which properties a packet type may carry is enforced when decoding.
/// </summary>
internal sealed record MqttProperties
{
    public byte? PayloadFormatIndicator { get; set; }
    public uint? MessageExpiryInterval { get; set; }
    public string? ContentType { get; set; }
    public string? ResponseTopic { get; set; }
    public byte[]? CorrelationData { get; set; }
    public List<uint>? SubscriptionIdentifiers { get; set; }
    public uint? SessionExpiryInterval { get; set; }
    public string? AssignedClientIdentifier { get; set; }
    public ushort? ServerKeepAlive { get; set; }
    public string? AuthenticationMethod { get; set; }
    public byte[]? AuthenticationData { get; set; }
    public byte? RequestProblemInformation { get; set; }
    public uint? WillDelayInterval { get; set; }
    public byte? RequestResponseInformation { get; set; }
    public string? ResponseInformation { get; set; }
    public string? ServerReference { get; set; }
    public string? ReasonString { get; set; }
    public ushort? ReceiveMaximum { get; set; }
    public ushort? TopicAliasMaximum { get; set; }
    public ushort? TopicAlias { get; set; }
    public byte? MaximumQoS { get; set; }
    public byte? RetainAvailable { get; set; }
    public List<MqttUserProperty>? UserProperties { get; set; }
    public uint? MaximumPacketSize { get; set; }
    public byte? WildcardSubscriptionAvailable { get; set; }
    public byte? SubscriptionIdentifierAvailable { get; set; }
    public byte? SharedSubscriptionAvailable { get; set; }
}
