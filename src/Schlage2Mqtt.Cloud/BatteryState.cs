namespace Schlage2Mqtt.Cloud;

/// <summary>The lock's own battery verdict (Schlage's <c>batteryLowState</c>: -1 unknown, 0 ok, 1 low, 2 critical).</summary>
public enum BatteryState
{
    /// <summary>The lock reported that it does not know (-1), or a value this client does not know.</summary>
    Unknown,

    /// <summary>Batteries are fine.</summary>
    Ok,

    /// <summary>Batteries are low: replace them soon.</summary>
    Low,

    /// <summary>Batteries are critical: the lock may stop working.</summary>
    Critical,
}
