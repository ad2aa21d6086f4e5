using Schlage2Mqtt.Simulator;
using Schlage2Mqtt.Simulator.Faults;
using Schlage2Mqtt.TestSupport;

namespace Schlage2Mqtt.Bridge.Bench;

/// <summary>Memory of the daemon process with a given number of locks.</summary>
/// <param name="CpuPerPoll">Bridge CPU time over each poll interval in turn (the first includes a JIT build's warm-up).</param>
/// <param name="Mapped">Where the resident memory was after the polls.</param>
/// <param name="Managed">The daemon's figures right after a full collection it ran on request, then.</param>
/// <param name="MappedAfterGc">Where the resident memory was right after that collection.</param>
internal sealed record RssResult(int Locks, MemorySample AfterPublish, MemorySample AfterPolls, int Polls, TimeSpan PollInterval,
    IReadOnlyList<TimeSpan> CpuPerPoll, MappedMemory Mapped, ManagedMemory? Managed, MappedMemory? MappedAfterGc)
{
    /// <summary>Mean CPU per poll interval, leaving out the first when there are more (warm-up).</summary>
    public TimeSpan SteadyCpuPerPoll => CpuPerPoll.Count switch
    {
        0 => TimeSpan.Zero,
        1 => CpuPerPoll[0],
        _ => TimeSpan.FromTicks((long)CpuPerPoll.Skip(1).Average(c => c.Ticks)),
    };
}

/// <summary>
/// Resident memory of the daemon process alone (<c>schlage2mqtt run</c>; the simulator and mosquitto are other
/// processes or live in this one): one account with N locks, default settings except the poll interval, which is the
/// configuration minimum (15 s) so that a few polls pass in well under a minute.
/// </summary>
internal static class RssRun
{
    public const int DefaultPolls = 3;
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);

    public static async Task<RssResult> RunAsync(string executable, int locks, int polls, TextWriter progress, CancellationToken cancellationToken)
    {
        var world = BenchWorld.Create(1, locks);
        var directory = Directory.CreateTempSubdirectory("s2m-bench-rss-").FullName;
        try
        {
            await using var broker = await MosquittoBroker.StartAsync();
            await using var cloud = new SchlageCloudSimulator(world.SimulatorOptions(TimeSpan.Zero));
            await cloud.StartAsync(cancellationToken);
            await using var observer = await Observer.ConnectAsync(broker.TcpUrl, Bench.BaseTopic, cancellationToken);
            await using var bridge = BridgeProcess.Start(executable, directory, broker.TcpUrl, cloud, world, PollInterval, 30);
            await observer.WaitForLocksAsync(locks, TimeSpan.FromMinutes(3), cancellationToken);
            // The last states are out; let the start-up tail (bridge/info, topic ids saved) finish.
            await Task.Delay(Settle, cancellationToken);
            var afterPublish = bridge.Memory();
            var cpu = bridge.CpuTime;
            var list = nameof(ApiEndpoint.ListDevices);
            progress.WriteLine($"  {locks} locks published: RSS {afterPublish.RssKiB / 1024.0:0.0} MiB; waiting for {polls} more polls ({PollInterval.TotalSeconds:0} s apart)");
            var first = cloud.Calls.Count(list);
            var cpuPerPoll = new List<TimeSpan>();
            for (var poll = 1; poll <= polls; poll++)
            {
                var deadline = DateTime.UtcNow + PollInterval * 2;
                while (cloud.Calls.Count(list) < first + poll)
                {
                    bridge.ThrowIfExited();
                    if (DateTime.UtcNow > deadline)
                    {
                        throw new TimeoutException($"The bridge did not poll in time. Its log:\n{bridge.LogTail()}");
                    }
                    await Task.Delay(250, cancellationToken);
                }
                // Let the poll's answer be parsed and applied before reading the memory.
                await Task.Delay(Settle, cancellationToken);
                var sample = bridge.Memory();
                var cpuNow = bridge.CpuTime;
                progress.WriteLine($"  after poll {poll}: RSS {sample.RssKiB / 1024.0:0.0} MiB, peak {sample.PeakRssKiB / 1024.0:0.0} MiB, bridge CPU since the last sample {(cpuNow - cpu).TotalMilliseconds:0.0} ms");
                cpuPerPoll.Add(cpuNow - cpu);
                cpu = cpuNow;
            }
            var afterPolls = bridge.Memory();
            var mapped = MappedMemory.Read(bridge.Id);
            var managed = await ManagedMemory.AfterFullGcAsync(observer, cancellationToken);
            var mappedAfterGc = managed is null ? null : MappedMemory.Read(bridge.Id);
            progress.WriteLine($"  resident: files {mapped.FilesKiB / 1024.0:0.0} MiB, anonymous {mapped.AnonymousKiB / 1024.0:0.0} MiB, {mapped.Threads} threads; "
                + (managed is null ? "no full-GC answer" : $"after a full GC: managed heap {managed.GcHeapBytes / 1048576.0:0.0} MiB, GC committed {managed.GcCommittedBytes / 1048576.0:0.0} MiB, RSS {managed.RssBytes / 1048576.0:0.0} MiB"));
            return new RssResult(locks, afterPublish, afterPolls, polls, PollInterval, cpuPerPoll, mapped, managed, mappedAfterGc);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
