using Schlage2Mqtt.Chaos;
using Xunit.Abstractions;

namespace Schlage2Mqtt.Tests.Chaos;

/// <summary>
/// The chaos suite in quick mode (bench/chaos): the daemon as built, the simulator and a private mosquitto, bounded
/// counts. It asserts what must hold on every branch (the bridge survives hostile input without internal_error, hangs
/// or echoed PINs, no secret reaches a log line or MQTT, a self-signed broker is refused) and prints the whole table,
/// including figures that are someone's open issue (corrupt state files, kill -9 during a change: issues 19.2-19.4).
/// RSS and the managed heap after a forced full collection are printed, not asserted (issue 19.1's growth is still
/// open); every issue-20 row (h)-(p) must meet its goal.
/// </summary>
[Trait("Category", "Chaos")]
public sealed class ChaosQuickTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_quick_chaos_run_keeps_the_bridge_alive_answering_and_silent_about_secrets()
    {
        var options = ChaosOptions.QuickDefaults;
        var progress = new StringWriter();
        var suite = new ChaosSuite(options, DaemonExecutable.Current, progress);

        var report = await suite.RunAsync(CancellationToken.None);

        output.WriteLine(report.Render(options));
        var hostile = Row(report, "(a) hostile");
        Assert.Contains("alive yes", hostile, StringComparison.Ordinal);
        Assert.Contains("hangs 0;", hostile, StringComparison.Ordinal);
        Assert.Contains("internal_error 0;", hostile, StringComparison.Ordinal);
        Assert.Contains("PIN echoed 0;", hostile, StringComparison.Ordinal);
        // Issue 19.1: the memory row must at least be measured (the daemon answered full_gc with its figures); its
        // goal is printed, not asserted, while the live-set growth it shows is open (bench/chaos/README.md).
        Assert.StartsWith("managed heap ", Row(report, "(a) memory"), StringComparison.Ordinal);
        Assert.Contains("password/API key/JWT 0, PINs 0", Row(report, "(f)"), StringComparison.Ordinal);
        // Issue 20's rows: each counts what the item is about on the daemon as shipped.
        foreach (var section in new[] { "(h)", "(i)", "(j)", "(k)", "(l)", "(m)", "(n)", "(o)", "(p)" })
        {
            Assert.True(Met(report, section), section + " " + Row(report, section));
        }
        Assert.Contains("connected no", Row(report, "(g)"), StringComparison.Ordinal);
        Assert.DoesNotContain(report.Rows, r => r.Figures.StartsWith("the section itself failed", StringComparison.Ordinal));
    }

    private static string Row(ChaosReport report, string section) =>
        report.Rows.Single(r => r.Section.StartsWith(section, StringComparison.Ordinal)).Figures;

    private static bool Met(ChaosReport report, string section) =>
        report.Rows.Single(r => r.Section.StartsWith(section, StringComparison.Ordinal)).Met;
}
