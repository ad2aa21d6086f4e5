namespace Schlage2Mqtt.Bridge.Activity;

/// <summary>What a log event code means for the <c>activity</c> topic: its event type and, for lock changes, the method.</summary>
public sealed record ActivityKind(string EventType, string? Method);

/// <summary>
/// Maps the cloud's activity-log event codes (reference section 5) to activity events. Codes the bridge does not know
/// map to <c>unknown</c> with the raw code kept, so nothing the lock reports is silently dropped.
/// </summary>
public static class ActivityMapper
{
    /// <summary>Every event type the bridge publishes (the Home Assistant event entity lists these).</summary>
    public static IReadOnlyList<string> EventTypes => Contract.ActivityEventTypes.All;

    /// <summary>The activity of an event code.</summary>
    public static ActivityKind Map(int? code) => code switch
    {
        1 => new("locked", "keypad"),
        2 => new("unlocked", "keypad"),
        3 => new("locked", "thumbturn"),
        4 => new("unlocked", "thumbturn"),
        5 => new("locked", "one_touch"),
        6 => new("locked", "mobile"),
        7 => new("unlocked", "mobile"),
        8 => new("locked", "auto_lock"),
        9 => new("unlocked", "schedule"),
        10 => new("jammed", null),
        11 => new("keypad_disabled", "keypad"),
        12 => new("alarm", null),
        14 => new("code_added", null),
        15 => new("code_removed", null),
        16 => new("user_added", null),
        17 => new("user_removed", null),
        20 => new("firmware_updated", null),
        21 => new("low_battery", null),
        22 => new("batteries_replaced", null),
        24 => new("logs_cleared", null),
        25 => new("locked", "remote"),
        26 => new("unlocked", "remote"),
        29 => new("critical_battery", null),
        30 => new("all_codes_deleted", null),
        35 => new("keypad_disconnected", null),
        48 => new("passage_mode_on", null),
        47 => new("locked", "schedule"),
        49 => new("passage_mode_off", null),
        52 => new("unlocked", "apple"),
        53 => new("locked", "apple"),
        54 or 55 or 56 => new("jammed", "motor"),
        // 64-67 are deadlocks: a lock event, its method saying how.
        64 => new("locked", "keypad"),
        65 => new("locked", "mobile"),
        66 => new("locked", "key_fob"),
        67 => new("locked", "nfc"),
        68 => new("unlocked", "inside_button"),
        // pyschlage's table: 69 is "Locked by inside push button", although the reference groups 68-70 as unlocks.
        69 => new("locked", "inside_button"),
        70 => new("unlocked", "inside_lever"),
        71 => new("door_opened", null),
        72 => new("door_closed", null),
        74 => new("locked", "key_fob"),
        75 => new("unlocked", "key_fob"),
        76 => new("unlocked", "mechanical_key"),
        _ => new("unknown", null),
    };
}
