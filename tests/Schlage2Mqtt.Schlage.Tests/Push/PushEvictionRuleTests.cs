using FsCheck;
using FsCheck.Fluent;
using Schlage2Mqtt.Cloud;

namespace Schlage2Mqtt.Schlage.Tests.Push;

/// <summary>Eviction detection from connect/disconnect times: the phone app taking our client id kicks us.</summary>
public sealed class PushEvictionRuleTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Stable = TimeSpan.FromSeconds(30);
    private static readonly PushEvictionOptions Options = new() { Connections = 3, Window = TimeSpan.FromMinutes(5) };

    /// <summary>
    /// Each row: connections oldest first as "connected-second+lasted-seconds", the judgement's second, and the
    /// verdict (evicted, short connections counted).
    /// </summary>
    [Theory]
    [InlineData(new string[0], 0, false, 0)]
    [InlineData(new[] { "0+1" }, 1, false, 1)]                              // one blip
    [InlineData(new[] { "0+1", "3+1" }, 4, false, 2)]
    [InlineData(new[] { "0+1", "3+1", "7+1" }, 8, true, 3)]                 // the app, three times in a row
    [InlineData(new[] { "0+0", "2+0", "6+0" }, 6, true, 3)]                 // kicked at once each time
    [InlineData(new[] { "0+1", "3+1", "7+1", "15+1" }, 16, true, 4)]
    [InlineData(new[] { "0+1", "3+1", "7+40" }, 47, false, 0)]              // the last one held: a new episode
    [InlineData(new[] { "0+1", "3+40", "50+1", "55+1" }, 56, false, 2)]     // a stable one between ends the run
    [InlineData(new[] { "0+1", "3+29", "40+1" }, 41, true, 3)]              // 29 s is still short
    [InlineData(new[] { "0+1", "3+30", "40+1" }, 41, false, 1)]             // 30 s is stable
    [InlineData(new[] { "0+1", "200+1", "400+1" }, 401, false, 2)]          // the first fell out of the 5-minute window
    [InlineData(new[] { "0+1", "100+1", "299+1" }, 300, true, 3)]           // all ended within the window (299 s back)
    [InlineData(new[] { "0+1", "3+1", "7+1" }, 400, false, 0)]              // judged long after: all out of the window
    public void The_table(string[] connections, int nowSecond, bool evicted, int shortOnes)
    {
        var verdict = PushEvictionRule.Judge([.. connections.Select(Parse)], Start.AddSeconds(nowSecond), Stable, Options);

        Assert.Equal(new EvictionVerdict(evicted, shortOnes), verdict);
    }

    [Theory]
    [InlineData(1, new[] { "0+1" }, true)]
    [InlineData(2, new[] { "0+1" }, false)]
    [InlineData(5, new[] { "0+1", "3+1", "7+1", "9+1" }, false)]
    [InlineData(5, new[] { "0+1", "3+1", "7+1", "9+1", "12+1" }, true)]
    public void The_number_of_connections_is_the_options(int connections, string[] history, bool evicted) =>
        Assert.Equal(evicted, PushEvictionRule.Judge([.. history.Select(Parse)], Start.AddSeconds(20), Stable, Options with { Connections = connections }).Evicted);

    [Fact]
    public void Relevant_history_keeps_exactly_what_later_judgements_can_count()
    {
        // A channel keeps only Relevant(...): judging a longer history later must give what judging the whole would.
        var spans = (from gap in Gen.Choose(0, 120) from lasted in Gen.Choose(0, 60) select (gap, lasted)).ListOf();
        Prop.ForAll(spans.ToArbitrary(), spans.ToArbitrary(), (before, after) =>
        {
            var first = Build(Start, before);
            var split = first.Count == 0 ? Start : first[^1].DisconnectedAt;
            var second = Build(split, after);
            var kept = PushEvictionRule.Relevant(first, split, Stable, Options);
            var now = second.Count == 0 ? split : second[^1].DisconnectedAt;
            return PushEvictionRule.Judge([.. first, .. second], now, Stable, Options)
                == PushEvictionRule.Judge([.. kept, .. second], now, Stable, Options);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void A_stable_connection_always_ends_the_count()
    {
        var spans = (from gap in Gen.Choose(0, 30) from lasted in Gen.Choose(0, 29) select (gap, lasted)).ListOf();
        Prop.ForAll(spans.ToArbitrary(), shortOnes =>
        {
            var history = Build(Start, [.. shortOnes, (1, 30)]);
            return PushEvictionRule.Judge(history, history[^1].DisconnectedAt, Stable, Options) == new EvictionVerdict(false, 0);
        }).QuickCheckThrowOnFailure();
    }

    private static List<PushConnectionSpan> Build(DateTimeOffset from, IEnumerable<(int Gap, int Lasted)> spans)
    {
        var list = new List<PushConnectionSpan>();
        var at = from;
        foreach (var (gap, lasted) in spans)
        {
            var connected = at.AddSeconds(gap);
            at = connected.AddSeconds(lasted);
            list.Add(new PushConnectionSpan(connected, at));
        }
        return list;
    }

    private static PushConnectionSpan Parse(string row)
    {
        var parts = row.Split('+');
        var connected = Start.AddSeconds(int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture));
        return new PushConnectionSpan(connected, connected.AddSeconds(int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture)));
    }
}
