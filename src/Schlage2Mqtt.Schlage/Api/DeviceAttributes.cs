using System.Text.Json;
using System.Text.Json.Serialization;
using Schlage2Mqtt.Schlage.Json;

namespace Schlage2Mqtt.Schlage.Api;

/// <summary>The <c>attributes</c> of a device document. Unknown attributes land in <see cref="Extra"/>.</summary>
public sealed record DeviceAttributes
{
    /// <summary>Raw lock state (normally a number; kept raw so odd values can be reported, not lost).</summary>
    public JsonElement? LockState { get; init; }

    /// <summary>Battery level, 0-100.</summary>
    [JsonConverter(typeof(LenientInt32Converter))]
    public int? BatteryLevel { get; init; }

    /// <summary>Battery verdict: -1 unknown, 0 ok, 1 low, 2 critical (a level, not a flag).</summary>
    [JsonConverter(typeof(LenientInt32Converter))]
    public int? BatteryLowState { get; init; }

    /// <summary>Beeper on (1) or off (0).</summary>
    [JsonConverter(typeof(LenientBoolConverter))]
    public bool? BeeperEnabled { get; init; }

    /// <summary>1-Touch locking (lock and leave) on or off.</summary>
    [JsonConverter(typeof(LenientBoolConverter))]
    public bool? LockAndLeaveEnabled { get; init; }

    /// <summary>Auto-lock delay in seconds (0 = off).</summary>
    [JsonConverter(typeof(LenientInt32Converter))]
    public int? AutoLockTime { get; init; }

    /// <summary>Alarm mode.</summary>
    [JsonConverter(typeof(LenientInt32Converter))]
    public int? AlarmSelection { get; init; }

    /// <summary>Alarm sensitivity.</summary>
    [JsonConverter(typeof(LenientInt32Converter))]
    public int? AlarmSensitivity { get; init; }

    /// <summary>Alarm state.</summary>
    [JsonConverter(typeof(LenientInt32Converter))]
    public int? AlarmState { get; init; }

    /// <summary>Length of every access code on the lock (unless variable length is supported).</summary>
    [JsonConverter(typeof(LenientInt32Converter))]
    public int? AccessCodeLength { get; init; }

    /// <summary>How many access codes the lock holds.</summary>
    [JsonConverter(typeof(LenientInt32Converter))]
    public int? MaxUserCodes { get; init; }

    /// <summary>Main firmware version.</summary>
    [JsonConverter(typeof(LenientStringConverter))]
    public string? MainFirmwareVersion { get; init; }

    /// <summary>Wi-Fi module firmware version.</summary>
    [JsonConverter(typeof(LenientStringConverter))]
    public string? WifiFirmwareVersion { get; init; }

    /// <summary>Wi-Fi signal strength, dBm.</summary>
    [JsonConverter(typeof(LenientInt32Converter))]
    public int? WifiRssi { get; init; }

    /// <summary>Door sensor: 0 unknown, 1 open, 2 closed, 3 faulty.</summary>
    [JsonConverter(typeof(LenientInt32Converter))]
    public int? DoorState { get; init; }

    /// <summary>Feature flags.</summary>
    public SupportedFeatures? SupportedFeatures { get; init; }

    /// <summary>Who or what last changed the lock state.</summary>
    public LockStateMetadata? LockStateMetadata { get; init; }

    /// <summary>Attributes this client does not model, kept as sent.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary><c>supportedFeatures</c> of a lock.</summary>
public sealed record SupportedFeatures
{
    /// <summary>Variable-length access codes.</summary>
    [JsonConverter(typeof(LenientBoolConverter))]
    public bool? Vlac { get; init; }

    /// <summary>Feature flags this client does not model.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary><c>lockStateMetadata</c>: the source of the last lock state change.</summary>
public sealed record LockStateMetadata
{
    /// <summary><c>thumbTurn</c>, <c>1touchLocking</c>, <c>accesscode</c>, <c>virtualKey</c>, <c>AppleHomeNFC</c>...</summary>
    public string? ActionType { get; init; }

    /// <summary>The user id (virtual key) or access code id behind the change.</summary>
    [JsonPropertyName("UUID")]
    public string? Uuid { get; init; }

    /// <summary>The access code's name, for keypad changes.</summary>
    public string? Name { get; init; }

    /// <summary>The client that made the change.</summary>
    public string? ClientId { get; init; }
}
