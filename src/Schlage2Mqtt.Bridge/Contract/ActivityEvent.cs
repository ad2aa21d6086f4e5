using System.Text.Json.Serialization;

namespace Schlage2Mqtt.Bridge.Contract;

/// <summary>
/// One message on <c>&lt;lock&gt;/activity</c>: <c>{event_type, method, user, access_code, time}</c> as the README lists
/// them, always; then what only some events have: the log's <c>event_code</c> for what the lock logged, the
/// <c>operation_id</c> and <c>error</c> for what the bridge did to an access code.
/// </summary>
/// <param name="EventType">One of <see cref="ActivityEventTypes.All"/>.</param>
/// <param name="Method">How: <c>keypad</c>, <c>thumbturn</c>, <c>bridge</c>, ...; null when the event has none.</param>
/// <param name="User">The user who did it, when known.</param>
/// <param name="AccessCode">The access code's name (never its PIN), when one is involved.</param>
/// <param name="Time">When it happened.</param>
public sealed record ActivityEvent(string EventType, string? Method, string? User, string? AccessCode, DateTimeOffset Time)
{
    /// <summary>The lock's own event code, for events read from its log.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? EventCode { get; init; }

    /// <summary>The access-code operation the event settles, for events of the bridge's own code changes.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? OperationId { get; init; }

    /// <summary>The error code a failed access-code operation ended with.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Error { get; init; }
}

/// <summary>The <c>event_type</c> values of <see cref="ActivityEvent"/>.</summary>
public static class ActivityEventTypes
{
    /// <summary>The bridge added an access code.</summary>
    public const string CodeAdded = "code_added";

    /// <summary>The bridge changed an access code.</summary>
    public const string CodeUpdated = "code_updated";

    /// <summary>The bridge removed an access code.</summary>
    public const string CodeRemoved = "code_removed";

    /// <summary>An access-code change of the bridge failed (or its outcome is unknown).</summary>
    public const string CodeFailed = "code_failed";

    /// <summary>Every event type the bridge publishes (the Home Assistant event entity lists these).</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        "locked", "unlocked", "jammed", "keypad_disabled", "alarm", "low_battery", "critical_battery", "batteries_replaced",
        CodeAdded, CodeUpdated, CodeRemoved, CodeFailed, "all_codes_deleted", "user_added", "user_removed",
        "firmware_updated", "keypad_disconnected", "passage_mode_on", "passage_mode_off", "door_opened", "door_closed",
        "logs_cleared", "unknown",
    ];
}
