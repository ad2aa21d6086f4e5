using System.Globalization;
using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Bridge.Bench;

// Bridge benchmark: command and state latency, event -> publish latency with push and with polling, resident memory,
// start-up time, cloud calls per hour (push off and on, idle and busy) beside the 1+N model; the process runs for the
// JIT build and, when S2M_BENCH_AOT names it, the Native AOT binary, side by side.
// Usage: [--commands 1000] [--only latency,push,rss,startup,calls] [--builds jit,aot] [--rss-locks 10,2000] [--rss-polls 3]
//        [--calls-locks 50] [--push-samples 1000] [--push-accounts 10] [--push-locks 10] [--startup-runs 10]
// Progress goes to stderr; the table to stdout. S2M_BENCH_TRACE=1 lists every cloud call of the calls-per-hour run.
var commands = 1000;
var only = new HashSet<string>(["latency", "push", "rss", "startup", "calls"], StringComparer.Ordinal);
var wantedBuilds = new HashSet<string>(["jit", "aot"], StringComparer.Ordinal);
var startupRuns = StartupRun.DefaultRuns;
int[] rssLocks = [10, 2000];
var rssPolls = RssRun.DefaultPolls;
var callsLocks = 50;
var pushSamples = 1000;
var pushAccounts = PushLatencyRun.DefaultAccounts;
var pushLocks = PushLatencyRun.DefaultLocks;
for (var i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    switch (args[i])
    {
        case "--commands":
            commands = int.Parse(Next(), CultureInfo.InvariantCulture);
            break;
        case "--only":
            only = new HashSet<string>(Next().Split(','), StringComparer.Ordinal);
            break;
        case "--builds":
            wantedBuilds = new HashSet<string>(Next().Split(','), StringComparer.Ordinal);
            break;
        case "--startup-runs":
            startupRuns = int.Parse(Next(), CultureInfo.InvariantCulture);
            break;
        case "--rss-locks":
            rssLocks = [.. Next().Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))];
            break;
        case "--rss-polls":
            rssPolls = int.Parse(Next(), CultureInfo.InvariantCulture);
            break;
        case "--calls-locks":
            callsLocks = int.Parse(Next(), CultureInfo.InvariantCulture);
            break;
        case "--push-samples":
            pushSamples = int.Parse(Next(), CultureInfo.InvariantCulture);
            break;
        case "--push-accounts":
            pushAccounts = int.Parse(Next(), CultureInfo.InvariantCulture);
            break;
        case "--push-locks":
            pushLocks = int.Parse(Next(), CultureInfo.InvariantCulture);
            break;
        default:
            Console.Error.WriteLine($"unknown argument {args[i]}; see the top of Program.cs");
            return 2;
    }
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
using var loggers = LoggerFactory.Create(b => b
    .AddSimpleConsole(o => o.SingleLine = true)
    .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
    .SetMinimumLevel(LogLevel.Warning));
var clock = System.Diagnostics.Stopwatch.StartNew();
var progress = new TimestampedWriter(Console.Error, clock);

LatencyResult? stockLatency = null;
var results = new List<BuildResults>();
CallsPerHourResult? calls = null;
if (only.Overlaps(["latency", "push", "rss", "startup"]))
{
    var builds = BuildUnderTest.Locate(wantedBuilds);
    if (builds.Count == 0)
    {
        Console.Error.WriteLine("no build to measure: --builds aot needs S2M_BENCH_AOT (bench/bridge/run.sh sets it)");
        return 2;
    }
    foreach (var build in builds)
    {
        progress.WriteLine($"{build.Name} build: {build.Executable}");
        LatencyResult? latency = null;
        PushLatencyResult? push = null;
        StartupResult? startup = null;
        var rss = new List<RssResult>();
        if (only.Contains("startup"))
        {
            progress.WriteLine($"start-up: process start -> first lock state on MQTT, {startupRuns} first starts and restarts, {StartupRun.Locks} locks");
            startup = await StartupRun.RunAsync(build.Executable, startupRuns, progress, cancel.Token);
        }
        if (only.Contains("latency"))
        {
            progress.WriteLine("latency: command -> cloud request, cloud state seen -> MQTT publish (mosquitto with set_tcp_nodelay true)");
            latency = await LatencyRun.RunAsync(build.Executable, commands, brokerNoDelay: true, progress, cancel.Token);
            if (results.Count == 0)
            {
                // Broker context, not a property of the build: once is enough. Every sample pays up to 40 ms there, so
                // a fifth of the samples keeps the run short.
                var stockCommands = Math.Max(LatencyRun.Accounts, commands / 5 / LatencyRun.Accounts * LatencyRun.Accounts);
                progress.WriteLine($"latency again, {stockCommands} samples, with mosquitto's default set_tcp_nodelay false");
                stockLatency = await LatencyRun.RunAsync(build.Executable, stockCommands, brokerNoDelay: false, progress, cancel.Token);
            }
        }
        if (only.Contains("push"))
        {
            progress.WriteLine($"push latency: simulator change -> MQTT publish, push consumer_cloud, {pushAccounts} account(s) of {pushLocks} locks");
            push = await PushLatencyRun.RunAsync(build.Executable, pushSamples, pushAccounts, pushLocks, brokerNoDelay: true, progress, cancel.Token);
        }
        if (only.Contains("rss"))
        {
            foreach (var locks in rssLocks)
            {
                progress.WriteLine($"memory: bridge process with {locks} locks");
                rss.Add(await RssRun.RunAsync(build.Executable, locks, rssPolls, progress, cancel.Token));
            }
        }
        results.Add(new BuildResults(build, latency, push, rss, startup));
    }
}
if (only.Contains("calls"))
{
    progress.WriteLine($"calls per hour: {callsLocks} locks, push off and on, idle and busy, two simulated hours each");
    calls = await CallsPerHourRun.RunAsync(callsLocks, loggers, progress, cancel.Token);
}
progress.WriteLine();
var main = results.FirstOrDefault();
Console.Write(Report.Render(main?.Build.Name, main?.Latency, stockLatency, main?.Push, main?.Rss ?? [], calls));
if (results.Count > 0 && results.Any(r => r.Startup is not null || r.Rss.Count > 0 || r.Latency is not null))
{
    Console.WriteLine();
    Console.Write(BuildsReport.Render(results));
}
return 0;
