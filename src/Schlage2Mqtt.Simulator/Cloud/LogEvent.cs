namespace Schlage2Mqtt.Simulator.Cloud;

/// <summary>Activity-log event codes (reference section 5).</summary>
internal static class LogEvent
{
    public const int LockedByKeypad = 1;
    public const int UnlockedByKeypad = 2;
    public const int LockedByThumbturn = 3;
    public const int UnlockedByThumbturn = 4;
    public const int LockedByOneTouch = 5;
    public const int LockedByMobile = 6;
    public const int UnlockedByMobile = 7;
    public const int LockedByTime = 8;
    public const int Jammed = 10;
    public const int KeypadDisabled = 11;
    public const int AccessCodeAdded = 14;
    public const int AccessCodeDeleted = 15;
    public const int LowBattery = 21;
    public const int BatteriesReplaced = 22;
    public const int CriticalBattery = 29;
    public const int AllCodesDeleted = 30;
    public const int MotorJammed = 56;
    public const int UnlockedByAppleHomeKey = 52;
    public const int LockedByAppleHomeKey = 53;
    public const int DeadlockedByKeypad = 64;
    public const int UnlockedByInsideButton = 68;
    public const int LockedByInsideButton = 69;
    public const int DoorOpened = 71;
    public const int DoorClosed = 72;
    public const int LockedByKeyFob = 74;
    public const int UnlockedByKeyFob = 75;
    public const int UnlockedByMechanicalKey = 76;

    /// <summary>The all-f UUID the log uses for "none".</summary>
    public const string NoUuid = "ffffffff-ffff-ffff-ffff-ffffffffffff";
}
