namespace Schlage2Mqtt.Cloud;

/// <summary>A lock's bolt state, closed over every provider. Deadlocked counts as locked, passage mode as unlocked.</summary>
public enum LockState
{
    /// <summary>Not known (offline, invalid, or a value this client does not recognise).</summary>
    Unknown,

    /// <summary>Locked (includes deadlocked).</summary>
    Locked,

    /// <summary>Unlocked (includes passage mode).</summary>
    Unlocked,

    /// <summary>Jammed (includes motor jammed).</summary>
    Jammed,
}
