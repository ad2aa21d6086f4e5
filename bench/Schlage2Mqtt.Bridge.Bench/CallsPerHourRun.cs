using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Mqtt;
using Schlage2Mqtt.Schlage.Auth;
using Schlage2Mqtt.Schlage.Options;
using Schlage2Mqtt.Schlage.Provider;
using Schlage2Mqtt.Simulator;
using Schlage2Mqtt.Simulator.Calls;
using Schlage2Mqtt.TestSupport;

namespace Schlage2Mqtt.Bridge.Bench;

/// <summary>Cloud calls in one simulated hour.</summary>
internal sealed record HourCount(long Rest, long RestLists, long Cognito, long SrpLogins, long Refreshes);

/// <summary>What the calls-per-hour run counted.</summary>
internal sealed record CallsPerHourResult(int Locks, TimeSpan PollInterval, HourCount First, HourCount Second);

/// <summary>
/// Cloud calls per hour of an idle bridge with one account of N locks at the default settings (60 s poll interval with
/// its ±10% jitter, default budget). The bridge is composed in this process from its public parts (BridgeRuntime, the
/// Schlage provider, the reconnecting MQTT client against a real mosquitto; no state store, which makes no calls) so
/// that the bridge, its cloud client and the simulator share one manual clock, moved from one due timer to the next
/// for two simulated hours; after each move the driver waits until the work the timer started is done and the bridge
/// sleeps again. Only the MQTT client keeps real time (it makes no cloud calls). The jitter's Random has a fixed seed.
/// </summary>
internal static class CallsPerHourRun
{
    // An idle bridge keeps two timers armed: the account's poll loop and the health loop.
    private const int IdleTimers = 2;
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    public static async Task<CallsPerHourResult> RunAsync(int locks, ILoggerFactory loggers, TextWriter progress, CancellationToken cancellationToken)
    {
        var world = BenchWorld.Create(1, locks);
        var account = world.Accounts[0];
        var clock = new ManualTimeProvider();
        var time = new FiringTimeProvider(clock);
        await using var broker = await MosquittoBroker.StartAsync();
        await using var cloud = new SchlageCloudSimulator(world.SimulatorOptions(TimeSpan.Zero), time);
        await cloud.StartAsync(cancellationToken);

        var inFlight = new InFlightHandler(new SocketsHttpHandler());
        using var http = new HttpClient(inFlight) { Timeout = Timeout.InfiniteTimeSpan };
        var cloudOptions = new SchlageCloudOptions
        {
            ApiBaseUrl = new Uri(cloud.ApiBaseUrl.AbsoluteUri.TrimEnd('/') + "/"),
            Cognito = new CognitoOptions { Endpoint = cloud.CognitoUrl, UserPoolId = cloud.Options.UserPoolId },
            Accounts = [new SchlageAccountOptions { Key = account.Key, Username = account.Email, Password = account.Password }],
        };
        using var provider = new SchlageLockCloudProvider(cloudOptions, new InMemoryRefreshTokenStore(), http, time, loggers);
        var bridgeOptions = new BridgeOptions { Version = "bench" };
        // As the daemon configures it (LayerOptions.Mqtt): persistent session, will, MQTT 5.
        await using var mqtt = new ReconnectingMqttClient(new MqttClientOptions
        {
            Server = broker.TcpUrl,
            ClientId = "s2m-bench-calls",
            ProtocolVersion = MqttProtocolVersion.V500,
            CleanStart = false,
            SessionExpiryInterval = TimeSpan.FromMinutes(10),
            Will = BridgeRuntime.WillMessage(bridgeOptions),
        }, null, loggers.CreateLogger<ReconnectingMqttClient>(), TimeProvider.System);
        await using var bridge = new BridgeRuntime(bridgeOptions, mqtt, [provider], null, time, loggers, new Random(BenchWorld.Seed));

        var start = time.GetUtcNow();
        var stop = start + 2 * Hour;
        await bridge.StartAsync(cancellationToken);
        // The first poll (and the SRP login before it) runs at once, with the manual clock standing still.
        while (cloud.Calls.Count(nameof(Simulator.Faults.ApiEndpoint.ListDevices)) == 0)
        {
            await Task.Delay(5, cancellationToken);
        }
        await QuietAsync(cloud.Calls, inFlight, time, cancellationToken);
        await Task.Delay(200, cancellationToken);

        // Straight to the next timer that is due, then wait until the work it started is done and the bridge sleeps again.
        var reported = start;
        while (true)
        {
            await QuietAsync(cloud.Calls, inFlight, time, cancellationToken);
            var now = time.GetUtcNow();
            if (now >= stop)
            {
                break;
            }
            var next = time.NextDue ?? stop;
            var target = next < stop ? next : stop;
            clock.Advance(target > now ? target - now : TimeSpan.Zero);
            if (time.GetUtcNow() - reported >= TimeSpan.FromMinutes(30))
            {
                reported = time.GetUtcNow();
                progress.WriteLine($"  simulated {reported - start:h\\:mm} of 2:00");
            }
        }
        await bridge.StopAsync(cancellationToken);

        var records = cloud.Calls.Records();
        if (Environment.GetEnvironmentVariable("S2M_BENCH_TRACE") == "1")
        {
            foreach (var r in records)
            {
                progress.WriteLine($"  {(r.Timestamp - start).TotalSeconds,8:0.0} s  {r.Surface} {r.Operation} {r.StatusCode}");
            }
        }
        return new CallsPerHourResult(locks, bridgeOptions.PollInterval, Count(records, start, start + Hour), Count(records, start + Hour, start + 2 * Hour));
    }

    private static HourCount Count(IReadOnlyList<CallRecord> records, DateTimeOffset from, DateTimeOffset to)
    {
        var hour = records.Where(r => r.Timestamp >= from && r.Timestamp < to).ToList();
        var rest = hour.Where(r => r.Surface == CallSurface.Api).ToList();
        var cognito = hour.Where(r => r.Surface == CallSurface.Cognito).ToList();
        return new HourCount(
            rest.Count,
            rest.Count(r => r.Operation == nameof(Simulator.Faults.ApiEndpoint.ListDevices)),
            cognito.Count,
            cognito.Count(r => r.Operation == CognitoOperations.RespondPasswordVerifier && r.StatusCode == 200),
            cognito.Count(r => r.Operation == CognitoOperations.Refresh && r.StatusCode == 200));
    }

    // Quiet: no request under way, the idle bridge's timers (poll loop, health loop) armed again, and no new call
    // recorded and no timer activity for two consecutive checks a millisecond apart.
    private static async Task QuietAsync(CallLog calls, InFlightHandler inFlight, FiringTimeProvider time, CancellationToken cancellationToken)
    {
        var limit = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        var last = (calls.LastSequence, time.Activity);
        var quiet = 0;
        while (quiet < 2)
        {
            await Task.Delay(1, cancellationToken);
            var now = (calls.LastSequence, time.Activity);
            quiet = inFlight.InFlight == 0 && time.Armed >= IdleTimers && now == last ? quiet + 1 : 0;
            last = now;
            if (DateTime.UtcNow > limit)
            {
                throw new TimeoutException($"The bridge did not go idle ({inFlight.InFlight} requests under way, {time.Armed} timers armed).");
            }
        }
    }
}
