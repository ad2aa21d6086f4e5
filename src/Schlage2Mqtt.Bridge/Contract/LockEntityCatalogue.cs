using System.Globalization;
using System.Text.Json.Nodes;
using Schlage2Mqtt.Bridge.Topics;
using Schlage2Mqtt.Cloud;

namespace Schlage2Mqtt.Bridge.Contract;

/// <summary>
/// Every entity a lock can have, in the order discovery lists them: what it needs of the lock, its state-payload field,
/// its command field and its Home Assistant config. Discovery, command parsing and the state payload all read this one
/// table, so a lock without a beeper loses the switch, the <c>beeper</c> command and the <c>beeper</c> state field
/// together, and a new entity is one row.
/// </summary>
public static class LockEntityCatalogue
{
    /// <summary>The rows, in discovery order (Home Assistant keeps the order of <c>cmps</c>).</summary>
    public static IReadOnlyList<LockEntity> Entities { get; } =
    [
        new("lock", "lock", null, LockFeatures.LockUnlock, Config: c => new JsonObject
        {
            ["cmd_t"] = c.Topics.Set(c.TopicId),
            ["stat_t"] = c.StateTopic,
            ["val_tpl"] = "{{ value_json.state }}",
            ["pl_lock"] = LockCommandValues.Lock,
            ["pl_unlk"] = LockCommandValues.Unlock,
            ["stat_locked"] = LockStateNames.Locked,
            ["stat_unlocked"] = LockStateNames.Unlocked,
            ["stat_locking"] = LockStateNames.Locking,
            ["stat_unlocking"] = LockStateNames.Unlocking,
            ["stat_jam"] = LockStateNames.Jammed,
            // Without it Home Assistant keeps showing the last state when the lock reports UNKNOWN.
            ["pl_rst"] = LockStateNames.Unknown,
        })
        {
            // The bolt state is reported by every lock, also one that cannot be locked remotely.
            StateField = "state",
            StateNeeds = LockFeatures.None,
            Command = LockCommandField.State,
        },
        new("battery", "sensor", "Battery", LockFeatures.None, Config: c => new JsonObject
        {
            ["stat_t"] = c.StateTopic,
            ["val_tpl"] = "{{ value_json.battery }}",
            ["dev_cla"] = "battery",
            ["unit_of_meas"] = "%",
            ["stat_cla"] = "measurement",
            ["ent_cat"] = "diagnostic",
        }) { StateField = "battery" },
        // Connectivity must stay visible when the lock is offline: that is what it reports.
        new("connectivity", "binary_sensor", "Cloud connection", LockFeatures.None, Config: c => new JsonObject
        {
            ["stat_t"] = c.StateTopic,
            ["val_tpl"] = Flag("connected"),
            ["dev_cla"] = "connectivity",
            ["ent_cat"] = "diagnostic",
        }) { StateField = "connected", FollowsLockAvailability = false },
        new("activity", "event", "Activity", LockFeatures.ActivityLog, Config: c => new JsonObject
        {
            ["stat_t"] = c.Topics.Activity(c.TopicId),
            ["evt_typ"] = new JsonArray([.. ActivityEventTypes.All.Select(e => (JsonNode)JsonValue.Create(e))]),
            ["ic"] = "mdi:history",
        }),
        new("last_changed_by", "sensor", "Last changed by", LockFeatures.None, Config: c => new JsonObject
        {
            ["stat_t"] = c.StateTopic,
            ["val_tpl"] = "{{ value_json.last_changed_by }}",
            ["ic"] = "mdi:account-key",
        }) { StateField = "last_changed_by" },
        new("beeper", "switch", "Beeper", LockFeatures.Beeper, Config: c => Switch(c, "beeper", "mdi:volume-high"))
        {
            StateField = "beeper",
            Command = LockCommandField.Beeper,
        },
        new("lock_and_leave", "switch", "1-Touch locking", LockFeatures.LockAndLeave, Config: c => Switch(c, "lock_and_leave", "mdi:gesture-tap"))
        {
            StateField = "lock_and_leave",
            Command = LockCommandField.LockAndLeave,
        },
        new("auto_lock_time", "select", "Auto-lock (seconds)", LockFeatures.AutoLock, Config: c => new JsonObject
        {
            ["cmd_t"] = c.Topics.SetAttribute(c.TopicId, "auto_lock_time"),
            ["stat_t"] = c.StateTopic,
            ["val_tpl"] = "{{ value_json.auto_lock_time }}",
            ["ops"] = new JsonArray([.. c.AutoLockOptions.Select(v => (JsonNode)JsonValue.Create(v.ToString(CultureInfo.InvariantCulture)))]),
            ["ent_cat"] = "config",
            ["ic"] = "mdi:timer-lock-outline",
        })
        {
            StateField = "auto_lock_time",
            Command = LockCommandField.AutoLockTime,
        },
        new("keypad_disabled", "binary_sensor", "Keypad disabled", LockFeatures.Keypad, Config: c => new JsonObject
        {
            ["stat_t"] = c.StateTopic,
            ["val_tpl"] = Flag("keypad_disabled"),
            ["dev_cla"] = "problem",
            ["ent_cat"] = "diagnostic",
        }) { StateField = "keypad_disabled" },
        new("firmware", "sensor", "Firmware", LockFeatures.None, Config: c => new JsonObject
        {
            ["stat_t"] = c.StateTopic,
            ["val_tpl"] = "{{ value_json.firmware }}",
            ["ent_cat"] = "diagnostic",
            ["ic"] = "mdi:chip",
        }) { StateField = "firmware" },
        new("wifi_rssi", "sensor", "Wi-Fi signal", LockFeatures.None, Config: c => new JsonObject
        {
            ["stat_t"] = c.StateTopic,
            ["val_tpl"] = "{{ value_json.wifi_rssi }}",
            ["dev_cla"] = "signal_strength",
            ["unit_of_meas"] = "dBm",
            ["stat_cla"] = "measurement",
            ["ent_cat"] = "diagnostic",
            ["en"] = false,
        }) { StateField = "wifi_rssi" },
        new("refresh", "button", "Refresh", LockFeatures.None, Config: c => new JsonObject
        {
            ["cmd_t"] = c.Topics.Get(c.TopicId),
            ["pl_prs"] = "refresh",
            ["ent_cat"] = "diagnostic",
        }),
        new("door", "binary_sensor", "Door", LockFeatures.DoorSensor, Config: c => new JsonObject
        {
            ["stat_t"] = c.StateTopic,
            ["val_tpl"] = $"{{{{ 'ON' if value_json.door == '{DoorStateNames.Open}' else ('OFF' if value_json.door == '{DoorStateNames.Closed}' else 'None') }}}}",
            ["dev_cla"] = "door",
        }) { StateField = "door" },
    ];

    /// <summary>The command fields in table order: the keys of <c>&lt;lock&gt;/set</c> JSON and the attributes of <c>&lt;lock&gt;/set/&lt;attr&gt;</c>.</summary>
    public static IReadOnlyList<LockEntity> Commands { get; } = [.. Entities.Where(e => e.Command is not null)];

    /// <summary>The entities <paramref name="features"/> allow, in discovery order.</summary>
    public static IEnumerable<LockEntity> For(LockFeatures features) => Entities.Where(e => e.IsOfferedTo(features));

    /// <summary>The entity whose command field is <paramref name="field"/>, or null when no entity takes it.</summary>
    public static LockEntity? ByCommandField(string field) => Commands.FirstOrDefault(e => e.Command!.Value.Name() == field);

    /// <summary>The entity whose state-payload field is <paramref name="field"/>, or null for fields no entity owns.</summary>
    public static LockEntity? ByStateField(string field) => Entities.FirstOrDefault(e => e.StateField == field);

    // Nullable booleans render "None" so Home Assistant shows "unknown" instead of guessing.
    private static string Flag(string field) => $"{{{{ 'ON' if value_json.{field} == true else ('OFF' if value_json.{field} == false else 'None') }}}}";

    private static JsonObject Switch(LockEntityContext c, string field, string icon) => new()
    {
        ["cmd_t"] = c.Topics.SetAttribute(c.TopicId, field),
        ["stat_t"] = c.StateTopic,
        ["val_tpl"] = Flag(field),
        ["pl_on"] = "ON",
        ["pl_off"] = "OFF",
        ["ent_cat"] = "config",
        ["ic"] = icon,
    };
}

/// <summary>One row of <see cref="LockEntityCatalogue"/>.</summary>
/// <param name="ObjectId">Discovery object id, also the suffix of the unique id.</param>
/// <param name="Platform">Home Assistant component (<c>lock</c>, <c>switch</c>, ...).</param>
/// <param name="Name">Entity name; null takes the device's name (the main entity).</param>
/// <param name="Needs">What the lock must be able to do for the entity, its command and (unless <see cref="StateNeeds"/> says otherwise) its state field.</param>
/// <param name="Config">The entity's own discovery keys (the builder adds name, unique id, qos and availability).</param>
public sealed record LockEntity(string ObjectId, string Platform, string? Name, LockFeatures Needs, Func<LockEntityContext, JsonObject> Config)
{
    /// <summary>The state-payload field the entity shows; null when it reads another topic or none.</summary>
    public string? StateField { get; init; }

    /// <summary>What the lock must be able to do for <see cref="StateField"/> to appear in its state payload.</summary>
    public LockFeatures StateNeeds { get; init; } = Needs;

    /// <summary>The command field that drives the entity, when it takes commands on <c>&lt;lock&gt;/set</c>.</summary>
    public LockCommandField? Command { get; init; }

    /// <summary>Whether the entity is unavailable while the lock is offline (false only for what reports the offline state).</summary>
    public bool FollowsLockAvailability { get; init; } = true;

    /// <summary>True when a lock with <paramref name="features"/> gets this entity.</summary>
    public bool IsOfferedTo(LockFeatures features) => (features & Needs) == Needs;

    /// <summary>True when the state payload of a lock with <paramref name="features"/> carries <see cref="StateField"/>.</summary>
    public bool StateFieldOfferedTo(LockFeatures features) => (features & StateNeeds) == StateNeeds;
}

/// <summary>What an entity's discovery config is built from.</summary>
/// <param name="Topics">The bridge's topics.</param>
/// <param name="TopicId">The lock's topic id.</param>
/// <param name="AutoLockOptions">The auto-lock values to offer (the select's options).</param>
public sealed record LockEntityContext(BridgeTopics Topics, string TopicId, IReadOnlyList<int> AutoLockOptions)
{
    /// <summary>The lock's state topic.</summary>
    public string StateTopic => Topics.Lock(TopicId);
}

/// <summary>The fields a lock command can carry.</summary>
public enum LockCommandField
{
    /// <summary><c>state</c>: <c>LOCK</c> or <c>UNLOCK</c>.</summary>
    State,

    /// <summary><c>beeper</c>: on or off.</summary>
    Beeper,

    /// <summary><c>lock_and_leave</c>: on or off.</summary>
    LockAndLeave,

    /// <summary><c>auto_lock_time</c>: seconds, 0 = off.</summary>
    AutoLockTime,
}

/// <summary>The wire names of <see cref="LockCommandField"/>.</summary>
public static class LockCommandFieldNames
{
    /// <summary>The field's name on the wire (JSON key and <c>set/&lt;attr&gt;</c> attribute).</summary>
    public static string Name(this LockCommandField field) => field switch
    {
        LockCommandField.State => "state",
        LockCommandField.Beeper => "beeper",
        LockCommandField.LockAndLeave => "lock_and_leave",
        LockCommandField.AutoLockTime => "auto_lock_time",
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
    };
}

/// <summary>The values of the <c>state</c> command field.</summary>
public static class LockCommandValues
{
    /// <summary>Throw the bolt.</summary>
    public const string Lock = "LOCK";

    /// <summary>Retract the bolt.</summary>
    public const string Unlock = "UNLOCK";
}
