namespace Schlage2Mqtt.Cloud;

/// <summary>
/// What a lock can do, as its provider knows it from the model (and, for a door sensor, from the document). The bridge
/// offers an entity, a command field or a state field only for what is here, so a provider whose locks lack a beeper
/// or auto-lock says so once, here, instead of every consumer guessing.
/// </summary>
public sealed record LockCapabilities
{
    /// <summary>The bolt can be locked and unlocked remotely.</summary>
    public bool LockUnlock { get; init; }

    /// <summary>The beeper can be switched.</summary>
    public bool Beeper { get; init; }

    /// <summary>1-Touch locking (lock-and-leave) can be switched.</summary>
    public bool LockAndLeave { get; init; }

    /// <summary>Auto-lock can be set; null when the lock has no auto-lock.</summary>
    public AutoLockCapability? AutoLock { get; init; }

    /// <summary>
    /// The lock can have a door sensor. Whether this one has is learned from it reporting a door state (no source ties
    /// the sensor to a model), so the bridge offers the door entity once both hold; the state's <c>door</c> field is
    /// there (null until reported) whenever this is set.
    /// </summary>
    public bool DoorSensor { get; init; }

    /// <summary>The lock has a keypad (and so can be disabled after wrong codes).</summary>
    public bool Keypad { get; init; }

    /// <summary>Access codes can be managed, under these rules; null when they cannot.</summary>
    public AccessCodeCapability? AccessCodes { get; init; }

    /// <summary>The provider serves the lock's activity log.</summary>
    public bool ActivityLog { get; init; }

    /// <summary>The provider pushes the lock's changes.</summary>
    public bool Push { get; init; }

    /// <summary>Nothing at all: the start for a provider that states each capability.</summary>
    public static LockCapabilities None { get; } = new();

    /// <summary>
    /// Everything the bridge assumed of every lock before capabilities existed: all of it, auto-lock values unknown,
    /// free-text code names. The default of <see cref="CloudLock.Capabilities"/>, so a provider that states nothing
    /// keeps that behaviour.
    /// </summary>
    public static LockCapabilities Assumed { get; } = new()
    {
        LockUnlock = true,
        Beeper = true,
        LockAndLeave = true,
        AutoLock = AutoLockCapability.AnyValue,
        DoorSensor = true,
        Keypad = true,
        AccessCodes = new AccessCodeCapability(AccessCodeNameRule.FreeText),
        ActivityLog = true,
        Push = true,
    };

    /// <summary>The capabilities as flags, for a quick "has it" and for value equality in payloads.</summary>
    public LockFeatures Features =>
        (LockUnlock ? LockFeatures.LockUnlock : 0)
        | (Beeper ? LockFeatures.Beeper : 0)
        | (LockAndLeave ? LockFeatures.LockAndLeave : 0)
        | (AutoLock is not null ? LockFeatures.AutoLock : 0)
        | (DoorSensor ? LockFeatures.DoorSensor : 0)
        | (Keypad ? LockFeatures.Keypad : 0)
        | (AccessCodes is not null ? LockFeatures.AccessCodes : 0)
        | (ActivityLog ? LockFeatures.ActivityLog : 0)
        | (Push ? LockFeatures.Push : 0);
}

/// <summary>
/// Auto-lock of a lock. Compared by its values (not the list's reference), so two documents of one model give equal
/// capabilities and nothing is republished for them.
/// </summary>
/// <param name="AllowedSeconds">Delays the model accepts (0 = off); null when the model is not recognised, so any value is tried.</param>
public sealed record AutoLockCapability(IReadOnlyList<int>? AllowedSeconds)
{
    /// <summary>Auto-lock with values this provider does not know.</summary>
    public static AutoLockCapability AnyValue { get; } = new((IReadOnlyList<int>?)null);

    /// <inheritdoc />
    public bool Equals(AutoLockCapability? other) =>
        other is not null && (ReferenceEquals(AllowedSeconds, other.AllowedSeconds)
            || (AllowedSeconds is not null && other.AllowedSeconds is not null && AllowedSeconds.SequenceEqual(other.AllowedSeconds)));

    /// <inheritdoc />
    public override int GetHashCode() => AllowedSeconds?.Aggregate(17, HashCode.Combine) ?? 0;
}

/// <summary>The rules a lock's access codes follow.</summary>
/// <param name="Names">What the provider accepts as a code's name.</param>
/// <param name="MinPinLength">Fewest digits in a PIN.</param>
/// <param name="MaxPinLength">Most digits in a PIN.</param>
public sealed record AccessCodeCapability(AccessCodeNameRule Names, int MinPinLength = 4, int MaxPinLength = 8);

/// <summary>The capabilities of <see cref="LockCapabilities"/> as flags: what an entity or a field needs.</summary>
[Flags]
public enum LockFeatures
{
    /// <summary>Nothing: an entity needing this is always offered.</summary>
    None = 0,

    /// <summary>Remote lock and unlock.</summary>
    LockUnlock = 1,

    /// <summary>A switchable beeper.</summary>
    Beeper = 2,

    /// <summary>Switchable 1-Touch locking.</summary>
    LockAndLeave = 4,

    /// <summary>A settable auto-lock delay.</summary>
    AutoLock = 8,

    /// <summary>A door sensor.</summary>
    DoorSensor = 16,

    /// <summary>A keypad.</summary>
    Keypad = 32,

    /// <summary>Managed access codes.</summary>
    AccessCodes = 64,

    /// <summary>An activity log.</summary>
    ActivityLog = 128,

    /// <summary>Pushed changes.</summary>
    Push = 256,

    /// <summary>Everything.</summary>
    All = LockUnlock | Beeper | LockAndLeave | AutoLock | DoorSensor | Keypad | AccessCodes | ActivityLog | Push,
}
