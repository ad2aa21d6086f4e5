using System.Text;
using System.Text.Json.Nodes;
using Schlage2Mqtt.Simulator;

namespace Schlage2Mqtt.Tests.EndToEnd;

[Collection(EndToEndGroup.Name)]
public sealed class CommandEndToEndTests
{
    private static string? State(Observed m) => m.Payload.Length == 0 ? null : JsonNode.Parse(m.Payload)!["state"]!.GetValue<string>();

    [Fact]
    public async Task Plain_UNLOCK_shows_UNLOCKING_at_once_then_the_confirmed_UNLOCKED()
    {
        await using var world = await BridgeWorld.StartAsync();
        await world.WaitForLocksAsync();
        var mark = world.Observer.Mark();

        await world.Observer.PublishAsync("schlage2mqtt/front_door/set", "unlock");

        var unlocking = await world.Observer.WaitAsync(m => m.Topic == "schlage2mqtt/front_door" && State(m) == "UNLOCKING", mark);
        var unlocked = await world.Observer.WaitAsync(m => m.Topic == "schlage2mqtt/front_door" && State(m) == "UNLOCKED", mark);
        Assert.True(unlocking.Index < unlocked.Index);
        Assert.Equal("mobile: Demo Household", JsonNode.Parse(unlocked.Payload)!["last_changed_by"]!.GetValue<string>());
        Assert.Equal(1, world.Cloud.Calls.Records().Count(r => r.Operation == "PutDevice" && r.DeviceId == DemoWorld.FrontDoorId));
    }

    [Fact]
    public async Task Lock_request_with_an_MQTT5_response_topic_is_answered_there_with_the_correlation_data_once_confirmed()
    {
        await using var world = await BridgeWorld.StartAsync();
        await using var requester = await ObserverClient.ConnectAsync(world.Broker.TcpUrl, "replies/#");
        await world.WaitForLocksAsync();
        var correlation = Encoding.UTF8.GetBytes("req-7");

        await requester.PublishAsync("schlage2mqtt/bridge/request/lock", """{"lock": "back_door", "action": "lock"}""",
            responseTopic: "replies/me", correlation: correlation);

        var reply = await requester.WaitOnAsync("replies/me");
        var body = JsonNode.Parse(reply.Payload)!;
        Assert.Equal("ok", body["status"]!.GetValue<string>());
        Assert.Equal("LOCKED", body["data"]!["state"]!["state"]!.GetValue<string>());
        Assert.Equal(correlation, reply.CorrelationData);
        Assert.Empty(world.Observer.On("schlage2mqtt/bridge/response/lock"));
    }

    [Fact]
    public async Task Lock_request_without_response_topic_answers_on_the_response_topic_echoing_the_transaction()
    {
        await using var world = await BridgeWorld.StartAsync();
        await world.WaitForLocksAsync();

        await world.Observer.PublishAsync("schlage2mqtt/bridge/request/lock", """{"lock": "Front Door", "action": "UNLOCK", "transaction": "t-42"}""");

        var response = JsonNode.Parse((await world.Observer.WaitOnAsync("schlage2mqtt/bridge/response/lock")).Payload)!;
        Assert.Equal("ok", response["status"]!.GetValue<string>());
        Assert.Equal("t-42", response["transaction"]!.GetValue<string>());
        Assert.Equal("front_door", response["data"]!["lock"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_offline_lock_answers_an_error_with_a_hint_and_its_state_reverts()
    {
        await using var world = await BridgeWorld.StartAsync();
        await world.WaitForLocksAsync();
        world.Cloud.Admin.GoOffline(DemoWorld.FrontDoorId, 409);
        await world.Observer.WaitOnAsync("schlage2mqtt/front_door/availability", p => p == "offline");
        var mark = world.Observer.Mark();

        await world.Observer.PublishAsync("schlage2mqtt/bridge/request/lock", """{"lock": "front_door", "action": "unlock", "transaction": 1}""");

        var response = JsonNode.Parse((await world.Observer.WaitOnAsync("schlage2mqtt/bridge/response/lock", since: mark)).Payload)!;
        Assert.Equal("error", response["status"]!.GetValue<string>());
        Assert.Equal("lock_offline", response["error"]!["code"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(response["error"]!["hint"]!.GetValue<string>()));
        var log = await world.Observer.WaitOnAsync("schlage2mqtt/bridge/log", p => p.Contains("lock_offline", StringComparison.Ordinal), since: mark);
        Assert.Contains("front_door", log.Payload, StringComparison.Ordinal);
        var states = world.Observer.On("schlage2mqtt/front_door", mark).Select(State).ToList();
        Assert.Equal("UNLOCKING", states.First());
        Assert.NotEqual("UNLOCKING", states.Last());
    }

    [Theory]
    [InlineData("5")]
    [InlineData("3.1.1")]
    public async Task A_retained_UNLOCK_never_reaches_the_cloud(string protocol)
    {
        await using var world = await BridgeWorld.StartAsync(new WorldOptions { Protocol = protocol }, startBridge: false);
        await world.Observer.PublishAsync("schlage2mqtt/front_door/set", "UNLOCK", retain: true);
        await world.Observer.PublishAsync("schlage2mqtt/bridge/request/lock", """{"lock":"front_door","action":"unlock"}""", retain: true);

        await world.StartBridgeAsync();
        await world.WaitForLocksAsync();
        // Two full polls later the bridge has long seen (or been spared) the retained messages.
        var lists = world.Cloud.Calls.Count("ListDevices");
        await WaitForCallsAsync(world, "ListDevices", lists + 2);

        Assert.DoesNotContain(world.Cloud.Calls.Records(), r => r.Operation is "PutDevice" or "PostCommand");
        Assert.DoesNotContain(world.Observer.Messages, m => m.Topic == "schlage2mqtt/front_door" && State(m) == "UNLOCKING");
        if (protocol == "3.1.1")
        {
            // No retain handling under 3.1.1: the broker replays them and the bridge drops them, counted.
            await world.Observer.PublishAsync("schlage2mqtt/bridge/request/health_check", "{}");
            var health = JsonNode.Parse((await world.Observer.WaitOnAsync("schlage2mqtt/bridge/response/health_check")).Payload)!;
            Assert.Equal(2, health["data"]!["bridge"]!["retained_dropped"]!.GetValue<int>());
        }
    }

    [Fact]
    public async Task Thumbturn_and_keypad_changes_reach_the_state_topic_by_the_next_poll_and_a_quiet_poll_publishes_nothing()
    {
        await using var world = await BridgeWorld.StartAsync();
        await world.WaitForLocksAsync();
        await world.Observer.WaitOnAsync("schlage2mqtt/bridge/health");
        // Let start-up settle (the connect announcement and the first poll may land in either order).
        await WaitForCallsAsync(world, "ListDevices", world.Cloud.Calls.Count("ListDevices") + 1);

        var quiet = world.Observer.Mark();
        await WaitForCallsAsync(world, "ListDevices", world.Cloud.Calls.Count("ListDevices") + 3);
        var noisy = world.Observer.Messages.Skip(quiet).Where(m => !m.Topic.StartsWith("schlage2mqtt/bridge/", StringComparison.Ordinal)).ToList();
        Assert.True(noisy.Count == 0, "published without a change: " + string.Join("; ", noisy.Select(m => $"{m.Topic} {m.Payload}")));

        var mark = world.Observer.Mark();
        world.Cloud.Admin.TurnThumbturn(DemoWorld.FrontDoorId, locked: false);
        var byHand = await world.Observer.WaitAsync(m => m.Topic == "schlage2mqtt/front_door" && State(m) == "UNLOCKED", mark);
        Assert.Equal("thumbturn", JsonNode.Parse(byHand.Payload)!["last_changed_by"]!.GetValue<string>());

        world.Cloud.Admin.TurnThumbturn(DemoWorld.FrontDoorId, locked: true);
        mark = (await world.Observer.WaitAsync(m => m.Topic == "schlage2mqtt/front_door" && State(m) == "LOCKED", mark)).Index;
        Assert.True(world.Cloud.Admin.EnterKeypadCode(DemoWorld.FrontDoorId, "2580").ToString().Length > 0);
        var byCode = await world.Observer.WaitAsync(m => m.Topic == "schlage2mqtt/front_door" && State(m) == "UNLOCKED", mark);
        Assert.Equal("keypad: Family", JsonNode.Parse(byCode.Payload)!["last_changed_by"]!.GetValue<string>());
    }

    [Fact]
    public async Task Settings_commands_change_beeper_one_touch_and_auto_lock()
    {
        await using var world = await BridgeWorld.StartAsync();
        await world.WaitForLocksAsync();
        var mark = world.Observer.Mark();

        await world.Observer.PublishAsync("schlage2mqtt/front_door/set/beeper", "OFF");
        await world.Observer.WaitOnAsync("schlage2mqtt/front_door", p => p.Contains("\"beeper\":false", StringComparison.Ordinal), since: mark);
        await world.Observer.PublishAsync("schlage2mqtt/front_door/set", """{"lock_and_leave": false, "auto_lock_time": 300}""");
        await world.Observer.WaitOnAsync("schlage2mqtt/front_door",
            p => p.Contains("\"lock_and_leave\":false", StringComparison.Ordinal) && p.Contains("\"auto_lock_time\":300", StringComparison.Ordinal), since: mark);

        // The Sense model has no 300 s: refused before any cloud call, with the allowed values.
        mark = world.Observer.Mark();
        await world.Observer.PublishAsync("schlage2mqtt/garage_side/set/auto_lock_time", "300");
        var log = await world.Observer.WaitOnAsync("schlage2mqtt/bridge/log", p => p.Contains("invalid_value", StringComparison.Ordinal), since: mark);
        Assert.Contains("240", log.Payload, StringComparison.Ordinal);

        var device = world.Cloud.Admin.Lock(DemoWorld.FrontDoorId);
        Assert.NotNull(device);
    }

    internal static async Task WaitForCallsAsync(BridgeWorld world, string operation, long count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (world.Cloud.Calls.Count(operation) < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the bridge made only {world.Cloud.Calls.Count(operation)} {operation} calls");
            await Task.Delay(50);
        }
    }
}
