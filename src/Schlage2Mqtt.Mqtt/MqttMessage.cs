namespace Schlage2Mqtt.Mqtt;

/// <summary>
/// An application message, published or received. The MQTT 5 properties are ignored when sending under 3.1.1
/// and absent (default) when receiving under 3.1.1.
/// </summary>
/// <param name="Topic">Topic name (no wildcards).</param>
/// <param name="Payload">Payload bytes; may be empty (an empty retained message clears the retained message).</param>
/// <param name="QualityOfService">Delivery guarantee.</param>
/// <param name="Retain">Retain flag: on publish, ask the broker to retain; on receipt, the message came from the retained store (or is forwarded as published).</param>
public sealed record MqttMessage(
    string Topic,
    ReadOnlyMemory<byte> Payload,
    MqttQualityOfService QualityOfService = MqttQualityOfService.AtMostOnce,
    bool Retain = false)
{
    /// <summary>MQTT 5 Payload Format Indicator.</summary>
    public MqttPayloadFormat PayloadFormat { get; init; }

    /// <summary>MQTT 5 Message Expiry Interval; <see langword="null"/> means the message does not expire.</summary>
    public TimeSpan? MessageExpiryInterval { get; init; }

    /// <summary>MQTT 5 Content Type (for example <c>application/json</c>).</summary>
    public string? ContentType { get; init; }

    /// <summary>MQTT 5 Response Topic of a request.</summary>
    public string? ResponseTopic { get; init; }

    /// <summary>MQTT 5 Correlation Data of a request or response; empty when absent.</summary>
    public ReadOnlyMemory<byte> CorrelationData { get; init; }

    /// <summary>MQTT 5 User Properties, in order; empty when absent.</summary>
    public IReadOnlyList<MqttUserProperty> UserProperties { get; init; } = [];

    /// <summary>MQTT 5 Subscription Identifiers the broker attached to a delivery; empty when absent.</summary>
    public IReadOnlyList<uint> SubscriptionIdentifiers { get; init; } = [];

    /// <summary>The payload decoded as UTF-8 (convenience for text payloads).</summary>
    public string PayloadAsString() => System.Text.Encoding.UTF8.GetString(Payload.Span);
}
