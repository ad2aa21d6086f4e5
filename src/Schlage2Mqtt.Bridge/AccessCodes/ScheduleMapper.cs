using System.Globalization;
using Schlage2Mqtt.Cloud;

namespace Schlage2Mqtt.Bridge.AccessCodes;

/// <summary>
/// Maps a schedule to the cloud's fields (activation/expiration epoch seconds and a weekly window with a hex day
/// mask) and back, without loss: any valid schedule survives schedule -> cloud -> schedule unchanged.
/// </summary>
public static class ScheduleMapper
{
    /// <summary>The cloud's "never expires".</summary>
    public const long Forever = 4294967295;

    private static readonly CloudSchedule AllDay = new("7F", 0, 0, 23, 59);

    /// <summary>Days in display order.</summary>
    public static IReadOnlyList<(WeekDays Day, string Name)> DayNames { get; } =
    [
        (WeekDays.Monday, "Monday"), (WeekDays.Tuesday, "Tuesday"), (WeekDays.Wednesday, "Wednesday"), (WeekDays.Thursday, "Thursday"),
        (WeekDays.Friday, "Friday"), (WeekDays.Saturday, "Saturday"), (WeekDays.Sunday, "Sunday"),
    ];

    /// <summary>The cloud fields of a schedule.</summary>
    public static (long ActivationSecs, long ExpirationSecs, CloudSchedule Schedule1, CloudSchedule? Schedule2) ToCloud(CodeSchedule schedule) => schedule switch
    {
        CodeSchedule.Always => (0, Forever, AllDay, null),
        CodeSchedule.Temporary t => (t.Start.ToUnixTimeSeconds(), t.End.ToUnixTimeSeconds(), AllDay, null),
        CodeSchedule.Recurring r => (0, Forever, new CloudSchedule(((int)r.Days).ToString("X2", CultureInfo.InvariantCulture), r.Start.Hour, r.Start.Minute, r.End.Hour, r.End.Minute), null),
        CodeSchedule.Custom c => throw new ArgumentException("A Custom schedule is read-only; give Always, Temporary or Recurring", nameof(schedule)),
        _ => throw new ArgumentOutOfRangeException(nameof(schedule)),
    };

    /// <summary>
    /// The schedule a cloud code describes. <paramref name="displayOffset"/> is the offset the user gave a
    /// Temporary schedule (the cloud keeps only instants), so it is shown back as given.
    /// </summary>
    public static CodeSchedule FromCloud(long? activationSecs, long? expirationSecs, CloudSchedule? schedule1, CloudSchedule? schedule2, TimeSpan? displayOffset = null)
    {
        var activation = activationSecs ?? 0;
        var expiration = expirationSecs ?? Forever;
        var days = ParseDays(schedule1?.DaysOfWeek);
        var fullDay = schedule1 is null || (days == WeekDays.All && schedule1.StartHour is null or 0 && schedule1.StartMinute is null or 0
            && schedule1.EndHour is null or 23 && schedule1.EndMinute is null or 59);
        var unlimited = activation == 0 && expiration >= Forever;

        if (schedule2 is null && fullDay && unlimited)
        {
            return new CodeSchedule.Always();
        }
        if (schedule2 is null && fullDay && activation > 0 && expiration < Forever)
        {
            var offset = displayOffset ?? TimeSpan.Zero;
            return new CodeSchedule.Temporary(DateTimeOffset.FromUnixTimeSeconds(activation).ToOffset(offset), DateTimeOffset.FromUnixTimeSeconds(expiration).ToOffset(offset));
        }
        if (schedule2 is null && unlimited && days != WeekDays.None && schedule1 is { StartHour: { } sh, StartMinute: { } sm, EndHour: { } eh, EndMinute: { } em }
            && IsTime(sh, sm) && IsTime(eh, em))
        {
            return new CodeSchedule.Recurring(days, new TimeOnly(sh, sm), new TimeOnly(eh, em));
        }
        return new CodeSchedule.Custom(activation, expiration, schedule1?.DaysOfWeek, Window(schedule1), Window(schedule2));
    }

    /// <summary>The day mask of a 1-2 digit hex string ("7F", "3E", "1"); None when absent or malformed.</summary>
    public static WeekDays ParseDays(string? hex) =>
        hex is { Length: > 0 and <= 2 } && int.TryParse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var mask) && mask is > 0 and <= 0x7F
            ? (WeekDays)mask
            : WeekDays.None;

    private static bool IsTime(int hour, int minute) => hour is >= 0 and <= 23 && minute is >= 0 and <= 59;

    private static string? Window(CloudSchedule? s) => s is null
        ? null
        : string.Create(CultureInfo.InvariantCulture, $"{s.DaysOfWeek} {s.StartHour:00}:{s.StartMinute:00}-{s.EndHour:00}:{s.EndMinute:00}");
}
