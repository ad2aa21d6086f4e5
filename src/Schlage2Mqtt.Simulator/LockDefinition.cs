using System.Text.Json.Serialization;
using Schlage2Mqtt.Simulator.Json;

namespace Schlage2Mqtt.Simulator;

/// <summary>
/// A simulated lock's identity and initial state. Its JSON (any serializer) keeps the defaults of members
/// the JSON leaves out; see <see cref="Json.LockDefinitionJsonConverter"/>.
/// </summary>
[JsonConverter(typeof(LockDefinitionJsonConverter))]
public sealed record LockDefinition
{
    /// <summary>The <c>deviceId</c>; generated from the seed when null.</summary>
    public string? DeviceId { get; init; }

    /// <summary>The user's name for the lock.</summary>
    public required string Name { get; init; }

    /// <summary>The model, which fixes <c>devicetypeId</c>, how lock/unlock works and the allowed auto-lock times.</summary>
    public LockModel Model { get; init; } = LockModel.Encode;

    /// <summary>Initial <c>lockState</c> (0 unlocked, 1 locked, ...).</summary>
    public int LockState { get; init; } = 1;

    /// <summary>Initial battery level, 0-100.</summary>
    public int BatteryLevel { get; init; } = 90;

    /// <summary>Initial <c>beeperEnabled</c> (0/1).</summary>
    public int BeeperEnabled { get; init; } = 1;

    /// <summary>Initial <c>lockAndLeaveEnabled</c> (0/1): whether the outside button locks (1-touch).</summary>
    public int LockAndLeaveEnabled { get; init; } = 1;

    /// <summary>Initial <c>autoLockTime</c> in seconds; must be allowed for the model.</summary>
    public int AutoLockTime { get; init; }

    /// <summary>Digits every access code on this lock has (4-8).</summary>
    public int AccessCodeLength { get; init; } = 4;

    /// <summary>Whether the lock accepts codes of different lengths (<c>supportedFeatures.vlac</c>).</summary>
    public bool VariableLengthCodes { get; init; }

    /// <summary>Capacity for access codes (<c>maxUserCodes</c>).</summary>
    public int MaxUserCodes { get; init; } = 100;

    /// <summary>Whether the lock starts online.</summary>
    public bool Connected { get; init; } = true;

    /// <summary>Access codes present (in the cloud and on the lock) at start.</summary>
    public IReadOnlyList<AccessCodeDefinition> AccessCodes { get; init; } = [];
}

/// <summary>An access code present at start. Its JSON keeps the defaults of members the JSON leaves out.</summary>
[JsonConverter(typeof(AccessCodeDefinitionJsonConverter))]
public sealed record AccessCodeDefinition
{
    /// <summary>The code's name (<c>friendlyName</c>).</summary>
    public required string Name { get; init; }

    /// <summary>The PIN as digits (its length must match the lock's code length).</summary>
    public required string Code { get; init; }

    /// <summary>Start of a temporary code (epoch seconds); 0 for none.</summary>
    public long ActivationSecs { get; init; }

    /// <summary>End of a temporary code (epoch seconds); 4294967295 for none.</summary>
    public long ExpirationSecs { get; init; } = uint.MaxValue;

    /// <summary>Weekly window: hex bitmask string, Sun 0x40 ... Sat 0x01.</summary>
    public string DaysOfWeek { get; init; } = "7F";

    /// <summary>Window start hour.</summary>
    public int StartHour { get; init; }

    /// <summary>Window start minute.</summary>
    public int StartMinute { get; init; }

    /// <summary>Window end hour.</summary>
    public int EndHour { get; init; } = 23;

    /// <summary>Window end minute.</summary>
    public int EndMinute { get; init; } = 59;

    /// <summary>Whether the code is disabled.</summary>
    public bool Disabled { get; init; }
}
