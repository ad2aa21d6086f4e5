using System.Text.Json.Serialization;
using Schlage2Mqtt.Bridge.State;

namespace Schlage2Mqtt.Bridge.Activity;

/// <summary>
/// How far a lock's activity log has been published: the newest entry's time and the ids published at that time
/// (entries can share a second). Persisted, so a restart publishes nothing twice.
/// </summary>
internal sealed record ActivityWatermark(DateTimeOffset Time, List<string> IdsAtTime, bool? KeypadDisabled);

internal sealed record ActivityDocument(Dictionary<string, ActivityWatermark> Locks)
{
    /// <summary>The usable watermarks; a bad one is dropped and reported (that lock's log is read afresh from the start time).</summary>
    public static Dictionary<string, ActivityWatermark> Read(StateStore store, string name) =>
        store.ReadRecordMap(name, "locks", ActivityJson.Default.ActivityWatermark, (_, mark) =>
            mark.IdsAtTime is null ? "ids_at_time is missing"
            : mark.IdsAtTime.Any(id => id is null) ? "ids_at_time holds a null"
            : null);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(ActivityDocument))]
[JsonSerializable(typeof(ActivityWatermark))]
internal sealed partial class ActivityJson : JsonSerializerContext;
