using FsCheck;
using FsCheck.Fluent;
using Schlage2Mqtt.Bridge.Activity;
using Schlage2Mqtt.Cloud;

namespace Schlage2Mqtt.Bridge.Tests.Activity;

/// <summary>Who last moved the bolt, from the activity log, for pushes that do not say (seed-004 partial events).</summary>
public sealed class ChangedByRuleTests
{
    private const string AliceCode = "code-alice";
    private const string ForgottenCode = "code-forgotten";

    private static string? CodeName(string id) => id == AliceCode ? "Alice" : null;

    /// <summary>Each row: entries oldest first as "code" or "code:accessCodeId", and what the sensor would say.</summary>
    [Theory]
    [InlineData(new string[0], null)]
    [InlineData(new[] { "14" }, null)]                              // a code added moved no bolt
    [InlineData(new[] { "2:" + AliceCode }, "keypad: Alice")]
    [InlineData(new[] { "1:" + AliceCode }, "keypad: Alice")]
    [InlineData(new[] { "64:" + AliceCode }, "keypad: Alice")]      // a deadlock by code is a keypad lock
    [InlineData(new[] { "2:" + ForgottenCode }, "keypad")]          // a code nobody can name
    [InlineData(new[] { "2" }, "keypad")]                           // no code id logged
    [InlineData(new[] { "3" }, "thumbturn")]
    [InlineData(new[] { "4" }, "thumbturn")]
    [InlineData(new[] { "5" }, "1-touch")]
    [InlineData(new[] { "6" }, "mobile")]
    [InlineData(new[] { "7" }, "mobile")]
    [InlineData(new[] { "52" }, "apple nfc")]
    [InlineData(new[] { "53" }, "apple nfc")]
    [InlineData(new[] { "8" }, null)]                               // auto-lock: the document has no word for it
    [InlineData(new[] { "3", "8" }, null)]                          // ...and an older actor is not named instead
    [InlineData(new[] { "74" }, null)]                              // key fob
    [InlineData(new[] { "3", "71" }, "thumbturn")]                  // a door opened after: still the thumbturn
    [InlineData(new[] { "2:" + AliceCode, "4" }, "thumbturn")]      // the newest bolt change wins
    [InlineData(new[] { "4", "2:" + AliceCode, "14", "72" }, "keypad: Alice")]
    [InlineData(new[] { "10" }, null)]                              // jammed is not a lock or unlock
    public void The_newest_bolt_change_names_the_actor(string[] entries, string? expected) =>
        Assert.Equal(expected, ChangedByRule.From([.. entries.Select(Parse)], CodeName)?.Describe());

    [Fact]
    public void Entries_that_move_no_bolt_never_change_the_answer()
    {
        var bolt = Gen.Elements(1, 2, 3, 4, 5, 6, 7, 8, 52, 53, 64, 74).Select(c => Entry(c, c is 1 or 2 or 64 ? AliceCode : null));
        var other = Gen.Elements(10, 11, 14, 15, 21, 71, 72, 999).Select(c => Entry(c, null));
        var logs = Gen.OneOf(bolt, other).ListOf();
        Prop.ForAll(logs.ToArbitrary(), entries =>
        {
            var list = entries.ToList();
            var boltOnly = list.Where(e => ActivityMapper.Map(e.EventCode).EventType is "locked" or "unlocked").ToList();
            var newestOnly = boltOnly.Count == 0 ? new List<CloudLogEntry>() : [boltOnly[^1]];
            return ChangedByRule.From(list, CodeName) == ChangedByRule.From(newestOnly, CodeName);
        }).QuickCheckThrowOnFailure();
    }

    private static CloudLogEntry Parse(string row)
    {
        var parts = row.Split(':');
        return Entry(int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), parts.Length > 1 ? parts[1] : null);
    }

    private static CloudLogEntry Entry(int code, string? accessCodeId) => new(null, code, DateTimeOffset.UnixEpoch, null, accessCodeId);
}
