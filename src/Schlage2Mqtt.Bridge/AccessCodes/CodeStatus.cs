using System.Text.Json.Serialization;

namespace Schlage2Mqtt.Bridge.AccessCodes;

/// <summary>
/// Contract statuses of a code. The member names are the spellings of the contract and of
/// <c>data_dir/access_codes.json</c>, so files written before the status was an enum still load.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<CodeStatus>))]
public enum CodeStatus
{
    /// <summary>Being added or changed.</summary>
    [JsonStringEnumMemberName("setting")]
    Setting,

    /// <summary>On the lock (as far as the cloud can tell).</summary>
    [JsonStringEnumMemberName("set")]
    Set,

    /// <summary>Being deleted.</summary>
    [JsonStringEnumMemberName("removing")]
    Removing,

    /// <summary>Deleted.</summary>
    [JsonStringEnumMemberName("removed")]
    Removed,

    /// <summary>Could not be done (see the error).</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,

    /// <summary>The lock cannot confirm either way.</summary>
    [JsonStringEnumMemberName("unknown")]
    Unknown,
}

/// <summary>The contract spelling of a <see cref="CodeStatus"/>, for payloads built by hand.</summary>
public static class CodeStatusNames
{
    /// <summary>The status as the contract spells it (<c>setting</c>, <c>set</c>, ...).</summary>
    public static string ToWire(this CodeStatus status) => status switch
    {
        CodeStatus.Setting => "setting",
        CodeStatus.Set => "set",
        CodeStatus.Removing => "removing",
        CodeStatus.Removed => "removed",
        CodeStatus.Failed => "failed",
        CodeStatus.Unknown => "unknown",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "not a contract status"),
    };
}
