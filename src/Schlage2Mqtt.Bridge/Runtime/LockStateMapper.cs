using Schlage2Mqtt.Bridge.Contract;
using Schlage2Mqtt.Cloud;

namespace Schlage2Mqtt.Bridge.Runtime;

/// <summary>Maps a cloud lock document to the contract's state payload; what the cloud did not say stays null.</summary>
internal static class LockStateMapper
{
    public static LockStatePayload Map(CloudLock cloud, string? stateOverride = null, DateTimeOffset? lastUpdate = null) => new(
        State: stateOverride ?? StateName(cloud.State),
        Battery: cloud.BatteryLevel,
        BatteryLow: cloud.BatteryLow,
        BatteryState: cloud.BatteryState switch
        {
            BatteryState.Ok => BatteryStateNames.Ok,
            BatteryState.Low => BatteryStateNames.Low,
            BatteryState.Critical => BatteryStateNames.Critical,
            _ => null,
        },
        Connected: cloud.Connected,
        Door: cloud.Door switch
        {
            DoorState.Open => DoorStateNames.Open,
            DoorState.Closed => DoorStateNames.Closed,
            _ => null,
        },
        Beeper: cloud.Beeper,
        LockAndLeave: cloud.LockAndLeave,
        AutoLockTime: cloud.AutoLockSeconds,
        KeypadDisabled: cloud.KeypadDisabled,
        LastChangedBy: cloud.ChangedBy?.Describe(),
        Model: cloud.ModelName,
        Firmware: cloud.Firmware,
        WifiRssi: cloud.WifiRssi,
        LastUpdate: lastUpdate)
    {
        Features = cloud.Capabilities.Features,
    };

    public static string StateName(LockState state) => state switch
    {
        LockState.Locked => LockStateNames.Locked,
        LockState.Unlocked => LockStateNames.Unlocked,
        LockState.Jammed => LockStateNames.Jammed,
        _ => LockStateNames.Unknown,
    };

    public static LockState Target(Commands.LockAction action) => action == Commands.LockAction.Lock ? LockState.Locked : LockState.Unlocked;

    public static string Transitional(Commands.LockAction action) => action == Commands.LockAction.Lock ? LockStateNames.Locking : LockStateNames.Unlocking;
}
