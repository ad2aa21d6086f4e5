using Schlage2Mqtt.Cloud;

namespace Schlage2Mqtt.Schlage.Provider;

/// <summary>What the reference says about Schlage models: how each is locked, what it can do and which auto-lock delays it offers.</summary>
internal static class SchlageModels
{
    private static readonly string[] WiFiTypePrefixes = ["be459", "be489", "be499", "fe789", "be889"];

    private static readonly AccessCodeCapability SchlageCodes = new(AccessCodeNameRule.FreeText, MinPinLength: 4, MaxPinLength: 8);

    private static readonly int[] Sense = [0, 15, 30, 60, 120, 240];
    private static readonly int[] SensePro = [0, 30, 60, 120, 300, 600, 900, 1800];
    private static readonly int[] Encode = [0, 15, 30, 60, 120, 240, 360, 600];
    // Reference section 3: "Sense 0/15/30/60/120/240; Encode Plus adds 300", i.e. the Sense list plus 300
    // (the Schlage Home app's auto_lock_keys_encode_plus array), not the Encode list plus 300.
    private static readonly int[] EncodePlus = [0, 15, 30, 60, 120, 240, 300];
    private static readonly int[] EncodeLever = [0, 5, 15, 30, 60, 120, 240, 360, 600];

    /// <summary>Every auto-lock value any known model offers: the check for a model this client does not know.</summary>
    public static readonly IReadOnlyList<int> AnyModel =
        [.. Sense.Concat(SensePro).Concat(Encode).Concat(EncodePlus).Concat(EncodeLever).Distinct().Order()];

    /// <summary>Wi-Fi models take a lockState PUT; every other type gets the changelockstate command.</summary>
    public static LockFamily FamilyOf(string? deviceTypeId) =>
        deviceTypeId is not null && WiFiTypePrefixes.Any(p => deviceTypeId.StartsWith(p, StringComparison.OrdinalIgnoreCase))
            ? LockFamily.WiFi
            : LockFamily.Bridge;

    /// <summary>
    /// Auto-lock values of the model, by device type only: real model names are SKUs (<c>BE489WB1 619</c>), so their
    /// text says nothing reliable. be459/be489 Encode (the list Arrive shares), be499 Encode Plus, fe789 Encode Lever,
    /// be889 Sense Pro, be479 Sense; null when the type is not known.
    /// </summary>
    public static IReadOnlyList<int>? AllowedAutoLockSeconds(string? deviceTypeId)
    {
        var type = deviceTypeId?.ToLowerInvariant() ?? "";
        bool Is(string prefix) => type.StartsWith(prefix, StringComparison.Ordinal);
        return type switch
        {
            _ when Is("be499") => EncodePlus,
            _ when Is("fe789") => EncodeLever,
            _ when Is("be489") || Is("be459") => Encode,
            _ when Is("be889") => SensePro,
            _ when Is("be479") => Sense,
            _ => null,
        };
    }

    /// <summary>
    /// What a Schlage lock can do. Every model in the reference (Encode, Encode Plus, Encode Lever, Sense, Sense Pro)
    /// has a keypad, beeper, 1-Touch locking and auto-lock, takes free-text code names and 4-8 digit PINs, logs
    /// activity and is pushed on the consumer cloud's channel. What differs is the auto-lock list, null for a type the
    /// reference does not know (so any value is tried). The reference ties the door sensor to no model: every lock
    /// may have one, and the bridge learns that this one has from its <c>doorState</c>.
    /// </summary>
    public static LockCapabilities CapabilitiesOf(string? deviceTypeId) => new()
    {
        LockUnlock = true,
        Beeper = true,
        LockAndLeave = true,
        AutoLock = new AutoLockCapability(AllowedAutoLockSeconds(deviceTypeId)),
        DoorSensor = true,
        Keypad = true,
        AccessCodes = SchlageCodes,
        ActivityLog = true,
        Push = true,
    };
}
