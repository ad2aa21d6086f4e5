namespace Schlage2Mqtt.Bridge.Commands;

/// <summary>Lock or unlock.</summary>
public enum LockAction
{
    /// <summary>Throw the bolt.</summary>
    Lock,

    /// <summary>Retract the bolt.</summary>
    Unlock,
}

/// <summary>Settings to change on a lock; null members stay as they are.</summary>
public sealed record LockSettingsChange(bool? Beeper, bool? LockAndLeave, int? AutoLockTime)
{
    /// <summary>True when nothing is to change.</summary>
    public bool IsEmpty => Beeper is null && LockAndLeave is null && AutoLockTime is null;
}

/// <summary>A parsed command for one lock: an action, settings, or both.</summary>
public sealed record LockCommand(LockAction? Action, LockSettingsChange? Settings);
