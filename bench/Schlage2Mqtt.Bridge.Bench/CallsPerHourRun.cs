using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Mqtt;
using Schlage2Mqtt.Schlage.Auth;
using Schlage2Mqtt.Cloud;
using Schlage2Mqtt.Schlage.Options;
using Schlage2Mqtt.Schlage.Provider;
using Schlage2Mqtt.Simulator;
using Schlage2Mqtt.Simulator.Calls;
using Schlage2Mqtt.Simulator.Faults;
using Schlage2Mqtt.TestSupport;

namespace Schlage2Mqtt.Bridge.Bench;

/// <summary>Cloud calls in one simulated hour.</summary>
/// <param name="Rest">REST calls.</param>
/// <param name="RestLists">Of those, lock lists (<c>GET devices</c>, one per poll).</param>
/// <param name="Cognito">Cognito calls.</param>
/// <param name="SrpLogins">Completed SRP logins (two Cognito calls each).</param>
/// <param name="Refreshes">Token refreshes.</param>
/// <param name="RestByEndpoint">REST calls by endpoint (the simulator's <see cref="ApiEndpoint"/> names).</param>
internal sealed record HourCount(long Rest, long RestLists, long Cognito, long SrpLogins, long Refreshes, IReadOnlyDictionary<string, long> RestByEndpoint);

/// <summary>One manual-clock run of the calls-per-hour benchmark.</summary>
/// <param name="Push">Whether <c>schlage.push.mode</c> was consumer_cloud (else off).</param>
/// <param name="TurnsPerHour">Thumbturns in the simulator per simulated hour (0: idle locks).</param>
/// <param name="First">Calls in the first simulated hour from start (sign-in and first poll included).</param>
/// <param name="Second">Calls in the second simulated hour.</param>
/// <param name="TurnToPublish">Simulated time from each thumbturn to the observer receiving the lock's new state.</param>
/// <param name="PushConnections">Times the push channel connected (1: it held for the whole run).</param>
internal sealed record CallsScenario(bool Push, int TurnsPerHour, HourCount First, HourCount Second, Samples TurnToPublish, int PushConnections);

/// <summary>What the calls-per-hour runs counted: idle and busy, push off and on.</summary>
internal sealed record CallsPerHourResult(int Locks, TimeSpan PollInterval, TimeSpan PushPollInterval, IReadOnlyList<CallsScenario> Scenarios)
{
    public CallsScenario? Find(bool push, bool busy) => Scenarios.FirstOrDefault(s => s.Push == push && (s.TurnsPerHour > 0) == busy);
}

/// <summary>
/// Cloud calls per hour of a bridge with one account of N locks at the default settings (60 s poll interval with its
/// ±10% jitter, 5 min while push is connected, default budget), with push off and with push on (consumer_cloud), idle
/// and busy (thumbturns at seeded random instants). The bridge is composed in this process from its public parts
/// (BridgeRuntime, the Schlage provider, the reconnecting MQTT client against a real mosquitto; no state store, which
/// makes no calls) so that the bridge, its cloud client, its push channel and the simulator share one manual clock,
/// moved from one due timer (or scheduled thumbturn) to the next for two simulated hours; after each move the driver
/// waits until the work it started is done and the bridge sleeps again. The MQTT client to the user's broker and the
/// simulator's push publisher keep real time (neither makes cloud calls). Every Random has a fixed seed.
/// <para>
/// The push channel's MQTT keepalive runs on the manual clock while its PINGRESP comes over a real socket: were the
/// clock moved to the next keepalive tick before the answer to the previous PINGREQ arrived, the channel would call the
/// link dead. So with push on the driver waits <see cref="KeepAliveSettle"/> of real time after each move (the only
/// sleep used for ordering here), and the run reports how often the channel connected: 1 means it never dropped.
/// </para>
/// </summary>
internal static class CallsPerHourRun
{
    public const int BusyTurnsPerHour = 100;

    // An idle bridge keeps these timers armed: the account's poll loop and the health loop, plus, with push on, the
    // push connection's keepalive.
    private const int IdleTimers = 2;
    private const int IdleTimersWithPush = 3;

    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private static readonly TimeSpan KeepAliveSettle = TimeSpan.FromMilliseconds(25);
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    /// <summary>Push off and on, each idle and with <see cref="BusyTurnsPerHour"/> thumbturns an hour.</summary>
    public static async Task<CallsPerHourResult> RunAsync(int locks, ILoggerFactory loggers, TextWriter progress, CancellationToken cancellationToken)
    {
        var scenarios = new List<CallsScenario>();
        foreach (var push in new[] { false, true })
        {
            foreach (var turns in new[] { 0, BusyTurnsPerHour })
            {
                progress.WriteLine($"  push {(push ? "consumer_cloud" : "off")}, {(turns == 0 ? "idle" : $"{turns} thumbturns an hour")}");
                var scenario = await RunScenarioAsync(locks, push, turns, loggers, progress, cancellationToken);
                progress.WriteLine($"    REST calls: first hour {scenario.First.Rest} ({Breakdown(scenario.First)}), second hour {scenario.Second.Rest} ({Breakdown(scenario.Second)})" +
                    (push ? $"; push connected {scenario.PushConnections}x" : ""));
                scenarios.Add(scenario);
            }
        }
        var defaults = new BridgeOptions();
        return new CallsPerHourResult(locks, defaults.PollInterval, defaults.PushPollInterval, scenarios);
    }

    /// <summary>REST calls by endpoint, most first: <c>ListDevices 60, GetLogs 100</c>.</summary>
    public static string Breakdown(HourCount hour) =>
        string.Join(", ", hour.RestByEndpoint.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value}"));

    private static async Task<CallsScenario> RunScenarioAsync(int locks, bool push, int turnsPerHour, ILoggerFactory loggers, TextWriter progress,
        CancellationToken cancellationToken)
    {
        var world = BenchWorld.Create(1, locks);
        var account = world.Accounts[0];
        var clock = new ManualTimeProvider();
        var time = new FiringTimeProvider(clock);
        await using var broker = await MosquittoBroker.StartAsync();
        // The push channel's broker (its websocket listener plays AWS IoT); without push the simulator has none.
        await using var pushBroker = push ? await MosquittoBroker.StartAsync(new MosquittoOptions { WebSockets = true }) : null;
        var simulated = world.SimulatorOptions(TimeSpan.Zero);
        if (pushBroker is not null)
        {
            simulated = simulated with { PushBrokerUrl = new Uri(pushBroker.WebSocketUrl), PushPublishUrl = new Uri(pushBroker.TcpUrl) };
        }
        await using var cloud = new SchlageCloudSimulator(simulated, time);
        await cloud.StartAsync(cancellationToken);
        using var calls = new CallWatcher(cloud.Calls);

        var inFlight = new InFlightHandler(new SocketsHttpHandler());
        using var http = new HttpClient(inFlight) { Timeout = Timeout.InfiniteTimeSpan };
        var cloudOptions = new SchlageCloudOptions
        {
            ApiBaseUrl = new Uri(cloud.ApiBaseUrl.AbsoluteUri.TrimEnd('/') + "/"),
            Cognito = new CognitoOptions { Endpoint = cloud.CognitoUrl, UserPoolId = cloud.Options.UserPoolId },
            Accounts = [new SchlageAccountOptions { Key = account.Key, Username = account.Email, Password = account.Password }],
            Push = new PushOptions { Mode = push ? PushMode.ConsumerCloud : PushMode.Off },
        };
        using var provider = new SchlageLockCloudProvider(cloudOptions, new InMemoryRefreshTokenStore(), http, time, loggers);
        var channel = provider.Account(account.Key).Push;
        var connections = 0;
        if (channel is not null)
        {
            channel.StateChanged += (_, e) =>
            {
                if (e.State == PushState.Connected)
                {
                    Interlocked.Increment(ref connections);
                }
            };
        }
        var bridgeOptions = new BridgeOptions { Version = "bench" };
        // As the daemon configures it (ConfigBinder and DaemonHost): persistent session, will, MQTT 5.
        await using var mqtt = new ReconnectingMqttClient(new MqttClientOptions
        {
            Server = broker.TcpUrl,
            ClientId = "s2m-bench-calls",
            ProtocolVersion = MqttProtocolVersion.V500,
            CleanStart = false,
            SessionExpiryInterval = TimeSpan.FromMinutes(10),
            Will = BridgeRuntime.WillMessage(bridgeOptions),
        }, null, loggers.CreateLogger<ReconnectingMqttClient>(), TimeProvider.System);
        // Arrivals stamped with the manual clock: the driver never moves it while a publish it waits for is on its way.
        await using var observer = await Observer.ConnectAsync(broker.TcpUrl, Bench.BaseTopic, time, cancellationToken);
        // Composed as the daemon composes it (AddBridge), without a state store; the provider disposes the bridge.
        await using var services = new ServiceCollection()
            .AddSingleton<IMqttClient>(mqtt)
            .AddSingleton<ILockCloudProvider>(provider)
            .AddSingleton<TimeProvider>(time)
            .AddSingleton(loggers)
            .AddSingleton(typeof(ILogger<>), typeof(Logger<>))
            .AddBridge(bridgeOptions, new Random(BenchWorld.Seed))
            .BuildServiceProvider();
        var bridge = services.GetRequiredService<BridgeRuntime>();

        var start = time.GetUtcNow();
        var stop = start + 2 * Hour;
        var turns = new Queue<DateTimeOffset>(Schedule(start, turnsPerHour));
        var pick = new Random(BenchWorld.Seed + 1);
        var idleTimers = push ? IdleTimersWithPush : IdleTimers;
        await bridge.StartAsync(cancellationToken);
        // The first poll (and the SRP login before it) runs at once, with the manual clock standing still.
        await observer.WaitForLocksAsync(locks, Limit, cancellationToken);
        if (channel is not null)
        {
            await WaitForAsync(() => channel.State == PushState.Connected, () => $"the push channel to connect (it is {channel.State}: {channel.StateDetail})", cancellationToken);
        }
        await QuietAsync(cloud.Calls, inFlight, time, idleTimers, cancellationToken);

        var locked = world.Locks.ToDictionary(l => l.DeviceId, _ => true, StringComparer.Ordinal);
        var pending = new List<PendingTurn>();
        var samples = new Samples();
        var reported = start;
        while (true)
        {
            await QuietAsync(cloud.Calls, inFlight, time, idleTimers, cancellationToken);
            var now = time.GetUtcNow();
            if (now >= stop)
            {
                break;
            }
            if (turns.TryPeek(out var turnAt) && turnAt <= now)
            {
                turns.Dequeue();
                var turn = Turn(Pick(world, pending, pick), now, cloud, calls, observer, locked);
                if (push)
                {
                    // Push delivers it in real time while the clock stands still.
                    await SettleAsync(turn, samples, cancellationToken);
                }
                else
                {
                    pending.Add(turn);
                }
                continue;
            }

            var next = time.NextDue ?? stop;
            if (turns.TryPeek(out var nextTurn) && nextTurn < next)
            {
                next = nextTurn;
            }
            var moveTo = next < stop ? next : stop;
            var lists = calls.Lists(account.Email);
            clock.Advance(moveTo > now ? moveTo - now : TimeSpan.Zero);
            if (push)
            {
                // See the class comment: let the answer to a PINGREQ this move sent arrive before the next move.
                await Task.Delay(KeepAliveSettle, cancellationToken);
            }
            if (pending.Count > 0)
            {
                await QuietAsync(cloud.Calls, inFlight, time, idleTimers, cancellationToken);
                if (calls.Lists(account.Email) != lists)
                {
                    // That poll read every change made before it: each is published now, at this simulated instant.
                    foreach (var turn in pending)
                    {
                        await SettleAsync(turn, samples, cancellationToken);
                        Trace(progress, $"    {(turn.At - start).TotalSeconds,8:0.0} s  turn of {turn.Lock.TopicId} published {(await turn.Published - start).TotalSeconds:0.0} s");
                    }
                    pending.Clear();
                }
            }
            if (time.GetUtcNow() - reported >= TimeSpan.FromMinutes(30))
            {
                reported = time.GetUtcNow();
                progress.WriteLine($"    simulated {reported - start:h\\:mm} of 2:00");
            }
        }
        await bridge.StopAsync(cancellationToken);

        var records = cloud.Calls.Records();
        foreach (var r in records)
        {
            Trace(progress, $"    {(r.Timestamp - start).TotalSeconds,8:0.0} s  {r.Surface} {r.Operation} {r.StatusCode}");
        }
        return new CallsScenario(push, turnsPerHour, Count(records, start, start + Hour), Count(records, start + Hour, start + 2 * Hour), samples,
            connections);
    }

    // S2M_BENCH_TRACE=1 lists every cloud call and every polled change.
    private static void Trace(TextWriter progress, string line)
    {
        if (Environment.GetEnvironmentVariable("S2M_BENCH_TRACE") == "1")
        {
            progress.WriteLine(line);
        }
    }

    private sealed record PendingTurn(BenchLock Lock, DateTimeOffset At, Task<DateTimeOffset> Published, Task<CallRecord> LogRead);

    // Thumbturns at random instants, turnsPerHour in each of the two hours; the same seed gives push off and on the same ones.
    private static List<DateTimeOffset> Schedule(DateTimeOffset start, int turnsPerHour)
    {
        var random = new Random(BenchWorld.Seed);
        var instants = new List<DateTimeOffset>();
        for (var hour = 0; hour < 2; hour++)
        {
            for (var i = 0; i < turnsPerHour; i++)
            {
                instants.Add(start + hour * Hour + TimeSpan.FromTicks((long)(random.NextDouble() * Hour.Ticks)));
            }
        }
        instants.Sort();
        return instants;
    }

    // A lock with no change still waiting for a poll, so each change is seen on its own.
    private static BenchLock Pick(BenchWorld world, List<PendingTurn> pending, Random random)
    {
        while (true)
        {
            var candidate = world.Locks[random.Next(world.Locks.Count)];
            if (pending.All(p => p.Lock.DeviceId != candidate.DeviceId))
            {
                return candidate;
            }
        }
    }

    private static PendingTurn Turn(BenchLock target, DateTimeOffset now, SchlageCloudSimulator cloud, CallWatcher calls, Observer observer,
        Dictionary<string, bool> locked)
    {
        var state = !locked[target.DeviceId];
        var published = observer.Expect(target.TopicId, state ? "LOCKED" : "UNLOCKED");
        // Every change the bridge sees makes it read that lock's activity log once.
        var logRead = calls.Expect(nameof(ApiEndpoint.GetLogs), target.DeviceId);
        cloud.Admin.TurnThumbturn(target.DeviceId, state);
        locked[target.DeviceId] = state;
        return new PendingTurn(target, now, published, logRead);
    }

    // The new state published and the log read it causes under way, so the next quiet check covers that read.
    private static async Task SettleAsync(PendingTurn turn, Samples samples, CancellationToken cancellationToken)
    {
        samples.Add(await Within(turn.Published, $"the new state of {turn.Lock.Name}", cancellationToken) - turn.At);
        await Within(turn.LogRead, $"the activity read of {turn.Lock.Name}", cancellationToken);
    }

    private static async Task<T> Within<T>(Task<T> task, string what, CancellationToken cancellationToken)
    {
        try
        {
            return await task.WaitAsync(Limit, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"No {what} within {Limit.TotalSeconds:0} s of real time.");
        }
    }

    private static async Task WaitForAsync(Func<bool> condition, Func<string> what, CancellationToken cancellationToken)
    {
        var limit = DateTime.UtcNow + Limit;
        while (!condition())
        {
            if (DateTime.UtcNow > limit)
            {
                throw new TimeoutException($"Waited {Limit.TotalSeconds:0} s for {what()}.");
            }
            await Task.Delay(5, cancellationToken);
        }
    }

    private static HourCount Count(IReadOnlyList<CallRecord> records, DateTimeOffset from, DateTimeOffset to)
    {
        var hour = records.Where(r => r.Timestamp >= from && r.Timestamp < to).ToList();
        var rest = hour.Where(r => r.Surface == CallSurface.Api).ToList();
        var cognito = hour.Where(r => r.Surface == CallSurface.Cognito).ToList();
        return new HourCount(
            rest.Count,
            rest.Count(r => r.Operation == nameof(ApiEndpoint.ListDevices)),
            cognito.Count,
            cognito.Count(r => r.Operation == CognitoOperations.RespondPasswordVerifier && r.StatusCode == 200),
            cognito.Count(r => r.Operation == CognitoOperations.Refresh && r.StatusCode == 200),
            rest.GroupBy(r => r.Operation, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal));
    }

    // Quiet: no request under way, the idle bridge's timers armed again, and no new call recorded and no timer
    // activity for two consecutive checks a millisecond apart.
    private static async Task QuietAsync(CallLog calls, InFlightHandler inFlight, FiringTimeProvider time, int idleTimers, CancellationToken cancellationToken)
    {
        var limit = DateTime.UtcNow + Limit;
        var last = (calls.LastSequence, time.Activity);
        var quiet = 0;
        while (quiet < 2)
        {
            await Task.Delay(1, cancellationToken);
            var now = (calls.LastSequence, time.Activity);
            quiet = inFlight.InFlight == 0 && time.Armed >= idleTimers && now == last ? quiet + 1 : 0;
            last = now;
            if (DateTime.UtcNow > limit)
            {
                throw new TimeoutException($"The bridge did not go idle ({inFlight.InFlight} requests under way, {time.Armed} timers armed).");
            }
        }
    }
}
