namespace Schlage2Mqtt.Mqtt;

/// <summary>One topic filter of a SUBSCRIBE with its options.</summary>
/// <param name="TopicFilter">Topic filter, wildcards <c>+</c> and <c>#</c> allowed (validated by <see cref="MqttTopic.ValidateTopicFilter"/>).</param>
/// <param name="QualityOfService">Maximum QoS the broker may use to deliver matching messages.</param>
public sealed record MqttSubscription(string TopicFilter, MqttQualityOfService QualityOfService = MqttQualityOfService.AtMostOnce)
{
    /// <summary>MQTT 5: do not deliver messages this client published itself. Ignored under 3.1.1.</summary>
    public bool NoLocal { get; init; }

    /// <summary>MQTT 5: keep the retain flag as published instead of clearing it on live deliveries. Ignored under 3.1.1.</summary>
    public bool RetainAsPublished { get; init; }

    /// <summary>MQTT 5: whether retained messages are sent when subscribing. Ignored under 3.1.1 (always sent).</summary>
    public MqttRetainHandling RetainHandling { get; init; }
}
