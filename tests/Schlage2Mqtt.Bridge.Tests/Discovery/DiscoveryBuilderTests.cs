using System.Text.Json.Nodes;
using Schlage2Mqtt.Bridge.Discovery;
using Schlage2Mqtt.Cloud;
using Schlage2Mqtt.TestSupport;

namespace Schlage2Mqtt.Bridge.Tests.Discovery;

public sealed class DiscoveryBuilderTests
{
    private static readonly DiscoveryLock Front = new("0b5c-1111", "front_door", "Front Door", "Encode Plus", "1.2.3", "SN1",
        LockCapabilities.Assumed with { AutoLock = new AutoLockCapability([0, 15, 30, 60, 120, 240, 300]), DoorSensor = true });

    private static readonly DiscoveryLock Garage = new("0b5c-2222", "garage", "Garage", null, null, null,
        LockCapabilities.Assumed with { AutoLock = new AutoLockCapability([0, 15, 30]), DoorSensor = false });

    private static DiscoveryBuilder Builder(bool legacy = false) => new(new DiscoverySettings("homeassistant", "schlage2mqtt", "0.1.0", legacy));

    [Fact]
    public void Lock_device_config_is_valid_for_home_assistant_and_has_every_component_the_contract_lists()
    {
        var message = Assert.Single(Builder().ForLock(Front));
        Assert.Equal("homeassistant/device/schlage_0b5c-1111/config", message.Topic);
        Assert.Empty(HomeAssistantDiscoveryValidator.ValidateDeviceConfig(message.Payload));

        var root = JsonNode.Parse(message.Payload)!;
        var components = root["cmps"]!.AsObject();
        Assert.Equal(
            ["lock", "battery", "connectivity", "activity", "last_changed_by", "beeper", "lock_and_leave", "auto_lock_time",
             "keypad_disabled", "firmware", "wifi_rssi", "refresh", "door"],
            components.Select(c => c.Key));
        Assert.Equal(["lock", "sensor", "binary_sensor", "event", "sensor", "switch", "switch", "select", "binary_sensor", "sensor", "sensor", "button", "binary_sensor"],
            components.Select(c => c.Value!["p"]!.GetValue<string>()));
        Assert.Equal("schlage2mqtt_schlage2mqtt", root["dev"]!["via_device"]!.GetValue<string>());
        Assert.Equal("schlage2mqtt", root["o"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public void Lock_entity_resets_to_unknown_on_UNKNOWN_and_keeps_the_other_states()
    {
        var lockEntity = JsonNode.Parse(Builder().ForLock(Front)[0].Payload)!["cmps"]!["lock"]!;
        Assert.Equal("UNKNOWN", lockEntity["pl_rst"]!.GetValue<string>());
        Assert.Equal("JAMMED", lockEntity["stat_jam"]!.GetValue<string>());
        Assert.Equal("LOCKING", lockEntity["stat_locking"]!.GetValue<string>());
        Assert.Equal("UNLOCKING", lockEntity["stat_unlocking"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Every_component_carries_its_own_qos(bool legacy)
    {
        foreach (var message in Builder(legacy).ForLock(Front).Concat(Builder(legacy).ForBridge()))
        {
            var root = JsonNode.Parse(message.Payload)!;
            var components = root["cmps"] is JsonObject cmps ? cmps.Select(c => c.Value!) : [root];
            Assert.All(components, c => Assert.Equal(1, c["qos"]!.GetValue<int>()));
        }
    }

    [Fact]
    public void Lock_entity_uses_device_name_commands_and_every_state()
    {
        var root = JsonNode.Parse(Builder().ForLock(Front)[0].Payload)!;
        var lockEntity = root["cmps"]!["lock"]!;
        Assert.Null(lockEntity["name"]);
        Assert.True(lockEntity.AsObject().ContainsKey("name"));
        Assert.Equal("schlage2mqtt/front_door/set", lockEntity["cmd_t"]!.GetValue<string>());
        Assert.Equal("schlage2mqtt/front_door", lockEntity["stat_t"]!.GetValue<string>());
        Assert.Equal("JAMMED", lockEntity["stat_jam"]!.GetValue<string>());
        Assert.Equal("schlage_0b5c-1111_lock", lockEntity["uniq_id"]!.GetValue<string>());
        Assert.Equal("all", lockEntity["avty_mode"]!.GetValue<string>());
        Assert.Equal(["schlage2mqtt/bridge/state", "schlage2mqtt/front_door/availability"],
            lockEntity["avty"]!.AsArray().Select(a => a!["t"]!.GetValue<string>()));
    }

    [Fact]
    public void Connectivity_stays_available_when_the_lock_is_offline()
    {
        var connectivity = JsonNode.Parse(Builder().ForLock(Front)[0].Payload)!["cmps"]!["connectivity"]!;
        Assert.Equal(["schlage2mqtt/bridge/state"], connectivity["avty"]!.AsArray().Select(a => a!["t"]!.GetValue<string>()));
    }

    [Fact]
    public void Auto_lock_select_offers_the_models_values()
    {
        var select = JsonNode.Parse(Builder().ForLock(Garage)[0].Payload)!["cmps"]!["auto_lock_time"]!;
        Assert.Equal(["0", "15", "30"], select["ops"]!.AsArray().Select(o => o!.GetValue<string>()));
    }

    [Fact]
    public void Door_sensor_only_where_the_lock_reports_a_door()
    {
        Assert.Null(JsonNode.Parse(Builder().ForLock(Garage)[0].Payload)!["cmps"]!["door"]);
    }

    [Fact]
    public void Unique_ids_use_the_device_id_not_the_topic_id()
    {
        var renamed = Front with { TopicId = "porch" };
        var before = JsonNode.Parse(Builder().ForLock(Front)[0].Payload)!["cmps"]!.AsObject().Select(c => c.Value!["uniq_id"]!.GetValue<string>());
        var after = JsonNode.Parse(Builder().ForLock(renamed)[0].Payload)!["cmps"]!.AsObject().Select(c => c.Value!["uniq_id"]!.GetValue<string>());
        Assert.Equal(before, after);
    }

    [Fact]
    public void Bridge_device_config_is_valid()
    {
        var message = Assert.Single(Builder().ForBridge());
        Assert.Equal("homeassistant/device/schlage2mqtt_schlage2mqtt/config", message.Topic);
        Assert.Empty(HomeAssistantDiscoveryValidator.ValidateDeviceConfig(message.Payload));
    }

    [Fact]
    public void Legacy_mode_publishes_one_valid_config_per_entity()
    {
        var messages = Builder(legacy: true).ForLock(Front);
        Assert.Equal(13, messages.Count);
        foreach (var message in messages)
        {
            var platform = message.Topic.Split('/')[1];
            Assert.Matches("^homeassistant/[a-z_]+/schlage_0b5c-1111/[a-z_]+/config$", message.Topic);
            Assert.Empty(HomeAssistantDiscoveryValidator.ValidateEntityConfig(platform, message.Payload));
        }
        Assert.All(Builder(legacy: true).ForBridge(), m => Assert.Empty(HomeAssistantDiscoveryValidator.ValidateEntityConfig(m.Topic.Split('/')[1], m.Payload)));
    }

    [Fact]
    public void Removal_is_an_empty_retained_payload_on_every_config_topic()
    {
        Assert.Equal([new DiscoveryMessage("homeassistant/device/schlage_0b5c-1111/config", "")], Builder().RemoveLock(Front));
        var legacy = Builder(legacy: true);
        Assert.Equal(legacy.ForLock(Front).Select(m => m.Topic), legacy.RemoveLock(Front).Select(m => m.Topic));
        Assert.All(legacy.RemoveLock(Front), m => Assert.Equal("", m.Payload));
    }

    [Fact]
    public void Own_configs_are_recognised_and_others_left_alone()
    {
        var builder = Builder();
        Assert.True(builder.IsOwnConfig(builder.ForLock(Front)[0].Payload));
        Assert.True(builder.IsOwnConfig(builder.ForBridge()[0].Payload));
        var otherBridge = new DiscoveryBuilder(new DiscoverySettings("homeassistant", "cabin", "0.1.0", false));
        Assert.False(builder.IsOwnConfig(otherBridge.ForLock(Front)[0].Payload));
        Assert.False(builder.IsOwnConfig("{\"o\":{\"name\":\"zigbee2mqtt\"}}"));
        Assert.False(builder.IsOwnConfig("not json"));
        Assert.Equal("0b5c-1111", builder.DeviceIdOfTopic("homeassistant/device/schlage_0b5c-1111/config"));
        Assert.Null(builder.DeviceIdOfTopic("homeassistant/device/schlage2mqtt_schlage2mqtt/config"));
    }

    [Fact]
    public void Validator_catches_an_invalid_config()
    {
        var problems = HomeAssistantDiscoveryValidator.ValidateDeviceConfig(
            "{\"dev\":{\"ids\":[\"x\"]},\"o\":{\"name\":\"x\",\"extra\":1},\"cmps\":{\"a\":{\"p\":\"switch\",\"uniq_id\":\"u\",\"stat_t\":\"a/#\",\"bogus\":1}}}");
        Assert.Contains(problems, p => p.Contains("required 'cmd_t'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("'bogus'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("'stat_t' is not a valid topic", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("unknown key 'extra'", StringComparison.Ordinal));
    }
}
