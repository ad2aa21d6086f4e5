using FsCheck;
using FsCheck.Fluent;
using Schlage2Mqtt.Bridge.Activity;
using Schlage2Mqtt.Cloud;

namespace Schlage2Mqtt.Bridge.Tests.Activity;

/// <summary>The keypad-disabled state as the activity log shows it (the device document does not say).</summary>
public sealed class KeypadDisabledRuleTests
{
    /// <summary>Codes the property tests draw from: keypad ones, the disable itself, and others that say nothing.</summary>
    private static readonly int?[] Codes = [1, 2, 3, 4, 5, 7, 8, 11, 14, 15, 21, 64, 71, 999, null];

    [Theory]
    [InlineData(null, 11, true)]      // too many wrong codes: the lock disabled its keypad
    [InlineData(false, 11, true)]
    [InlineData(true, 11, true)]
    [InlineData(true, 1, false)]      // locked with a code: the keypad works
    [InlineData(true, 2, false)]      // unlocked with a code
    [InlineData(true, 64, false)]     // deadlocked with a code
    [InlineData(null, 1, false)]
    [InlineData(true, 3, true)]       // the thumbturn says nothing about the keypad
    [InlineData(false, 3, false)]
    [InlineData(null, 3, null)]
    [InlineData(true, 5, true)]       // 1-Touch locks without a code: not proof the keypad accepts codes
    [InlineData(true, 14, true)]      // a code added (from the app)
    [InlineData(true, 999, true)]     // unknown code
    [InlineData(false, null, false)]  // no code at all
    public void One_entry_moves_the_state_as_the_table_says(bool? before, int? code, bool? after) =>
        Assert.Equal(after, KeypadDisabledRule.After(before, code));

    [Theory]
    [InlineData(null, new[] { 11, 3, 14 }, true)]
    [InlineData(null, new[] { 11, 2 }, false)]
    [InlineData(false, new[] { 2, 11 }, true)]
    [InlineData(true, new int[0], true)]
    [InlineData(null, new[] { 3, 4, 71 }, null)]
    public void A_log_read_folds_its_entries_oldest_first(bool? before, int[] codes, bool? after) =>
        Assert.Equal(after, KeypadDisabledRule.After(before, codes.Select(c => Entry(c))));

    [Fact]
    public void Only_the_newest_keypad_entry_counts()
    {
        var logs = Gen.Elements(Codes).ListOf();
        var starts = Gen.Elements<bool?>(null, false, true);
        Prop.ForAll(logs.ToArbitrary(), starts.ToArbitrary(), (codes, before) =>
        {
            var entries = codes.Select(Entry).ToList();
            var keypadEntries = entries.Where(e => e.EventCode == 11 || ActivityMapper.Map(e.EventCode).Method == "keypad").ToList();
            var expected = keypadEntries.Count == 0 ? before : keypadEntries[^1].EventCode == 11;
            return KeypadDisabledRule.After(before, entries) == expected;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Reading_a_log_in_two_parts_gives_what_reading_it_at_once_gives()
    {
        // The tracker reads only what is new each time: the state after two reads must be the state after one.
        var logs = Gen.Elements(Codes).ListOf();
        Prop.ForAll(logs.ToArbitrary(), logs.ToArbitrary(), (first, second) =>
        {
            var once = KeypadDisabledRule.After(null, first.Concat(second).Select(Entry));
            var twice = KeypadDisabledRule.After(KeypadDisabledRule.After(null, first.Select(Entry)), second.Select(Entry));
            return once == twice;
        }).QuickCheckThrowOnFailure();
    }

    private static CloudLogEntry Entry(int? code) => new(null, code, DateTimeOffset.UnixEpoch, null, null);
}
