using System.Globalization;
using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Bridge.Bench;

// Bridge benchmark: command and state latency, event -> publish latency with push and with polling, resident memory,
// cloud calls per hour (push off and on, idle and busy) beside the 1+N model.
// Usage: [--commands 1000] [--only latency,push,rss,calls] [--rss-locks 10,2000] [--rss-polls 3] [--calls-locks 50]
//        [--push-samples 1000] [--push-accounts 10] [--push-locks 10]
// Progress goes to stderr; the table to stdout. S2M_BENCH_TRACE=1 lists every cloud call of the calls-per-hour run.
var commands = 1000;
var only = new HashSet<string>(["latency", "push", "rss", "calls"], StringComparer.Ordinal);
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

LatencyResult? latency = null;
LatencyResult? stockLatency = null;
PushLatencyResult? push = null;
var rss = new List<RssResult>();
CallsPerHourResult? calls = null;
if (only.Contains("latency") || only.Contains("push") || only.Contains("rss"))
{
    var executable = BridgeProcess.Locate();
    progress.WriteLine($"bridge executable: {executable}");
    if (only.Contains("latency"))
    {
        progress.WriteLine("latency: command -> cloud request, cloud state seen -> MQTT publish (mosquitto with set_tcp_nodelay true)");
        latency = await LatencyRun.RunAsync(executable, commands, brokerNoDelay: true, progress, cancel.Token);
        // Every sample pays up to 40 ms there, so a fifth of the samples keeps the run short.
        var stockCommands = Math.Max(LatencyRun.Accounts, commands / 5 / LatencyRun.Accounts * LatencyRun.Accounts);
        progress.WriteLine($"latency again, {stockCommands} samples, with mosquitto's default set_tcp_nodelay false");
        stockLatency = await LatencyRun.RunAsync(executable, stockCommands, brokerNoDelay: false, progress, cancel.Token);
    }
    if (only.Contains("push"))
    {
        progress.WriteLine($"push latency: simulator change -> MQTT publish, push consumer_cloud, {pushAccounts} account(s) of {pushLocks} locks");
        push = await PushLatencyRun.RunAsync(executable, pushSamples, pushAccounts, pushLocks, brokerNoDelay: true, progress, cancel.Token);
    }
    if (only.Contains("rss"))
    {
        foreach (var locks in rssLocks)
        {
            progress.WriteLine($"memory: bridge process with {locks} locks");
            rss.Add(await RssRun.RunAsync(executable, locks, rssPolls, progress, cancel.Token));
        }
    }
}
if (only.Contains("calls"))
{
    progress.WriteLine($"calls per hour: {callsLocks} locks, push off and on, idle and busy, two simulated hours each");
    calls = await CallsPerHourRun.RunAsync(callsLocks, loggers, progress, cancel.Token);
}
progress.WriteLine();
Console.Write(Report.Render(latency, stockLatency, push, rss, calls));
return 0;
