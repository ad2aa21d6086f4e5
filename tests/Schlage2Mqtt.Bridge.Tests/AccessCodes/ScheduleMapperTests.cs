using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Schlage2Mqtt.Bridge.AccessCodes;

namespace Schlage2Mqtt.Bridge.Tests.AccessCodes;

public sealed class ScheduleMapperTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private static Gen<CodeSchedule> Schedules()
    {
        var always = Gen.Constant<CodeSchedule>(new CodeSchedule.Always());
        var temporary =
            from startSeconds in Gen.Choose(0, 60 * 24 * 3650).Select(m => (long)m * 60 + 1_800_000_000)
            from length in Gen.Choose(1, 60 * 24 * 400)
            from quarterHours in Gen.Choose(-48, 56)
            from endQuarterHours in Gen.Choose(-48, 56)
            select (CodeSchedule)new CodeSchedule.Temporary(
                DateTimeOffset.FromUnixTimeSeconds(startSeconds).ToOffset(TimeSpan.FromMinutes(quarterHours * 15)),
                DateTimeOffset.FromUnixTimeSeconds(startSeconds + length * 60L).ToOffset(TimeSpan.FromMinutes(endQuarterHours * 15)));
        var recurring =
            from mask in Gen.Choose(1, 0x7F)
            from start in Gen.Choose(0, 23 * 60 + 58)
            from span in Gen.Choose(1, 24 * 60)
            let end = Math.Min(start + span, 23 * 60 + 59)
            select (CodeSchedule)new CodeSchedule.Recurring((WeekDays)mask, new TimeOnly(start / 60, start % 60), new TimeOnly(end / 60, end % 60));
        return Gen.OneOf(always, temporary, recurring);
    }

    [Fact]
    public void Every_valid_schedule_survives_schedule_to_cloud_to_schedule_unchanged()
    {
        Prop.ForAll(Schedules().ToArbitrary(), schedule =>
        {
            var (activation, expiration, schedule1, schedule2) = ScheduleMapper.ToCloud(schedule);
            var offset = schedule is CodeSchedule.Temporary t ? t.Start.Offset : (TimeSpan?)null;
            var back = ScheduleMapper.FromCloud(activation, expiration, schedule1, schedule2, offset);
            return back.Equals(schedule) && back.GetType() == schedule.GetType();
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Every_valid_schedule_survives_its_json_unchanged()
    {
        Prop.ForAll(Schedules().ToArbitrary(), schedule =>
        {
            using var json = JsonDocument.Parse(ScheduleJson.Write(schedule).ToJsonString());
            var (parsed, error) = ScheduleJson.Parse(json.RootElement, DateTimeOffset.FromUnixTimeSeconds(0));
            return error is null && parsed!.Equals(schedule);
        }).QuickCheckThrowOnFailure();
    }

    [Theory]
    [InlineData("7F", WeekDays.All)]
    [InlineData("3E", WeekDays.Monday | WeekDays.Tuesday | WeekDays.Wednesday | WeekDays.Thursday | WeekDays.Friday)]
    [InlineData("41", WeekDays.Sunday | WeekDays.Saturday)]
    [InlineData("1", WeekDays.Saturday)]
    [InlineData("80", WeekDays.None)]
    [InlineData("zz", WeekDays.None)]
    [InlineData(null, WeekDays.None)]
    public void Day_mask_follows_the_cloud_bits(string? hex, WeekDays expected) => Assert.Equal(expected, ScheduleMapper.ParseDays(hex));

    [Fact]
    public void Cloud_forms_of_the_reference_map_to_the_three_types()
    {
        Assert.IsType<CodeSchedule.Always>(ScheduleMapper.FromCloud(0, 4294967295, new("7F", 0, 0, 23, 59), null));
        Assert.IsType<CodeSchedule.Always>(ScheduleMapper.FromCloud(null, null, null, null));
        var temporary = Assert.IsType<CodeSchedule.Temporary>(ScheduleMapper.FromCloud(1_767_225_600, 1_893_456_000, new("7F", 0, 0, 23, 59), null));
        Assert.Equal(TimeSpan.Zero, temporary.Start.Offset);
        var recurring = Assert.IsType<CodeSchedule.Recurring>(ScheduleMapper.FromCloud(0, 4294967295, new("3E", 10, 0, 14, 0), null));
        Assert.Equal(new TimeOnly(10, 0), recurring.Start);
        var custom = Assert.IsType<CodeSchedule.Custom>(ScheduleMapper.FromCloud(1_767_225_600, 1_893_456_000, new("3E", 10, 0, 14, 0), null));
        Assert.Equal("3E 10:00-14:00", custom.Window);
        Assert.Throws<ArgumentException>(() => ScheduleMapper.ToCloud(custom));
    }

    [Theory]
    [InlineData("""{"type": "Weekly"}""", "type must be Always, Temporary or Recurring")]
    [InlineData("""{"type": "Temporary", "start": "2030-01-01T09:00:00+01:00"}""", "needs start and end")]
    [InlineData("""{"type": "Temporary", "start": "2030-01-01T09:00:00", "end": "2030-01-02T09:00:00+01:00"}""", "with an offset")]
    [InlineData("""{"type": "Temporary", "start": "2030-01-01T09:00:00.5Z", "end": "2030-01-02T09:00:00Z"}""", "whole seconds")]
    [InlineData("""{"type": "Temporary", "start": "2030-01-01T09:00:00Z", "end": "2030-01-01T10:00:00+01:00"}""", "same instant")]
    [InlineData("""{"type": "Temporary", "start": "2030-01-02T09:00:00Z", "end": "2030-01-01T09:00:00Z"}""", "start is after end")]
    [InlineData("""{"type": "Temporary", "start": "2020-01-01T09:00:00Z", "end": "2020-01-02T09:00:00Z"}""", "end is in the past")]
    [InlineData("""{"type": "Recurring", "days": [], "start": "09:00", "end": "10:00"}""", "needs days")]
    [InlineData("""{"type": "Recurring", "days": ["Funday"], "start": "09:00", "end": "10:00"}""", "is not a day")]
    [InlineData("""{"type": "Recurring", "days": ["Monday"], "start": "9:00", "end": "10:00"}""", "HH:mm")]
    [InlineData("""{"type": "Recurring", "days": ["Monday"], "start": "10:00", "end": "10:00"}""", "same time")]
    [InlineData("""{"type": "Recurring", "days": ["Monday"], "start": "22:00", "end": "06:00"}""", "cannot cross midnight")]
    [InlineData("""[1]""", "must be an object")]
    public void Invalid_schedules_say_why(string json, string fragment)
    {
        using var document = JsonDocument.Parse(json);
        var (schedule, error) = ScheduleJson.Parse(document.RootElement, Now);
        Assert.Null(schedule);
        Assert.Equal("invalid_schedule", error!.Code);
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.Hint);
    }

    [Fact]
    public void Seed_002_field_names_are_accepted()
    {
        using var temporary = JsonDocument.Parse("""{"type": "Temporary", "startDateTime": "2030-01-01T09:00:00+01:00", "endDateTime": "2030-01-02T09:00:00+01:00"}""");
        Assert.IsType<CodeSchedule.Temporary>(ScheduleJson.Parse(temporary.RootElement, Now).Schedule);
        using var recurring = JsonDocument.Parse("""{"type": "recurring", "daysOfWeek": ["saturday", "Sunday"], "startTime": "09:00", "endTime": "10:00"}""");
        var parsed = Assert.IsType<CodeSchedule.Recurring>(ScheduleJson.Parse(recurring.RootElement, Now).Schedule);
        Assert.Equal(WeekDays.Saturday | WeekDays.Sunday, parsed.Days);
    }
}
