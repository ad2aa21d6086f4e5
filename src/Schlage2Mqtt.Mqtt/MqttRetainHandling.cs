namespace Schlage2Mqtt.Mqtt;

/// <summary>MQTT 5 subscription option: whether the broker sends retained messages when the subscription is made.</summary>
public enum MqttRetainHandling : byte
{
    /// <summary>Send retained messages at the time of the subscribe (the only 3.1.1 behaviour).</summary>
    SendAtSubscribe = 0,

    /// <summary>Send retained messages only if the subscription did not already exist.</summary>
    SendAtSubscribeIfNew = 1,

    /// <summary>Never send retained messages at the time of the subscribe.</summary>
    DoNotSend = 2,
}
