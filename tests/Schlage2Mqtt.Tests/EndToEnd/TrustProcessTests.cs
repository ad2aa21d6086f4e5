using System.Globalization;
using System.Text.Json.Nodes;
using Schlage2Mqtt.Simulator;
using Schlage2Mqtt.Simulator.Faults;
using Schlage2Mqtt.TestSupport;

namespace Schlage2Mqtt.Tests.EndToEnd;

/// <summary>
/// Issue 11, items 1-4, through the daemon as a process and a real mosquitto, under MQTT 5 and 3.1.1: retained
/// commands are never acted on, commands queued while the bridge was away are carried out, clearing a retained command
/// is quiet, and a restart while the cloud is down shows every lock offline.
/// </summary>
[Collection(EndToEndGroup.Name)]
public sealed class TrustProcessTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "s2m-trust-" + Guid.NewGuid().ToString("N"));

    public TrustProcessTests()
    {
        Directory.CreateDirectory(_dir);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string WriteConfig(BridgeWorld world, string protocol) => new DaemonConfigFile
    {
        Mqtt = ["client_id: s2m-trust-daemon", $"protocol_version: {protocol}"],
        Schlage = ["max_calls_per_minute: 600", "poll_interval: 15s", "push:", "  mode: off"],
        Accounts = [new("demo", DemoWorld.Email, DemoWorld.Password)],
        Extra = "log_level: debug\n",
    }.WriteTo(world, _dir);

    private static async Task<DaemonProcess> StartDaemonAsync(BridgeWorld world, string config)
    {
        var daemon = DaemonProcess.Start(null, "run", "--config", config);
        await daemon.WaitForOutputAsync("Bridge starting", Limit);
        return daemon;
    }

    private static int LockState(BridgeWorld world, string deviceId) => world.Cloud.Admin.Lock(deviceId).LockState;

    [Theory]
    [InlineData("5")]
    [InlineData("3.1.1")]
    public async Task A_retained_UNLOCK_replayed_at_start_is_never_acted_on_and_clearing_it_is_quiet(string protocol)
    {
        await using var world = await BridgeWorld.StartAsync(new WorldOptions { Protocol = protocol }, startBridge: false);
        Assert.Equal(1, LockState(world, DemoWorld.FrontDoorId));
        await world.Observer.PublishAsync("schlage2mqtt/front_door/set", "UNLOCK", retain: true);

        await using var daemon = await StartDaemonAsync(world, WriteConfig(world, protocol));
        await world.WaitForLocksAsync();
        var info = await world.Observer.WaitOnAsync("schlage2mqtt/bridge/info", p => p.Contains("retained_command_guard", StringComparison.Ordinal));
        Assert.Equal(protocol == "5" ? "full" : "replay_only", JsonNode.Parse(info.Payload)!["retained_command_guard"]!.GetValue<string>());

        if (protocol != "5")
        {
            // MQTT 3.1.1 replays it at subscribe with the flag set: caught and reported with the fix.
            var warning = await world.Observer.WaitOnAsync("schlage2mqtt/bridge/log", p => p.Contains("RETAINED", StringComparison.Ordinal));
            Assert.Contains("mosquitto_pub -r -n -t 'schlage2mqtt/front_door/set'", JsonNode.Parse(warning.Payload)!["hint"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        // The fix from the README: clear it. That empty retained message is not a command and warns about nothing.
        var mark = world.Observer.Mark();
        await world.Observer.PublishAsync("schlage2mqtt/front_door/set", "", retain: true);
        await world.Observer.PublishAsync("schlage2mqtt/bridge/request/health_check", """{"transaction": "after"}""");
        await world.Observer.WaitOnAsync("schlage2mqtt/bridge/response/health_check", p => p.Contains("after", StringComparison.Ordinal), since: mark);
        Assert.Empty(world.Observer.On("schlage2mqtt/bridge/log", mark));

        Assert.Equal(1, LockState(world, DemoWorld.FrontDoorId));
        Assert.DoesNotContain(world.Cloud.Calls.Records(), r => r.Operation == "PutDevice" && r.DeviceId == DemoWorld.FrontDoorId);
    }

    [Fact]
    public async Task Under_MQTT5_a_retained_UNLOCK_published_live_or_queued_while_the_bridge_is_away_is_dropped()
    {
        await using var world = await BridgeWorld.StartAsync(new WorldOptions { Persistence = true }, startBridge: false);
        var config = WriteConfig(world, "5");
        var daemon = await StartDaemonAsync(world, config);
        try
        {
            await world.WaitForLocksAsync();
            await world.Observer.WaitOnAsync("schlage2mqtt/bridge/info", p => p.Contains("\"full\"", StringComparison.Ordinal));
            var mark = world.Observer.Mark();

            // Live: the broker would clear the flag on delivery without Retain As Published.
            await world.Observer.PublishAsync("schlage2mqtt/front_door/set", "UNLOCK", retain: true);
            var warning = await world.Observer.WaitOnAsync("schlage2mqtt/bridge/log", p => p.Contains("RETAINED", StringComparison.Ordinal), since: mark);
            Assert.Contains("front_door", warning.Payload, StringComparison.Ordinal);
            Assert.Contains("Ignored a RETAINED message on schlage2mqtt/front_door/set", daemon.Output, StringComparison.Ordinal);

            // Queued in the persistent session while the bridge is away.
            daemon.Signal("KILL");
            await daemon.WaitForExitAsync(Limit);
        }
        finally
        {
            await daemon.DisposeAsync();
        }
        // The back door is unlocked: a LOCK acted on would show.
        Assert.Equal(0, LockState(world, DemoWorld.BackDoorId));
        await world.Observer.PublishAsync("schlage2mqtt/back_door/set", "LOCK", retain: true);
        var again = world.Observer.Mark();
        await using var restarted = await StartDaemonAsync(world, config);
        await world.Observer.WaitOnAsync("schlage2mqtt/bridge/log", p => p.Contains("back_door/set", StringComparison.Ordinal) && p.Contains("RETAINED", StringComparison.Ordinal), since: again);
        await world.Observer.WaitOnAsync("schlage2mqtt/back_door/availability", p => p == "online", since: again);

        Assert.Equal(1, LockState(world, DemoWorld.FrontDoorId));
        Assert.Equal(0, LockState(world, DemoWorld.BackDoorId));
        Assert.DoesNotContain(world.Cloud.Calls.Records(), r => r.Operation == "PutDevice");
    }

    [Theory]
    [InlineData("5")]
    [InlineData("3.1.1")]
    public async Task QoS1_commands_sent_while_the_bridge_is_down_are_carried_out_after_it_starts(string protocol)
    {
        await using var world = await BridgeWorld.StartAsync(new WorldOptions { Protocol = protocol, Persistence = true }, startBridge: false);
        var config = WriteConfig(world, protocol);
        var first = await StartDaemonAsync(world, config);
        try
        {
            await world.WaitForLocksAsync();
            await world.Observer.WaitOnAsync("schlage2mqtt/bridge/state", p => p == "online");
            first.Signal("TERM");
            await first.WaitForExitAsync(Limit);
        }
        finally
        {
            await first.DisposeAsync();
        }
        var before = LockState(world, DemoWorld.GarageSideId);
        var wanted = before == 1 ? "UNLOCK" : "LOCK";
        // Slow the first list, so the session's queued command surely arrives before any lock is known.
        world.Cloud.Admin.AddFault(FaultRule.Latency(TimeSpan.FromSeconds(2), ApiEndpoint.ListDevices) with { Count = 1 });
        var mark = world.Observer.Mark();
        await world.Observer.PublishAsync("schlage2mqtt/garage_side/set", wanted);
        await world.Observer.PublishAsync("schlage2mqtt/bridge/request/lock", """{"lock": "front_door", "action": "unlock", "transaction": "queued"}""");

        await using var daemon = await StartDaemonAsync(world, config);

        var response = await world.Observer.WaitOnAsync("schlage2mqtt/bridge/response/lock", p => p.Contains("queued", StringComparison.Ordinal), since: mark, limit: TimeSpan.FromSeconds(90));
        Assert.Equal("ok", JsonNode.Parse(response.Payload)!["status"]!.GetValue<string>());
        await BridgeWorldWaits.UntilAsync(() => LockState(world, DemoWorld.GarageSideId) != before, TimeSpan.FromSeconds(90), "the queued garage_side command to apply");
        Assert.Equal(0, LockState(world, DemoWorld.FrontDoorId));
        Assert.DoesNotContain(world.Observer.On("schlage2mqtt/bridge/log", mark), m => m.Payload.Contains("unknown_lock", StringComparison.Ordinal));
        Assert.Contains("held since the start", daemon.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("5")]
    [InlineData("3.1.1")]
    public async Task A_restart_while_the_cloud_is_down_shows_every_remembered_lock_offline(string protocol)
    {
        await using var world = await BridgeWorld.StartAsync(new WorldOptions { Protocol = protocol }, startBridge: false);
        var config = WriteConfig(world, protocol);
        var first = await StartDaemonAsync(world, config);
        try
        {
            await world.WaitForLocksAsync();
            foreach (var id in new[] { "front_door", "back_door", "garage_side" })
            {
                await world.Observer.WaitOnAsync($"schlage2mqtt/{id}/availability", p => p == "online");
            }
            // The topic ids are saved (fsync and rename) just after the first publishes: let that finish before the kill.
            await BridgeWorldWaits.UntilAsync(() => File.Exists(Path.Combine(_dir, "state", "topics.json")), Limit, "topics.json to be written");
            first.Signal("KILL");
            await first.WaitForExitAsync(Limit);
        }
        finally
        {
            await first.DisposeAsync();
        }

        world.Cloud.Admin.AddFault(FaultRule.Error(503, ApiEndpoint.ListDevices));
        var mark = world.Observer.Mark();
        await using var daemon = await StartDaemonAsync(world, config);
        await world.Observer.WaitOnAsync("schlage2mqtt/bridge/state", p => p == "online", since: mark);
        try
        {
            foreach (var id in new[] { "front_door", "back_door", "garage_side" })
            {
                await world.Observer.WaitOnAsync($"schlage2mqtt/{id}/availability", p => p == "offline", since: mark);
            }
        }
        catch (TimeoutException ex)
        {
            var topics = Path.Combine(_dir, "state", "topics.json");
            throw new TimeoutException($"{ex.Message}\ntopics.json: {(File.Exists(topics) ? File.ReadAllText(topics) : "missing")}\nDaemon:\n{daemon.Output}", ex);
        }
        // A late subscriber (Home Assistant after its own restart) sees offline retained, not the old online.
        await using var late = await ObserverClient.ConnectAsync(world.Broker.TcpUrl, "schlage2mqtt/+/availability");
        var retained = await late.WaitOnAsync("schlage2mqtt/front_door/availability");
        Assert.Equal("offline", retained.Payload);
        Assert.DoesNotContain(world.Observer.On("schlage2mqtt/front_door/availability", mark), m => m.Payload == "online");

        world.Cloud.Admin.ClearFaults();
        await world.Observer.WaitOnAsync("schlage2mqtt/front_door/availability", p => p == "online", since: mark, limit: TimeSpan.FromSeconds(90));
    }
}

/// <summary>Waits on a condition outside MQTT (the simulator's state), with a limit and a message.</summary>
internal static class BridgeWorldWaits
{
    public static async Task UntilAsync(Func<bool> condition, TimeSpan limit, string what)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("Never happened: " + what);
            }
            await Task.Delay(50);
        }
    }
}
