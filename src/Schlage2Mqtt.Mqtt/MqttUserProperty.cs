namespace Schlage2Mqtt.Mqtt;

/// <summary>An MQTT 5 User Property: a UTF-8 name/value pair; names may repeat and order is kept.</summary>
/// <param name="Name">Property name.</param>
/// <param name="Value">Property value.</param>
public readonly record struct MqttUserProperty(string Name, string Value);
