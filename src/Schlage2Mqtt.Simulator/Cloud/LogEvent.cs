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

    /// <summary>The all-f UUID the log uses for "none".</summary>
    public const string NoUuid = "ffffffff-ffff-ffff-ffff-ffffffffffff";
}
