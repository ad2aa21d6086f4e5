using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using Schlage2Mqtt.Schlage.Auth.Srp;

namespace Schlage2Mqtt.Schlage.Tests.Srp;

public class CognitoTimestampTests
{
    [Fact]
    public void Reference_client_timestamps_match()
    {
        foreach (var vector in SrpVectors.Root.GetProperty("timestamps").EnumerateArray())
        {
            var instant = DateTimeOffset.FromUnixTimeMilliseconds(vector.GetProperty("epochMs").GetInt64());
            Assert.Equal(vector.Str("text"), CognitoTimestamp.Format(instant));
        }
    }

    [Fact]
    public void Single_digit_days_are_not_zero_padded()
    {
        Assert.Equal("Mon Nov 2 09:05:07 UTC 2026", CognitoTimestamp.Format(new DateTimeOffset(2026, 11, 2, 9, 5, 7, TimeSpan.Zero)));
    }

    [Fact]
    public void Offsets_are_converted_to_UTC()
    {
        Assert.Equal("Sun Nov 1 23:30:00 UTC 2026", CognitoTimestamp.Format(new DateTimeOffset(2026, 11, 2, 1, 30, 0, TimeSpan.FromHours(2))));
    }

    [Fact]
    public void The_current_culture_does_not_leak_in()
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            var invariant = CognitoTimestamp.Format(new DateTimeOffset(2026, 3, 5, 4, 3, 2, TimeSpan.Zero));
            Assert.Equal("Thu Mar 5 04:03:02 UTC 2026", invariant);
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void Every_instant_has_the_reference_shape()
    {
        // Mirrors DateHelper.getNowString: weekday and month names, unpadded day, padded time.
        string[] weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
        string[] months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
        Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), seconds =>
        {
            var t = DateTimeOffset.FromUnixTimeSeconds(seconds);
            var expected = $"{weekdays[(int)t.DayOfWeek]} {months[t.Month - 1]} {t.Day} {t.Hour:00}:{t.Minute:00}:{t.Second:00} UTC {t.Year}";
            return CognitoTimestamp.Format(t) == expected;
        }).QuickCheckThrowOnFailure();
    }
}
