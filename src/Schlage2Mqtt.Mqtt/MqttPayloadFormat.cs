namespace Schlage2Mqtt.Mqtt;

/// <summary>MQTT 5 Payload Format Indicator.</summary>
public enum MqttPayloadFormat : byte
{
    /// <summary>Unspecified bytes (the default, and the only 3.1.1 meaning).</summary>
    Unspecified = 0,

    /// <summary>The payload is UTF-8 encoded character data.</summary>
    Utf8 = 1,
}
