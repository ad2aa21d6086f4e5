using Schlage2Mqtt.Simulator;
using Schlage2Mqtt.Simulator.Faults;
using Schlage2Mqtt.TestSupport;

namespace Schlage2Mqtt.Bridge.Bench;

/// <summary>What the push-latency run measured.</summary>
/// <param name="Accounts">Accounts the bridge served.</param>
/// <param name="Locks">Locks in those accounts.</param>
/// <param name="WarmUp">Thumbturns before the measured ones, not counted.</param>
/// <param name="ChangeToPublish">Simulator changes the lock -> observer receives the new state on <c>&lt;lock&gt;</c>.</param>
/// <param name="PollsDuringSamples">Lock lists (polls) the bridge made while the samples ran.</param>
/// <param name="ReadsDuringSamples">Single-lock reads (<c>GET devices/{id}</c>) the bridge made while the samples ran.</param>
/// <param name="LogReadsBefore">Activity-log reads the bridge made from start to the first sample (warm-up included).</param>
/// <param name="LogReadsDuringSamples">Activity-log reads the bridge made while the samples ran (one per change, within the call budget).</param>
/// <param name="PushPublished">Push messages the simulator handed to the push broker over the whole run.</param>
/// <param name="PushDropped">Push messages the simulator gave up.</param>
/// <param name="Gap">Pause between samples.</param>
internal sealed record PushLatencyResult(
    int Accounts,
    int Locks,
    int WarmUp,
    Samples ChangeToPublish,
    long PollsDuringSamples,
    long ReadsDuringSamples,
    long LogReadsBefore,
    long LogReadsDuringSamples,
    long PushPublished,
    long PushDropped,
    TimeSpan Gap);

/// <summary>
/// Event-to-publish latency with push on, through the daemon as shipped (<c>schlage2mqtt run</c>, its own process,
/// default settings: <c>schlage.push.mode</c> consumer_cloud, 60 s poll interval, 5 min while push is connected, 30
/// calls/min budget). Two private mosquittos on loopback: the user's broker (bridge and observer) and one whose
/// websocket listener plays AWS IoT (the simulator answers <c>users/wss</c> with it and publishes every device change
/// there as <c>{"reported": ...}</c>). Someone turns a thumbturn in the simulator; the sample runs from just before
/// that call to the observer receiving the new state on <c>&lt;lock&gt;</c>. Both ends use the benchmark process's
/// clock. The run counts the cloud reads the bridge made meanwhile, so a poll cannot pass for push.
/// </summary>
internal static class PushLatencyRun
{
    public const int DefaultAccounts = 10;
    public const int DefaultLocks = 10;
    public const int WarmUp = 50;

    // Long enough that the previous sample's tail (its activity-log read) has started, short enough to be a burst.
    private static readonly TimeSpan Gap = TimeSpan.FromMilliseconds(5);

    /// <param name="brokerNoDelay">Whether both mosquittos set TCP_NODELAY (see <see cref="LatencyRun.RunAsync"/>).</param>
    public static async Task<PushLatencyResult> RunAsync(string executable, int samples, int accounts, int locksPerAccount, bool brokerNoDelay,
        TextWriter progress, CancellationToken cancellationToken)
    {
        var world = BenchWorld.Create(accounts, locksPerAccount);
        var directory = Directory.CreateTempSubdirectory("s2m-bench-push-").FullName;
        string[] noDelay = brokerNoDelay ? ["set_tcp_nodelay true"] : [];
        try
        {
            await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { ExtraConfig = noDelay });
            await using var pushBroker = await MosquittoBroker.StartAsync(new MosquittoOptions { WebSockets = true, ExtraConfig = noDelay });
            await using var cloud = new SchlageCloudSimulator(world.SimulatorOptions(TimeSpan.Zero) with
            {
                PushBrokerUrl = new Uri(pushBroker.WebSocketUrl),
                PushPublishUrl = new Uri(pushBroker.TcpUrl),
            });
            await cloud.StartAsync(cancellationToken);
            await using var observer = await Observer.ConnectAsync(broker.TcpUrl, Bench.BaseTopic, cancellationToken);
            // Defaults as shipped: the 60 s interval and the 30 calls/min budget; push consumer_cloud written out.
            await using var bridge = BridgeProcess.Start(executable, directory, broker.TcpUrl, cloud, world, TimeSpan.FromSeconds(60), 30, "consumer_cloud");
            try
            {
                await observer.WaitForLocksAsync(world.Locks.Count, TimeSpan.FromMinutes(2), cancellationToken);
                await observer.WaitForPushAsync(accounts, "connected", TimeSpan.FromMinutes(1), cancellationToken);
            }
            catch (TimeoutException e)
            {
                bridge.ThrowIfExited();
                var states = string.Join(", ", observer.PushStates.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}: {p.Value}"));
                throw new TimeoutException($"{e.Message} {observer.LocksSeen} of {world.Locks.Count} locks published; push per account: {states}; " +
                    $"simulator: {cloud.Calls.Count(nameof(ApiEndpoint.ListDevices))} lock lists, {cloud.Calls.Count(nameof(ApiEndpoint.GetPushDetails))} users/wss. " +
                    $"The bridge's log:\n{bridge.LogTail(80)}", e);
            }
            progress.WriteLine($"  bridge up: {world.Locks.Count} locks in {accounts} account(s) published, push connected; {WarmUp} warm-up thumbturns");

            var locked = world.Locks.ToDictionary(l => l.DeviceId, _ => true, StringComparer.Ordinal);
            await TurnsAsync(world, WarmUp, 0, cloud, observer, locked, new Samples(), bridge, cancellationToken);

            progress.WriteLine($"  {samples} thumbturns, one at a time, {Gap.TotalMilliseconds:0} ms apart, over {world.Locks.Count} locks");
            var lists = cloud.Calls.Count(nameof(ApiEndpoint.ListDevices));
            var reads = cloud.Calls.Count(nameof(ApiEndpoint.GetDevice));
            var logs = cloud.Calls.Count(nameof(ApiEndpoint.GetLogs));
            var measured = new Samples();
            await TurnsAsync(world, samples, WarmUp, cloud, observer, locked, measured, bridge, cancellationToken);
            var polls = cloud.Calls.Count(nameof(ApiEndpoint.ListDevices)) - lists;
            var pushCounters = cloud.Admin.PushCounters();
            progress.WriteLine($"  p50 {measured.Percentile(50):0.00} ms, p99 {measured.Percentile(99):0.00} ms, max {measured.Max:0.00} ms; {polls} polls meanwhile");
            return new PushLatencyResult(accounts, world.Locks.Count, WarmUp, measured, polls,
                cloud.Calls.Count(nameof(ApiEndpoint.GetDevice)) - reads, logs, cloud.Calls.Count(nameof(ApiEndpoint.GetLogs)) - logs,
                pushCounters.Published, pushCounters.Dropped, Gap);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    // Turn i goes to lock (first + i) mod N, so consecutive samples never share a lock and each finds it settled.
    private static async Task TurnsAsync(BenchWorld world, int count, int first, SchlageCloudSimulator cloud, Observer observer,
        Dictionary<string, bool> locked, Samples samples, BridgeProcess bridge, CancellationToken cancellationToken)
    {
        for (var i = 0; i < count; i++)
        {
            var target = world.Locks[(first + i) % world.Locks.Count];
            var now = !locked[target.DeviceId];
            var published = observer.Expect(target.TopicId, now ? "LOCKED" : "UNLOCKED");
            var turned = TimeProvider.System.GetUtcNow();
            cloud.Admin.TurnThumbturn(target.DeviceId, now);
            locked[target.DeviceId] = now;
            samples.Add(await bridge.WithinAsync(published, $"the new state of {target.Name}", cancellationToken) - turned);
            await Task.Delay(Gap, cancellationToken);
        }
    }
}
