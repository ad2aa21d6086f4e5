using System.Globalization;
using System.Text;

namespace Schlage2Mqtt.Bridge.Bench;

/// <summary>
/// The JIT build beside the Native AOT binary (issue 14): the same process runs for each, one column per build, and
/// the goal for each figure.
/// </summary>
internal static class BuildsReport
{
    public static string Render(IReadOnlyList<BuildResults> builds)
    {
        var rows = new List<string[]>();
        void Row(string figure, Func<BuildResults, string?> value, string goal, string how) =>
            rows.Add([figure, .. builds.Select(b => value(b) ?? "-"), goal, how]);

        Row("on disk", b => Disk(b.Build),
            "-", "the binary alone, or the JIT build's assemblies plus the shared runtime it needs (a)");
        Row("process start -> first lock state, first start: p50 / max", b => b.Startup is { } s ? Ms(s.FirstStart) : null,
            "<= 300 ms", $"{Runs(builds)} starts on an empty data directory: SRP sign-in, lock list, discovery (b)");
        Row("process start -> first lock state, restart: p50 / max", b => b.Startup is { } s ? Ms(s.Restart) : null,
            "<= 300 ms", "the same data directory again: stored token and topic ids (b)");
        foreach (var locks in builds.SelectMany(b => b.Rss).Select(r => r.Locks).Distinct())
        {
            RssResult? At(BuildResults b) => b.Rss.FirstOrDefault(r => r.Locks == locks);
            var goal = locks <= 10 ? "<= 30 MiB" : locks >= 2000 ? "<= 90 MiB" : "-";
            Row($"RSS, {locks:N0} locks: now / peak", b => At(b) is { } r ? Report.Mib(r.AfterPolls) : null,
                goal, $"VmRSS / VmHWM after the polls (c)");
            Row($"  of which mapped files / anonymous, threads", b => At(b) is { } r ? Split(r.Mapped) : null,
                "-", "/proc/<pid>/smaps: code and data of the binary or runtime vs heaps, stacks (d)");
            Row($"  after a full GC: managed live / GC committed / RSS", b => At(b)?.Managed is { } m ? Managed(m) : null,
                "-", "health_check {\"full_gc\": true}: what the bridge really keeps (d)");
            Row($"  after a full GC: mapped files / anonymous", b => At(b)?.MappedAfterGc is { } a ? Split(a) : null,
                "-", "/proc/<pid>/smaps right after that collection (d)");
            Row($"CPU per poll, {locks:N0} locks: steady (first)", b => At(b) is { } r ? Cpu(r) : null,
                "-", "bridge CPU time over one poll interval: mean of all but the first, then the first (e)");
        }
        Row("MQTT command -> cloud request, p50 / p99", b => b.Latency is { } l ? Report.Ms(l.CommandToRequest) : null,
            "no worse than JIT", "as (1) above");
        Row("cloud state seen -> MQTT publish, p50 / p99", b => b.Latency is { } l ? Report.Ms(l.SeenToPublish) : null,
            "no worse than JIT", "as (2) above");
        Row("lock changed in the cloud -> MQTT publish, push on, p50 / p99", b => b.Push is { } p ? Report.Ms(p.ChangeToPublish) : null,
            "no worse than JIT", "as (6) above");
        Row("RSS after the latency run: now / peak", b => b.Latency is { } l ? Report.Mib(l.MemoryAfter) : null,
            "-", FirstLatency(builds) is { } l0 ? $"{l0.LocksInBridge:N0} locks in {l0.Accounts} accounts, after the commands and reads" : "-");

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"schlage2mqtt builds side by side, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        text.AppendLine(Report.MachineLine());
        text.AppendLine();
        Report.Table(text, ["figure", .. builds.Select(b => b.Build.Name), "goal (issue 14)", "how"], rows);
        text.AppendLine();
        text.AppendLine("(a) The JIT build runs on an installed .NET 10 runtime (ASP.NET Core shared framework); the native binary needs only");
        text.AppendLine("    glibc and, for TLS, OpenSSL.");
        text.AppendLine("(b) From just before the process is created to the observer receiving the first state on <base>/<lock>: the runtime's");
        text.AppendLine("    start (a JIT build also compiles what runs first), config, the MQTT connection, the sign-in or the stored token, the");
        text.AppendLine("    lock list, discovery, the first state. One account of 10 locks, the simulator at zero latency, a fresh mosquitto per");
        text.AppendLine("    start (nothing retained from the last one), one start at a time.");
        text.AppendLine("(c) As (3) above: the `schlage2mqtt run` process alone, one account, poll_interval 15 s, discovery on, the default GC.");
        text.AppendLine("(d) Mapped files: resident pages of the native binary, or of libcoreclr, libclrjit and the assemblies; anonymous: the GC");
        text.AppendLine("    heap, the native heap, thread stacks and (JIT) generated code. The full collection is blocking and compacting, then");
        text.AppendLine("    aggressive (it decommits free memory), so the managed figure is the live set and the RSS what remains once the");
        text.AppendLine("    runtime gave back what it could.");
        text.AppendLine("(e) CPU time of the bridge between the samples after consecutive polls, summed over its threads from");
        text.AppendLine("    /proc/<pid>/task/*/schedstat (nanoseconds; /proc/<pid>/stat counts 10 ms ticks, too coarse for one poll): the");
        text.AppendLine("    poll (list, parse, compare, publish what changed, here nothing) plus the idle timers of the interval. A JIT");
        text.AppendLine("    build's first interval also compiles the poll path; the native binary has nothing to compile.");
        return text.ToString();
    }

    private static LatencyResult? FirstLatency(IReadOnlyList<BuildResults> builds) => builds.Select(b => b.Latency).FirstOrDefault(l => l is not null);

    private static int Runs(IReadOnlyList<BuildResults> builds) => builds.Select(b => b.Startup?.FirstStart.Count ?? 0).Max();

    private static string Ms(Samples s) =>
        string.Create(CultureInfo.InvariantCulture, $"{Report.Fmt(s.Percentile(50))} / {Report.Fmt(s.Max)} ms");

    private static string Split(MappedMemory m) =>
        string.Create(CultureInfo.InvariantCulture, $"{Report.Mib(m.FilesKiB)} / {Report.Mib(m.AnonymousKiB)} MiB, {m.Threads} threads");

    private static string Managed(ManagedMemory m) =>
        string.Create(CultureInfo.InvariantCulture, $"{m.GcHeapBytes / 1048576.0:0.0} / {m.GcCommittedBytes / 1048576.0:0.0} / {m.RssBytes / 1048576.0:0.0} MiB");

    private static string Cpu(RssResult r) =>
        string.Create(CultureInfo.InvariantCulture, $"{r.SteadyCpuPerPoll.TotalMilliseconds:0.0} ms ({(r.CpuPerPoll.Count > 0 ? r.CpuPerPoll[0].TotalMilliseconds : 0):0.0} ms)");

    private static string Disk(BuildUnderTest build)
    {
        var own = build.DiskBytes() / 1048576.0;
        var runtime = build.RuntimeBytes() / 1048576.0;
        return runtime == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{own:0.0} MB")
            : string.Create(CultureInfo.InvariantCulture, $"{own:0.0} MB + {runtime:0} MB runtime");
    }
}
