namespace Schlage2Mqtt.Mqtt;

/// <summary>The MQTT protocol revision spoken on a connection; the value is the protocol level byte of CONNECT.</summary>
public enum MqttProtocolVersion : byte
{
    /// <summary>MQTT 3.1.1 (OASIS standard, protocol level 4).</summary>
    V311 = 4,

    /// <summary>MQTT 5.0 (OASIS standard, protocol level 5).</summary>
    V500 = 5,
}
