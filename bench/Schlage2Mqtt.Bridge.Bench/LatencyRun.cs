using Schlage2Mqtt.Simulator;
using Schlage2Mqtt.Simulator.Faults;
using Schlage2Mqtt.TestSupport;

namespace Schlage2Mqtt.Bridge.Bench;

/// <summary>What the latency run measured.</summary>
internal sealed record LatencyResult(
    bool BrokerNoDelay,
    int Accounts,
    int WarmUp,
    Samples CommandToRequest,
    Samples CommandToTransitional,
    Samples CommandToConfirmed,
    Samples SeenToPublish,
    Samples GetToPublish,
    int PollCollisions,
    MemorySample MemoryAfter,
    int LocksInBridge);

/// <summary>
/// Command and state latency through the real daemon process: mosquitto and the simulator (zero command latency) run
/// on loopback, the observer publishes commands and reads states like a user's client. Locks are spread over several
/// accounts because each account's client-side budget is capped at 600 calls a minute, and every lock gets exactly one
/// command, sent one at a time, so no command waits behind another (the bridge serialises commands per lock) or
/// behind the budget. The first <see cref="WarmUpPerAccount"/> locks of each account warm the bridge up and are not counted.
/// </summary>
internal static class LatencyRun
{
    // 20 accounts of 50 locks: each account's budget (600 calls a minute, reads capped at 480 so commands keep room)
    // covers its share of 1,000 UNLOCKs, their confirming reads and activity reads, and the 1,000 gets that follow.
    public const int Accounts = 20;
    public const int WarmUpPerAccount = 5;

    // A short pause between samples keeps them independent; the bridge is still busy with the previous command's
    // tail (its answer, and 2.5 s later the confirming read), as it would be in a burst.
    private static readonly TimeSpan Gap = TimeSpan.FromMilliseconds(5);

    /// <param name="brokerNoDelay">
    /// Whether mosquitto sets TCP_NODELAY. Its default (false) lets Nagle's algorithm hold a small packet until the
    /// previous one is acknowledged, which with the receiver's delayed ACK costs up to 40 ms per hop when messages
    /// follow each other within that time, as they do here; with it set, the figures show the bridge.
    /// </param>
    public static async Task<LatencyResult> RunAsync(string executable, int commands, bool brokerNoDelay, TextWriter progress, CancellationToken cancellationToken)
    {
        if (commands % Accounts != 0)
        {
            throw new ArgumentException($"The number of commands must be a multiple of {Accounts}.", nameof(commands));
        }
        var world = BenchWorld.Create(Accounts, commands / Accounts + WarmUpPerAccount);
        var warmUp = world.Accounts.SelectMany(a => a.Locks.Take(WarmUpPerAccount)).ToList();
        var measured = world.Accounts.SelectMany(a => a.Locks.Skip(WarmUpPerAccount)).ToList();
        var directory = Directory.CreateTempSubdirectory("s2m-bench-latency-").FullName;
        try
        {
            await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { ExtraConfig = brokerNoDelay ? ["set_tcp_nodelay true"] : [] });
            await using var cloud = new SchlageCloudSimulator(world.SimulatorOptions(TimeSpan.Zero));
            await cloud.StartAsync(cancellationToken);
            using var calls = new CallWatcher(cloud.Calls);
            await using var observer = await Observer.ConnectAsync(broker.TcpUrl, Bench.BaseTopic, cancellationToken);
            // The default poll interval; the budget at its maximum (600/min per account) so it never delays a command.
            await using var bridge = BridgeProcess.Start(executable, directory, broker.TcpUrl, cloud, world, TimeSpan.FromSeconds(60), 600);
            await observer.WaitForLocksAsync(world.Locks.Count, TimeSpan.FromMinutes(2), cancellationToken);
            progress.WriteLine($"  bridge up: {world.Locks.Count} locks in {Accounts} accounts published; warming up with {warmUp.Count} commands and reads");

            var ignored = new CommandSamples();
            await CommandsAsync(warmUp, observer, calls, ignored, bridge, cancellationToken);
            await ReadsAsync(warmUp, world, cloud, observer, calls, new Samples(), new Samples(), bridge, cancellationToken);

            progress.WriteLine($"  {measured.Count} UNLOCK commands, one per lock, one at a time");
            var command = new CommandSamples();
            await CommandsAsync(measured, observer, calls, command, bridge, cancellationToken);

            progress.WriteLine($"  {measured.Count} reads (<lock>/get) after a thumbturn, one at a time");
            var seenToPublish = new Samples();
            var getToPublish = new Samples();
            var collisions = await ReadsAsync(measured, world, cloud, observer, calls, seenToPublish, getToPublish, bridge, cancellationToken);

            var memory = bridge.Memory();
            return new LatencyResult(brokerNoDelay, Accounts, warmUp.Count, command.ToRequest, command.ToTransitional, command.ToConfirmed,
                seenToPublish, getToPublish, collisions, memory, world.Locks.Count);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private sealed class CommandSamples
    {
        public Samples ToRequest { get; } = new();

        public Samples ToTransitional { get; } = new();

        public Samples ToConfirmed { get; } = new();
    }

    // UNLOCK to each lock (all start locked): sent -> PUT at the simulator, sent -> UNLOCKING, sent -> confirmed UNLOCKED.
    private static async Task CommandsAsync(IReadOnlyList<BenchLock> locks, Observer observer, CallWatcher calls, CommandSamples samples,
        BridgeProcess bridge, CancellationToken cancellationToken)
    {
        var pending = new List<(DateTimeOffset Sent, Task<DateTimeOffset> Unlocking, Task<DateTimeOffset> Unlocked)>();
        foreach (var target in locks)
        {
            var put = calls.Expect(nameof(ApiEndpoint.PutDevice), target.DeviceId);
            var unlocking = observer.Expect(target.TopicId, "UNLOCKING");
            var unlocked = observer.Expect(target.TopicId, "UNLOCKED");
            var sent = TimeProvider.System.GetUtcNow();
            await observer.PublishAsync($"{Bench.BaseTopic}/{target.TopicId}/set", "UNLOCK", cancellationToken);
            var record = await bridge.WithinAsync(put, $"the PUT of {target.Name}", cancellationToken);
            samples.ToRequest.Add(record.Timestamp - sent);
            pending.Add((sent, unlocking, unlocked));
            await Task.Delay(Gap, cancellationToken);
        }
        // Every lock confirmed before the next phase, so no confirming read is still to come.
        foreach (var (sent, unlocking, unlocked) in pending)
        {
            samples.ToTransitional.Add(await bridge.WithinAsync(unlocking, "UNLOCKING", cancellationToken) - sent);
            samples.ToConfirmed.Add(await bridge.WithinAsync(unlocked, "the confirmed UNLOCKED", cancellationToken) - sent);
        }
    }

    // Someone turns the thumbturn, then <lock>/get: GET at the simulator -> new state at the observer. A poll of the
    // lock's account in between would publish the change first, so such a sample is taken again the other way round,
    // once the bridge's read of that lock is older than its minimum refresh interval (5 s; a second get sooner is
    // answered from the first read without a GET, by design, so it would never be seen at the simulator).
    private static readonly TimeSpan RetryAfterCollision = TimeSpan.FromSeconds(5.5);

    private static async Task<int> ReadsAsync(IReadOnlyList<BenchLock> locks, BenchWorld world, SchlageCloudSimulator cloud, Observer observer,
        CallWatcher calls, Samples seenToPublish, Samples getToPublish, BridgeProcess bridge, CancellationToken cancellationToken)
    {
        var collisions = 0;
        foreach (var target in locks)
        {
            var email = world.Accounts[target.Account].Email;
            var locked = true;
            var first = true;
            while (true)
            {
                if (!first)
                {
                    await Task.Delay(RetryAfterCollision, cancellationToken);
                }
                first = false;
                var polls = calls.Lists(email);
                cloud.Admin.TurnThumbturn(target.DeviceId, locked);
                var get = calls.Expect(nameof(ApiEndpoint.GetDevice), target.DeviceId);
                var state = observer.Expect(target.TopicId, locked ? "LOCKED" : "UNLOCKED");
                var sent = TimeProvider.System.GetUtcNow();
                await observer.PublishAsync($"{Bench.BaseTopic}/{target.TopicId}/get", "get", cancellationToken);
                var record = await bridge.WithinAsync(get, $"the GET of {target.Name}", cancellationToken);
                var published = await bridge.WithinAsync(state, $"the new state of {target.Name}", cancellationToken);
                if (calls.Lists(email) != polls || published < record.Timestamp)
                {
                    collisions++;
                    locked = !locked;
                    continue;
                }
                seenToPublish.Add(published - record.Timestamp);
                getToPublish.Add(published - sent);
                break;
            }
            await Task.Delay(Gap, cancellationToken);
        }
        return collisions;
    }
}
