using System.Text.Json.Serialization;

namespace Schlage2Mqtt.Bridge.Contract;

/// <summary>Source-generated JSON for primitive values read from payloads.</summary>
[JsonSerializable(typeof(string))]
internal sealed partial class PlainJson : JsonSerializerContext;
