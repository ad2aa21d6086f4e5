using System.Text.Json.Nodes;
using Schlage2Mqtt.Simulator;
using Schlage2Mqtt.TestSupport;

namespace Schlage2Mqtt.Tests.EndToEnd;

[Collection(EndToEndGroup.Name)]
public sealed class DiscoveryEndToEndTests
{
    private static readonly string[] DeviceIds = [DemoWorld.FrontDoorId, DemoWorld.BackDoorId, DemoWorld.GarageSideId];

    [Fact]
    public async Task Discovery_of_every_lock_and_the_bridge_is_retained_and_valid_for_home_assistant()
    {
        await using var world = await BridgeWorld.StartAsync();
        await world.WaitForLocksAsync();
        foreach (var id in DeviceIds)
        {
            var config = await world.Observer.WaitOnAsync($"homeassistant/device/schlage_{id}/config", p => p.Length > 0);
            Assert.Empty(HomeAssistantDiscoveryValidator.ValidateDeviceConfig(config.Payload));
        }
        var bridge = await world.Observer.WaitOnAsync("homeassistant/device/schlage2mqtt_schlage2mqtt/config");
        Assert.Empty(HomeAssistantDiscoveryValidator.ValidateDeviceConfig(bridge.Payload));

        // A subscriber arriving later gets them from the broker's retained store.
        await using var late = await ObserverClient.ConnectAsync(world.Broker.TcpUrl, "homeassistant/device/+/config", "schlage2mqtt/+");
        foreach (var id in DeviceIds)
        {
            var retained = await late.WaitOnAsync($"homeassistant/device/schlage_{id}/config");
            Assert.True(retained.Retain);
        }
        Assert.True((await late.WaitOnAsync("schlage2mqtt/front_door")).Retain);

        // The Sense model offers its own auto-lock values; the Encode Plus adds 300 s.
        var sense = JsonNode.Parse(world.Observer.On($"homeassistant/device/schlage_{DemoWorld.GarageSideId}/config").Last().Payload)!;
        Assert.DoesNotContain("300", sense["cmps"]!["auto_lock_time"]!["ops"]!.AsArray().Select(o => o!.GetValue<string>()));
        var plus = JsonNode.Parse(world.Observer.On($"homeassistant/device/schlage_{DemoWorld.FrontDoorId}/config").Last().Payload)!;
        Assert.Contains("300", plus["cmps"]!["auto_lock_time"]!["ops"]!.AsArray().Select(o => o!.GetValue<string>()));
    }

    [Fact]
    public async Task Home_assistant_birth_message_gets_discovery_and_state_published_again()
    {
        await using var world = await BridgeWorld.StartAsync();
        await world.WaitForLocksAsync();
        await world.Observer.WaitOnAsync("schlage2mqtt/bridge/health");
        var mark = world.Observer.Mark();

        await world.Observer.PublishAsync("homeassistant/status", "online", qos: Mqtt.MqttQualityOfService.AtMostOnce);

        foreach (var id in DeviceIds)
        {
            await world.Observer.WaitOnAsync($"homeassistant/device/schlage_{id}/config", since: mark);
        }
        await world.Observer.WaitOnAsync("schlage2mqtt/front_door", since: mark);
    }

    [Fact]
    public async Task Startup_removes_stale_discovery_this_bridge_left_and_leaves_other_configs_alone()
    {
        await using var world = await BridgeWorld.StartAsync(startBridge: false);
        const string staleTopic = "homeassistant/device/schlage_0ld10ck-0000/config";
        const string otherTopic = "homeassistant/device/zigbee_1234/config";
        await world.Observer.PublishAsync(staleTopic,
            """{"dev":{"ids":["schlage_0ld10ck-0000"],"name":"Old","via_device":"schlage2mqtt_schlage2mqtt"},"o":{"name":"schlage2mqtt"},"cmps":{"lock":{"p":"lock","uniq_id":"x","cmd_t":"schlage2mqtt/old/set"}}}""",
            retain: true);
        await world.Observer.PublishAsync(otherTopic, """{"dev":{"ids":["z"]},"o":{"name":"zigbee2mqtt"},"cmps":{}}""", retain: true);
        var mark = world.Observer.Mark();

        await world.StartBridgeAsync();

        await world.Observer.WaitOnAsync(staleTopic, p => p.Length == 0, since: mark);
        await world.WaitForLocksAsync();
        Assert.DoesNotContain(world.Observer.On(otherTopic, mark), m => m.Payload.Length == 0);
    }

    [Fact]
    public async Task A_lock_removed_from_the_account_loses_its_discovery_and_retained_topics()
    {
        await using var world = await BridgeWorld.StartAsync();
        await world.WaitForLocksAsync();
        var mark = world.Observer.Mark();

        Assert.True(world.Cloud.Admin.RemoveLock(DemoWorld.GarageSideId));

        await world.Observer.WaitOnAsync($"homeassistant/device/schlage_{DemoWorld.GarageSideId}/config", p => p.Length == 0, since: mark);
        await world.Observer.WaitOnAsync("schlage2mqtt/garage_side", p => p.Length == 0, since: mark);
        await world.Observer.WaitOnAsync("schlage2mqtt/garage_side/availability", p => p.Length == 0, since: mark);
        await world.Observer.WaitOnAsync("schlage2mqtt/bridge/info", p => !p.Contains("garage_side", StringComparison.Ordinal), since: mark);
    }
}
