namespace Schlage2Mqtt.Cloud;

/// <summary>
/// A lock as the bridge sees it, whatever the provider. Null means "not reported": an offline
/// lock's sparse document yields nulls, never guessed defaults.
/// </summary>
public sealed record CloudLock
{
    /// <summary>Provider's device id (stable; used for discovery unique ids).</summary>
    public required string DeviceId { get; init; }

    /// <summary>Name given in the vendor app.</summary>
    public string? Name { get; init; }

    /// <summary>Model name.</summary>
    public string? ModelName { get; init; }

    /// <summary>Vendor device type, e.g. <c>be489wifi</c>.</summary>
    public string? DeviceType { get; init; }

    /// <summary>How the lock is reached.</summary>
    public LockFamily Family { get; init; }

    /// <summary>Whether the cloud reaches the lock.</summary>
    public bool? Connected { get; init; }

    /// <summary>Bolt state.</summary>
    public LockState State { get; init; }

    /// <summary>The raw state value as reported, for diagnostics.</summary>
    public string? RawState { get; init; }

    /// <summary>Battery level, 0-100.</summary>
    public int? BatteryLevel { get; init; }

    /// <summary>Low-battery flag: true when <see cref="BatteryState"/> is low or critical, null when unknown or absent.</summary>
    public bool? BatteryLow { get; init; }

    /// <summary>The lock's battery verdict; null when the document does not carry one.</summary>
    public BatteryState? BatteryState { get; init; }

    /// <summary>Door sensor, when the lock has one.</summary>
    public DoorState? Door { get; init; }

    /// <summary>Beeper on.</summary>
    public bool? Beeper { get; init; }

    /// <summary>1-Touch locking on.</summary>
    public bool? LockAndLeave { get; init; }

    /// <summary>Auto-lock delay in seconds (0 = off).</summary>
    public int? AutoLockSeconds { get; init; }

    /// <summary>What the lock can do; a provider that states nothing gets <see cref="LockCapabilities.Assumed"/>.</summary>
    public LockCapabilities Capabilities { get; init; } = LockCapabilities.Assumed;

    /// <summary>Auto-lock values this model accepts; null when the model is not recognised or has no auto-lock.</summary>
    public IReadOnlyList<int>? AllowedAutoLockSeconds => Capabilities.AutoLock?.AllowedSeconds;

    /// <summary>Keypad disabled after too many wrong codes; null because the device document does not say (the activity log does, event 11).</summary>
    public bool? KeypadDisabled { get; init; }

    /// <summary>Main firmware version.</summary>
    public string? Firmware { get; init; }

    /// <summary>Wi-Fi signal strength, dBm.</summary>
    public int? WifiRssi { get; init; }

    /// <summary>Length of the lock's access codes.</summary>
    public int? AccessCodeLength { get; init; }

    /// <summary>How many access codes the lock holds.</summary>
    public int? MaxAccessCodes { get; init; }

    /// <summary>Whether codes of different lengths are allowed.</summary>
    public bool? VariableLengthCodes { get; init; }

    /// <summary>What this lock's provider accepts as an access-code name (free text on the consumer cloud).</summary>
    public AccessCodeNameRule AccessCodeNames => Capabilities.AccessCodes?.Names ?? AccessCodeNameRule.FreeText;

    /// <summary>
    /// Source of the last state change. When <see cref="ChangedByIsStatusCheck"/> is set, this is the last actor the
    /// provider saw for the lock, or null when it saw none.
    /// </summary>
    public ChangedBy? ChangedBy { get; init; }

    /// <summary>
    /// True when the document names no new actor, only the cloud's own status check (Schlage's <c>deepQuery</c> /
    /// <c>periodicDeepQuery</c>): keep the previous "changed by" rather than take a null <see cref="ChangedBy"/> as news.
    /// </summary>
    public bool ChangedByIsStatusCheck { get; init; }

    /// <summary>When the cloud last saw the lock's connectivity change.</summary>
    public DateTimeOffset? LastUpdate { get; init; }

    /// <summary>When the cloud last changed this document (its <c>lastUpdated</c>); orders polled against pushed data.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>When this snapshot was read from the cloud.</summary>
    public DateTimeOffset FetchedAt { get; init; }
}
