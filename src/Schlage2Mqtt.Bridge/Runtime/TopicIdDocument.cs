using System.Text.Json.Serialization;
using Schlage2Mqtt.Bridge.State;

namespace Schlage2Mqtt.Bridge.Runtime;

/// <summary>The persisted topic ids (<c>data_dir/topics.json</c>): which device has which topic id, on which account.</summary>
internal sealed record TopicIdDocument(Dictionary<string, TopicIdRecord> Locks)
{
    public const string Name = "topics";

    /// <summary>The usable records of <c>topics.json</c>; a bad one is dropped and reported (its lock gets a fresh id).</summary>
    public static Dictionary<string, TopicIdRecord> Read(StateStore store)
    {
        var taken = new HashSet<string>(StringComparer.Ordinal);
        return store.ReadRecordMap(Name, "locks", TopicIdJson.Default.TopicIdRecord, (_, record) =>
            record.TopicId is null ? "topic_id is missing"
            : !IsTopicId(record.TopicId) ? "topic_id must be 1-64 of a-z, 0-9 and _ (and not 'bridge')"
            : string.IsNullOrWhiteSpace(record.Account) ? "account is empty"
            : !taken.Add(record.TopicId) ? $"topic_id '{record.TopicId}' is already held by another lock"
            : null);
    }

    // Topic ids become MQTT topic levels: anything else could publish under another lock's or the bridge's topics.
    private static bool IsTopicId(string id) =>
        id.Length is > 0 and <= 64 && id != "bridge" && id.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_');
}

/// <summary>One lock's persisted topic id, with the hardware facts discovery needs before the lock is read again.</summary>
internal sealed record TopicIdRecord(string TopicId, string Account, string? Name, string? Model = null, string? Firmware = null, bool? DoorSensor = null);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(TopicIdDocument))]
[JsonSerializable(typeof(TopicIdRecord))]
internal sealed partial class TopicIdJson : JsonSerializerContext;
