using System.Diagnostics;
using Schlage2Mqtt.Simulator;
using Schlage2Mqtt.TestSupport;

namespace Schlage2Mqtt.Bridge.Bench;

/// <summary>Process start to the first lock state on MQTT, for a first start (sign-in) and a restart (stored token).</summary>
internal sealed record StartupResult(int Locks, Samples FirstStart, Samples Restart);

/// <summary>
/// How long a user waits after starting the daemon: from just before the process is created to the observer
/// receiving the first lock state on <c>&lt;base&gt;/&lt;lock&gt;</c>, with the simulator at zero latency. Each run
/// starts twice on one data directory: first with an empty one (the daemon signs in with SRP, reads the lock list,
/// publishes discovery and states), then again on what that start kept (stored tokens and topic ids), as after a
/// reboot. Every start gets a fresh broker, so no retained state from the previous start can pass for a new one.
/// </summary>
internal static class StartupRun
{
    public const int DefaultRuns = 10;
    public const int Locks = 10;
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    public static async Task<StartupResult> RunAsync(string executable, int runs, TextWriter progress, CancellationToken cancellationToken)
    {
        var world = BenchWorld.Create(1, Locks);
        await using var cloud = new SchlageCloudSimulator(world.SimulatorOptions(TimeSpan.Zero));
        await cloud.StartAsync(cancellationToken);
        var first = new Samples();
        var restart = new Samples();
        for (var run = 0; run < runs; run++)
        {
            var directory = Directory.CreateTempSubdirectory("s2m-bench-start-").FullName;
            try
            {
                first.Add(await StartOnceAsync(executable, directory, cloud, world, cancellationToken));
                restart.Add(await StartOnceAsync(executable, directory, cloud, world, cancellationToken));
            }
            finally
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        progress.WriteLine($"  {runs} runs: first start p50 {first.Percentile(50):0} ms, restart p50 {restart.Percentile(50):0} ms");
        return new StartupResult(Locks, first, restart);
    }

    private static async Task<TimeSpan> StartOnceAsync(string executable, string directory, SchlageCloudSimulator cloud, BenchWorld world,
        CancellationToken cancellationToken)
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { ExtraConfig = ["set_tcp_nodelay true"] });
        await using var observer = await Observer.ConnectAsync(broker.TcpUrl, Bench.BaseTopic, cancellationToken);
        var started = Stopwatch.GetTimestamp();
        await using var bridge = BridgeProcess.Start(executable, directory, broker.TcpUrl, cloud, world, TimeSpan.FromSeconds(60), 30);
        try
        {
            await observer.WaitForLocksAsync(1, Limit, cancellationToken);
        }
        catch (TimeoutException)
        {
            bridge.ThrowIfExited();
            throw new TimeoutException($"No lock state within {Limit.TotalSeconds:0} s of the start. The bridge's log:\n{bridge.LogTail()}");
        }
        return Stopwatch.GetElapsedTime(started, observer.FirstStateAt);
    }
}
