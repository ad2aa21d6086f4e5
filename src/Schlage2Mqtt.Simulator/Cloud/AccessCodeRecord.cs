namespace Schlage2Mqtt.Simulator.Cloud;

/// <summary>A weekly window of an access code (<c>schedule1</c>/<c>schedule2</c>).</summary>
internal sealed record WeeklySchedule(string DaysOfWeek, int StartHour, int StartMinute, int EndHour, int EndMinute)
{
    public static WeeklySchedule Always { get; } = new("7F", 0, 0, 23, 59);
}

/// <summary>An access code as the cloud stores it. Immutable: updates replace the record.</summary>
internal sealed record AccessCodeRecord(
    string AccesscodeId,
    string FriendlyName,
    long Code,
    int CodeLength,
    long ActivationSecs,
    long ExpirationSecs,
    bool Disabled,
    bool Notification,
    WeeklySchedule Schedule1,
    WeeklySchedule? Schedule2)
{
    /// <summary>The PIN as the keypad sees it: zero-padded to its length.</summary>
    public string Pin => Code.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(CodeLength, '0');
}
