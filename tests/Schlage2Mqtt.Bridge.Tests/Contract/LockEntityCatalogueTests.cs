using System.Text;
using System.Text.Json.Nodes;
using Schlage2Mqtt.Bridge.Commands;
using Schlage2Mqtt.Bridge.Contract;
using Schlage2Mqtt.Bridge.Discovery;
using Schlage2Mqtt.Cloud;
using Schlage2Mqtt.TestSupport;

namespace Schlage2Mqtt.Bridge.Tests.Contract;

public sealed class LockEntityCatalogueTests
{
    // A lock that can only be locked and unlocked and report its battery: no beeper, 1-Touch, auto-lock, door sensor, keypad.
    private static readonly LockCapabilities Bare = LockCapabilities.None with { LockUnlock = true, ActivityLog = true };

    private static readonly LockCapabilities Full = LockCapabilities.Assumed with { AutoLock = new AutoLockCapability([0, 30, 60]) };

    private static DiscoveryBuilder Builder(bool legacy = false) => new(new DiscoverySettings("homeassistant", "s2m", "0.1.0", legacy));

    private static JsonObject Components(LockCapabilities capabilities) =>
        JsonNode.Parse(Assert.Single(Builder().ForLock(new DiscoveryLock("dev-1", "front_door", "Front Door", null, null, null, capabilities))).Payload)!["cmps"]!.AsObject();

    [Fact]
    public void A_lock_with_every_capability_gets_every_entity_in_catalogue_order()
    {
        Assert.Equal(LockEntityCatalogue.Entities.Select(e => e.ObjectId), Components(Full).Select(c => c.Key));
        Assert.Equal(["0", "30", "60"], Components(Full)["auto_lock_time"]!["ops"]!.AsArray().Select(o => o!.GetValue<string>()));
    }

    [Fact]
    public void A_lock_without_beeper_auto_lock_or_door_sensor_gets_no_entity_for_them()
    {
        var components = Components(Bare);
        Assert.Equal(["lock", "battery", "connectivity", "activity", "last_changed_by", "firmware", "wifi_rssi", "refresh"], components.Select(c => c.Key));
        Assert.Empty(HomeAssistantDiscoveryValidator.ValidateDeviceConfig(Builder().ForLock(new DiscoveryLock("dev-1", "front_door", "Front Door", null, null, null, Bare))[0].Payload));
    }

    [Theory]
    [InlineData(LockFeatures.Beeper, "beeper")]
    [InlineData(LockFeatures.LockAndLeave, "lock_and_leave")]
    [InlineData(LockFeatures.AutoLock, "auto_lock_time")]
    [InlineData(LockFeatures.DoorSensor, "door")]
    [InlineData(LockFeatures.Keypad, "keypad_disabled")]
    public void Each_capability_alone_adds_just_its_entity(LockFeatures feature, string objectId)
    {
        var with = feature switch
        {
            LockFeatures.Beeper => Bare with { Beeper = true },
            LockFeatures.LockAndLeave => Bare with { LockAndLeave = true },
            LockFeatures.AutoLock => Bare with { AutoLock = new AutoLockCapability([0, 30]) },
            LockFeatures.DoorSensor => Bare with { DoorSensor = true },
            _ => Bare with { Keypad = true },
        };
        Assert.Equal([objectId], Components(with).Select(c => c.Key).Except(Components(Bare).Select(c => c.Key)));
    }

    [Fact]
    public void Legacy_discovery_publishes_and_removes_only_the_entities_the_lock_has()
    {
        var bare = new DiscoveryLock("dev-1", "front_door", "Front Door", null, null, null, Bare);
        var topics = Builder(legacy: true).ForLock(bare).Select(m => m.Topic).ToList();
        Assert.DoesNotContain("homeassistant/switch/schlage_dev-1/beeper/config", topics);
        Assert.Contains("homeassistant/lock/schlage_dev-1/lock/config", topics);
        Assert.Equal(topics, Builder(legacy: true).RemoveLock(bare).Select(m => m.Topic));
    }

    [Theory]
    [InlineData("{\"beeper\": true}", "beeper")]
    [InlineData("{\"lock_and_leave\": false}", "lock_and_leave")]
    [InlineData("{\"auto_lock_time\": 30}", "auto_lock_time")]
    [InlineData("{\"state\": \"LOCK\", \"beeper\": true}", "beeper")]
    public void A_set_field_the_lock_cannot_do_is_refused_naming_the_field(string payload, string field)
    {
        var (command, error) = LockCommandParser.ParseSet(Encoding.UTF8.GetBytes(payload), Bare.Features);
        Assert.Null(command);
        Assert.Equal("unsupported", error!.Code);
        Assert.StartsWith($"'{field}' cannot be set: this lock has no ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("beeper", "ON", "beeper")]
    [InlineData("lock_and_leave", "OFF", "1-Touch locking")]
    [InlineData("auto_lock_time", "30", "auto-lock")]
    public void An_attribute_the_lock_cannot_do_is_refused_saying_what_it_lacks(string attribute, string value, string what)
    {
        var (command, error) = LockCommandParser.ParseAttribute(attribute, Encoding.UTF8.GetBytes(value), Bare.Features);
        Assert.Null(command);
        Assert.Equal("unsupported", error!.Code);
        Assert.Equal($"'{attribute}' cannot be set: this lock has no {what}.", error.Message);
    }

    [Theory]
    [InlineData("LOCK")]
    [InlineData("\"UNLOCK\"")]
    [InlineData("{\"state\": \"LOCK\"}")]
    public void A_lock_that_cannot_be_locked_remotely_refuses_lock_and_unlock(string payload)
    {
        var (_, error) = LockCommandParser.ParseSet(Encoding.UTF8.GetBytes(payload), LockFeatures.None);
        Assert.Equal("unsupported", error!.Code);
        Assert.Contains("remote lock and unlock", error.Message, StringComparison.Ordinal);
        Assert.Equal("unsupported", LockCommandParser.ParseAttribute("state", "LOCK"u8, LockFeatures.None).Error!.Code);
    }

    [Fact]
    public void What_the_lock_can_do_still_parses_and_unknown_fields_stay_invalid_requests()
    {
        var (command, error) = LockCommandParser.ParseSet("{\"state\": \"UNLOCK\"}"u8, Bare.Features);
        Assert.Null(error);
        Assert.Equal(LockAction.Unlock, command!.Action);
        Assert.Equal("invalid_request", LockCommandParser.ParseSet("{\"volume\": 3}"u8, Bare.Features).Error!.Code);
        Assert.Equal("invalid_request", LockCommandParser.ParseAttribute("volume", "3"u8, Bare.Features).Error!.Code);
    }

    [Fact]
    public void The_command_fields_are_the_catalogues()
    {
        Assert.Equal(["state", "beeper", "lock_and_leave", "auto_lock_time"], LockCommandParser.Attributes);
        Assert.All(LockCommandParser.Attributes, a => Assert.NotNull(LockEntityCatalogue.ByCommandField(a)));
    }

    [Fact]
    public void Every_state_field_of_the_catalogue_is_a_field_of_the_state_payload()
    {
        var state = new LockStatePayload("LOCKED", null, null, null, null, null, null, null, null, null, null, null, null, null, null);
        var fields = JsonNode.Parse(LockStateJson.ToUtf8(state))!.AsObject().Select(p => p.Key).ToList();
        Assert.All(LockEntityCatalogue.Entities.Where(e => e.StateField is not null), e => Assert.Contains(e.StateField!, fields));
    }

    [Fact]
    public void The_lock_entity_speaks_the_state_names_defined_once()
    {
        var lockEntity = Components(Full)["lock"]!;
        Assert.Equal(LockStateNames.Locked, lockEntity["stat_locked"]!.GetValue<string>());
        Assert.Equal(LockStateNames.Unknown, lockEntity["pl_rst"]!.GetValue<string>());
        Assert.Equal(LockCommandValues.Unlock, lockEntity["pl_unlk"]!.GetValue<string>());
    }
}
