using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Schlage2Mqtt.Bridge.Bench;

/// <summary>The one table the benchmark prints, figures beside the 1+N-calls-per-30-s model, with notes.</summary>
internal static class Report
{
    /// <summary>Poll period of the 1+N integration (the Home Assistant built-in Schlage integration).</summary>
    public static readonly TimeSpan PeerInterval = TimeSpan.FromSeconds(30);

    // An event waits for the peer's next poll: uniform over its 30 s interval, so p50 15 s and p99 29.7 s (model).
    private const string PeerLatency = "15 / 29.7 s (model: next poll)";

    public static string Render(string? buildName, LatencyResult? latency, LatencyResult? stock, PushLatencyResult? push, IReadOnlyList<RssResult> rss, CallsPerHourResult? calls)
    {
        var rows = new List<string[]>();
        if (latency is not null)
        {
            rows.Add(["MQTT command -> cloud request, p50 / p99", Ms(latency.CommandToRequest), "-",
                $"{latency.CommandToRequest.Count:N0} UNLOCKs, one per lock, one at a time (1)"]);
            rows.Add(["cloud state seen -> MQTT publish, p50 / p99", Ms(latency.SeenToPublish), "-",
                $"{latency.SeenToPublish.Count:N0} reads (<lock>/get) after a thumbturn (2)"]);
        }
        if (push is not null)
        {
            rows.Add(["lock changed in the cloud -> MQTT publish, push on, p50 / p99", Ms(push.ChangeToPublish), PeerLatency,
                $"{push.ChangeToPublish.Count:N0} thumbturns, one at a time; {push.PollsDuringSamples} polls meanwhile (6)"]);
        }
        if (calls?.Find(push: false, busy: true) is { } polled)
        {
            rows.Add(["lock changed in the cloud -> MQTT publish, push off, p50 / p99", Seconds(polled.TurnToPublish), PeerLatency,
                $"{polled.TurnToPublish.Count:N0} of {2 * polled.TurnsPerHour} thumbturns at random instants, polling every {calls.PollInterval.TotalSeconds:0} s; simulated time (7)"]);
        }
        foreach (var r in rss)
        {
            rows.Add([$"bridge RSS, {r.Locks:N0} locks: now / peak", Mib(r.AfterPolls), "-",
                $"VmRSS / VmHWM after {r.Polls} polls; {Mib(r.AfterPublish.RssKiB)} MiB once all were published (3)"]);
        }
        if (calls is not null)
        {
            var peer = PeerCallsPerHour(calls.Locks);
            foreach (var (isPush, busy) in new[] { (true, false), (true, true), (false, false), (false, true) })
            {
                if (calls.Find(isPush, busy) is not { } run)
                {
                    continue;
                }
                var what = busy ? $"{run.TurnsPerHour} thumbturns/h" : "idle";
                rows.Add([$"cloud REST calls per hour, {calls.Locks} locks, push {(isPush ? "on" : "off")}, {what}: 1st / 2nd hour",
                    $"{run.First.Rest:N0} / {run.Second.Rest:N0} ({Ratio(peer, run.First.Rest)} / {Ratio(peer, run.Second.Rest)} fewer)",
                    $"{peer:N0} = (1 + {calls.Locks}) x 3600 s / {PeerInterval.TotalSeconds:0} s",
                    $"{run.First.RestLists} / {run.Second.RestLists} lock lists{(isPush ? $"; push connected {run.PushConnections}x" : "")} (4)"]);
            }
            if (calls.Find(push: false, busy: false) is { } idle)
            {
                var first = idle.First;
                rows.Add(["Cognito calls in the first hour", $"{first.Cognito} (SRP login {first.SrpLogins}x = 2 calls, {first.Refreshes} refresh)", "not modelled",
                    "sign-in at start; token refreshed 5 min before its 1 h expiry; same in every run"]);
            }
        }
        if (stock is not null)
        {
            rows.Add(["context: command -> cloud request, stock mosquitto", Ms(stock.CommandToRequest), "-",
                $"as (1), {stock.CommandToRequest.Count:N0} samples, broker's default set_tcp_nodelay false (5)"]);
            rows.Add(["context: state seen -> MQTT publish, stock mosquitto", Ms(stock.SeenToPublish), "-",
                $"as (2), {stock.SeenToPublish.Count:N0} samples, broker's default set_tcp_nodelay false (5)"]);
        }
        if (latency is not null)
        {
            rows.Add(["context: command -> UNLOCKING published, p50 / p99", Ms(latency.CommandToTransitional), "-", "what a dashboard shows at once"]);
            rows.Add(["context: command -> confirmed UNLOCKED, p50 / p99", Ms(latency.CommandToConfirmed), "-", "by design: the bridge re-reads the lock 2.5 s after a command"]);
            rows.Add(["context: <lock>/get sent -> state received, p50 / p99", Ms(latency.GetToPublish), "-", "the whole read round trip of (2)"]);
        }
        if (latency is not null)
        {
            rows.Add([$"context: bridge RSS after the latency run, {latency.LocksInBridge:N0} locks", Mib(latency.MemoryAfter), "-",
                $"{latency.Accounts} accounts, after {latency.LocksInBridge:N0} commands and {latency.LocksInBridge:N0} reads"]);
        }
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"schlage2mqtt bridge benchmark, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        text.AppendLine(MachineLine());
        text.AppendLine("all on this machine over loopback: Schlage cloud simulator (zero command latency, seed 1), mosquitto, the bridge, the observer client");
        text.AppendLine();
        Table(text, ["figure", $"schlage2mqtt ({buildName ?? BuildUnderTest.Jit})", "1+N calls per 30 s (HA built-in model)", "how"], rows);
        text.AppendLine();
        if (latency is not null)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"(1) The daemon as shipped (`schlage2mqtt run`, Release, its own process) with {latency.LocksInBridge:N0} Encode locks in {latency.Accounts} accounts (an");
            text.AppendLine("    account may make at most 600 calls/min, so locks are spread until the budget can never delay a command); mosquitto with");
            text.AppendLine(CultureInfo.InvariantCulture, $"    set_tcp_nodelay true. {latency.WarmUp} warm-up commands and reads first, not counted; 5 ms between samples. From the observer");
            text.AppendLine("    handing the QoS 1 PUBLISH of UNLOCK on <lock>/set to its MQTT client, to the simulator receiving PUT devices/{id}: observer");
            text.AppendLine("    client + broker hop + bridge (route, parse, publish UNLOCKING, budget, token, resilience pipeline) + HTTP request over");
            text.AppendLine("    loopback. Both ends are stamped with the benchmark process's clock. Nearest-rank percentiles.");
            text.AppendLine("(2) A thumbturn in the simulator changes the lock, then <lock>/get: from the simulator receiving GET devices/{id} to the");
            text.AppendLine("    observer receiving the new state on <lock>: simulator answer + HTTP response + bridge (parse, map, publish) + broker hop +");
            text.AppendLine(CultureInfo.InvariantCulture, $"    observer client. A sample a poll of the same account may have raced is taken again ({latency.PollCollisions} this run).");
        }
        if (rss.Count > 0)
        {
            var r = rss[0];
            text.AppendLine("(3) Resident set of the `schlage2mqtt run` process alone (/proc/<pid>/status, MiB = 1024 KiB); one account, defaults except");
            text.AppendLine(CultureInfo.InvariantCulture, $"    poll_interval {r.PollInterval.TotalSeconds:0} s (the minimum) so {r.Polls} polls pass quickly; Home Assistant discovery on; the runtime's");
            text.AppendLine("    default (workstation, concurrent) GC as shipped. The simulator and the broker run in other processes.");
        }
        if (calls is not null)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"(4) One account of {calls.Locks} locks, default settings (poll every {calls.PollInterval.TotalSeconds:0} s +-10% jitter, every {calls.PushPollInterval.TotalMinutes:0} min while push is");
            text.AppendLine("    connected, 30 calls/min budget); push on = consumer_cloud against a mosquitto websocket listener playing AWS IoT. The");
            text.AppendLine("    bridge, its cloud client, its push channel and the simulator share one manual clock, moved from one due timer (or");
            text.AppendLine("    scheduled thumbturn) to the next over two simulated hours. Busy: thumbturns at seeded random instants on random locks,");
            text.AppendLine("    the same instants with push off and on; each change costs one activity-log read (GET logs), whichever way it arrives.");
            text.AppendLine("    The push channel's keepalive runs on the manual clock but its PINGRESP over a real socket, so with push on the driver");
            text.AppendLine("    waits 25 ms of real time after each move; \"push connected 1x\" means the connection never dropped. The model: an");
            text.AppendLine(CultureInfo.InvariantCulture, $"    integration that reads the lock list plus one call per lock every {PeerInterval.TotalSeconds:0} s makes (1 + N) x 3600 / {PeerInterval.TotalSeconds:0} calls an hour. A");
            text.AppendLine("    command costs the bridge two more calls (the write and one confirming read). REST calls by endpoint, 1st | 2nd hour:");
            foreach (var run in calls.Scenarios)
            {
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"    - push {(run.Push ? "on" : "off")}, {(run.TurnsPerHour == 0 ? "idle" : $"{run.TurnsPerHour} thumbturns/h")}: {CallsPerHourRun.Breakdown(run.First)} | {CallsPerHourRun.Breakdown(run.Second)}");
            }
        }
        if (stock is not null)
        {
            text.AppendLine("(5) With Nagle's algorithm on, mosquitto holds a small packet to a client until that client acknowledged the previous one,");
            text.AppendLine("    and Linux delays that ACK up to 40 ms; back-to-back messages as here pay it on each hop, a single command seconds after");
            text.AppendLine("    the last message does not.");
        }
        if (push is not null)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"(6) The daemon as shipped (`schlage2mqtt run`, its own process), {push.Accounts} account(s), {push.Locks} locks in all, default settings with");
            text.AppendLine("    schlage.push.mode consumer_cloud: the simulator answers users/wss with a second private mosquitto's websocket listener");
            text.AppendLine("    (playing AWS IoT) and publishes {\"reported\": ...} there on every change; both brokers with set_tcp_nodelay true. From");
            text.AppendLine("    just before the simulator's thumbturn (the lock changes in the cloud) to the observer receiving the new state on <lock>:");
            text.AppendLine("    simulator publish + push broker + bridge's push client (websocket) + map + publish + user's broker + observer client.");
            text.AppendLine(CultureInfo.InvariantCulture, $"    {push.WarmUp} warm-up thumbturns first, not counted; {push.Gap.TotalMilliseconds:0} ms between samples, consecutive samples on different locks. While the");
            text.AppendLine(CultureInfo.InvariantCulture, $"    samples ran the bridge listed the locks {push.PollsDuringSamples}x and read single locks {push.ReadsDuringSamples}x: push alone carried every change.");
            text.AppendLine(CultureInfo.InvariantCulture, $"    Each change also asks for an activity-log read; the default budget (30 calls/min per account) let {push.LogReadsBefore} through before the samples and");
            text.AppendLine(CultureInfo.InvariantCulture, $"    {push.LogReadsDuringSamples} during them (a change every few ms is far beyond it); those reads wait on the budget, not the state publish. The");
            text.AppendLine(CultureInfo.InvariantCulture, $"    simulator published {push.PushPublished:N0} push messages and dropped {push.PushDropped}. Max {Fmt(push.ChangeToPublish.Max)} ms.");
        }
        if (calls?.Find(push: false, busy: true) is { } pollRun)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"(7) The push-off busy run of (4): from the simulated instant of each thumbturn to the simulated instant the observer");
            text.AppendLine(CultureInfo.InvariantCulture, $"    received the new state (the clock stands still until it has). An event waits for the next poll, {calls.PollInterval.TotalSeconds:0} s +-10% apart, so");
            text.AppendLine(CultureInfo.InvariantCulture, $"    about half an interval on average and up to 66 s (mean {Fmt(pollRun.TurnToPublish.Mean / 1000)} s, max {Fmt(pollRun.TurnToPublish.Max / 1000)} s). Thumbturns after the last poll");
            text.AppendLine(CultureInfo.InvariantCulture, $"    of the two hours are not counted. With push on, the same run publishes each change before the clock moves at all");
            text.AppendLine(CultureInfo.InvariantCulture, $"    (max {PushOnMax(calls)} s simulated); its real-time figure is (6).");
        }
        text.AppendLine("Caveats: two shared cores run the bridge, broker, simulator and observer at once, so latencies include scheduling noise;");
        text.AppendLine("the simulator answers at once where the real cloud takes its own round trips; memory follows the GC's heuristics.");
        return text.ToString();
    }

    /// <summary>The machine line every table of the run starts with.</summary>
    internal static string MachineLine() =>
        $"machine: {CpuModel()}, {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}; {RuntimeInformation.FrameworkDescription}; {MosquittoVersion()}";

    public static long PeerCallsPerHour(int locks) => (1 + locks) * (long)(TimeSpan.FromHours(1) / PeerInterval);

    internal static string Ms(Samples s) =>
        string.Create(CultureInfo.InvariantCulture, $"{Fmt(s.Percentile(50))} / {Fmt(s.Percentile(99))} ms");

    private static string Seconds(Samples s) =>
        string.Create(CultureInfo.InvariantCulture, $"{Fmt(s.Percentile(50) / 1000)} / {Fmt(s.Percentile(99) / 1000)} s");

    private static string PushOnMax(CallsPerHourResult calls) =>
        calls.Find(push: true, busy: true) is { TurnToPublish.Count: > 0 } run ? Fmt(run.TurnToPublish.Max / 1000) : "n/a";

    internal static string Fmt(double ms) => ms.ToString(ms < 10 ? "0.00" : ms < 100 ? "0.0" : "#,0", CultureInfo.InvariantCulture);

    internal static string Mib(MemorySample m) => $"{Mib(m.RssKiB)} / {Mib(m.PeakRssKiB)} MiB";

    internal static string Mib(long kib) => (kib / 1024.0).ToString("0.0", CultureInfo.InvariantCulture);

    private static string Ratio(long peer, long ours) =>
        ours == 0 ? "n/a" : string.Create(CultureInfo.InvariantCulture, $"{(double)peer / ours:0}x");

    internal static void Table(StringBuilder text, string[] header, List<string[]> rows)
    {
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        string Line(string[] cells) => "| " + string.Join(" | ", cells.Select((c, i) => c.PadRight(widths[i]))) + " |";
        text.AppendLine(Line(header));
        text.AppendLine("|" + string.Join("|", widths.Select(w => new string('-', w + 2))) + "|");
        foreach (var row in rows)
        {
            text.AppendLine(Line(row));
        }
    }

    internal static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? RuntimeInformation.ProcessArchitecture.ToString() : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        catch (IOException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
    }

    internal static string MosquittoVersion()
    {
        foreach (var binary in new[] { "/usr/sbin/mosquitto", "/usr/bin/mosquitto" })
        {
            if (!File.Exists(binary))
            {
                continue;
            }
            using var process = Process.Start(new ProcessStartInfo(binary, "-h") { RedirectStandardOutput = true, RedirectStandardError = true });
            if (process is null)
            {
                break;
            }
            var first = process.StandardOutput.ReadLine() ?? "";
            process.WaitForExit();
            return first.Trim();
        }
        return "mosquitto";
    }
}
