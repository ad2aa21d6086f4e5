using System.Text.Json.Serialization;
using Schlage2Mqtt.Cloud;

namespace Schlage2Mqtt.Bridge.Contract;

/// <summary>
/// The retained state of one lock on <c>&lt;base&gt;/&lt;lock&gt;</c>. Every field the cloud did not report is
/// null: the bridge never guesses. A field of something the lock cannot do (its <see cref="LockEntityCatalogue"/>
/// row needs a feature <see cref="Features"/> lacks) is left out when written with <see cref="LockStateJson"/>.
/// <see cref="LastUpdate"/> is when the state last changed.
/// </summary>
public sealed record LockStatePayload(
    string State,
    int? Battery,
    bool? BatteryLow,
    string? BatteryState,
    bool? Connected,
    string? Door,
    bool? Beeper,
    bool? LockAndLeave,
    int? AutoLockTime,
    bool? KeypadDisabled,
    string? LastChangedBy,
    string? Model,
    string? Firmware,
    int? WifiRssi,
    DateTimeOffset? LastUpdate)
{
    /// <summary>What the lock can do: decides which capability fields are written.</summary>
    [JsonIgnore]
    public LockFeatures Features { get; init; } = LockFeatures.All;

    /// <summary>True when everything but <see cref="LastUpdate"/> is equal: a poll that changes nothing publishes nothing.</summary>
    public bool SameStateAs(LockStatePayload? other) => other is not null && this with { LastUpdate = null } == other with { LastUpdate = null };
}

/// <summary>The <c>battery_state</c> values of <see cref="LockStatePayload"/> (null when the lock does not know).</summary>
public static class BatteryStateNames
{
    /// <summary>Batteries are fine.</summary>
    public const string Ok = "ok";

    /// <summary>Batteries are low.</summary>
    public const string Low = "low";

    /// <summary>Batteries are critical.</summary>
    public const string Critical = "critical";
}

/// <summary>The <c>state</c> values of <see cref="LockStatePayload"/>, also the state payloads of the discovered lock entity.</summary>
public static class LockStateNames
{
    /// <summary>Locked (deadlocked counts as locked).</summary>
    public const string Locked = "LOCKED";

    /// <summary>Unlocked (passage mode counts as unlocked).</summary>
    public const string Unlocked = "UNLOCKED";

    /// <summary>A lock command was accepted and is not yet confirmed.</summary>
    public const string Locking = "LOCKING";

    /// <summary>An unlock command was accepted and is not yet confirmed.</summary>
    public const string Unlocking = "UNLOCKING";

    /// <summary>The bolt is jammed.</summary>
    public const string Jammed = "JAMMED";

    /// <summary>The cloud does not know (or the lock is offline).</summary>
    public const string Unknown = "UNKNOWN";
}

/// <summary>The <c>door</c> values of <see cref="LockStatePayload"/> (null when the sensor does not say).</summary>
public static class DoorStateNames
{
    /// <summary>The door is open.</summary>
    public const string Open = "open";

    /// <summary>The door is closed.</summary>
    public const string Closed = "closed";
}
