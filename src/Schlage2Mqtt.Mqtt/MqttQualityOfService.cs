namespace Schlage2Mqtt.Mqtt;

/// <summary>Delivery guarantee of a PUBLISH or a subscription.</summary>
public enum MqttQualityOfService : byte
{
    /// <summary>QoS 0: fire and forget.</summary>
    AtMostOnce = 0,

    /// <summary>QoS 1: acknowledged by PUBACK, may be duplicated.</summary>
    AtLeastOnce = 1,

    /// <summary>QoS 2: four-step PUBREC/PUBREL/PUBCOMP exchange, delivered once.</summary>
    ExactlyOnce = 2,
}
