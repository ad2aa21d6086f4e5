namespace Schlage2Mqtt.Simulator;

/// <summary>What happened when a code was typed on the keypad.</summary>
public enum KeypadResult
{
    /// <summary>A valid, active code: the lock unlocked (or stayed jammed).</summary>
    Unlocked,

    /// <summary>Unknown, disabled or out-of-schedule code: counted toward keypad lockout.</summary>
    Rejected,

    /// <summary>This wrong code disabled the keypad (event 11), or it was already disabled.</summary>
    KeypadDisabled,
}
