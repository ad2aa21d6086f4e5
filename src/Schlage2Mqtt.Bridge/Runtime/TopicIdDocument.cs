using System.Text.Json.Serialization;

namespace Schlage2Mqtt.Bridge.Runtime;

/// <summary>The persisted topic ids (<c>data_dir/topics.json</c>): which device has which topic id, on which account.</summary>
internal sealed record TopicIdDocument(Dictionary<string, TopicIdRecord> Locks);

/// <summary>One lock's persisted topic id, with the hardware facts discovery needs before the lock is read again.</summary>
internal sealed record TopicIdRecord(string TopicId, string Account, string? Name, string? Model = null, string? Firmware = null, bool? DoorSensor = null);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(TopicIdDocument))]
internal sealed partial class TopicIdJson : JsonSerializerContext;
