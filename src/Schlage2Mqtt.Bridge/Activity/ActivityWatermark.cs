using System.Text.Json.Serialization;

namespace Schlage2Mqtt.Bridge.Activity;

/// <summary>
/// How far a lock's activity log has been published: the newest entry's time and the ids published at that time
/// (entries can share a second). Persisted, so a restart publishes nothing twice.
/// </summary>
internal sealed record ActivityWatermark(DateTimeOffset Time, List<string> IdsAtTime, bool? KeypadDisabled);

internal sealed record ActivityDocument(Dictionary<string, ActivityWatermark> Locks);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(ActivityDocument))]
internal sealed partial class ActivityJson : JsonSerializerContext;
