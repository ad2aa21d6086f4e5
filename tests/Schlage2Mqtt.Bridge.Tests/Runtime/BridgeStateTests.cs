using System.Text.Json.Nodes;
using Schlage2Mqtt.Bridge.Tests.Fakes;
using Schlage2Mqtt.Cloud;
using Schlage2Mqtt.TestSupport;

namespace Schlage2Mqtt.Bridge.Tests.Runtime;

public sealed class BridgeStateTests
{
    [Fact]
    public async Task First_poll_publishes_discovery_state_and_availability_of_every_lock()
    {
        await using var h = new BridgeHarness();
        h.Account.Put(FakeLockAccount.Lock("dev-1", "Front Door"));
        h.Account.Put(FakeLockAccount.Lock("dev-2", "Back Door", LockState.Unlocked));
        await h.StartAsync();
        

        Assert.Equal("LOCKED", h.LastState("front_door"));
        Assert.Equal("UNLOCKED", h.LastState("back_door"));
        Assert.All(h.Mqtt.On("s2m/front_door/availability"), a => Assert.Equal("online", a));
        var discovery = h.Mqtt.Published.Last(m => m.Topic == "homeassistant/device/schlage_dev-1/config");
        Assert.True(discovery.Retain);
        Assert.Empty(HomeAssistantDiscoveryValidator.ValidateDeviceConfig(discovery.PayloadAsString()));
        Assert.All(h.Mqtt.Published.Where(m => m.Topic.StartsWith("s2m/front_door", StringComparison.Ordinal)), m => Assert.True(m.Retain));

        var state = h.Last("s2m/front_door")!;
        Assert.Equal(90, state["battery"]!.GetValue<int>());
        Assert.Null(state["door"]);
        Assert.True(state.AsObject().ContainsKey("door"));
        Assert.Equal("Encode Plus", state["model"]!.GetValue<string>());

        await BridgeHarness.Eventually(() => h.Last("s2m/bridge/info")?["locks"]?.AsArray().Count == 2);
        var info = h.Last("s2m/bridge/info")!;
        Assert.Equal("9.9.9", info["version"]!.GetValue<string>());
        Assert.Equal("ok", info["accounts"]![0]!["auth"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_poll_that_changes_nothing_publishes_nothing()
    {
        await using var h = new BridgeHarness();
        h.Account.Put(FakeLockAccount.Lock("dev-1", "Front Door"));
        await h.StartAsync();
        await BridgeHarness.Eventually(() => h.Mqtt.On("s2m/front_door").Count >= 1);
        var before = h.Mqtt.Published.Count;

        await h.AdvanceUntil(() => h.Account.Calls("list") >= 4, TimeSpan.FromSeconds(10));

        Assert.Equal(before, h.Mqtt.Published.Count);
    }

    [Fact]
    public async Task A_change_seen_by_a_poll_is_published_with_last_changed_by()
    {
        await using var h = new BridgeHarness();
        h.Account.Put(FakeLockAccount.Lock("dev-1", "Front Door"));
        await h.StartAsync();
        var before = h.Mqtt.On("s2m/front_door").Count;

        h.Account.Put(h.Account.Get("dev-1") with { State = LockState.Unlocked, ChangedBy = new ChangedBy(ChangeMethod.Keypad, "Alice") });
        await h.AdvanceUntil(() => h.Mqtt.On("s2m/front_door").Count == before + 1, TimeSpan.FromSeconds(10));

        var state = h.Last("s2m/front_door")!;
        Assert.Equal("UNLOCKED", state["state"]!.GetValue<string>());
        Assert.Equal("keypad: Alice", state["last_changed_by"]!.GetValue<string>());
        Assert.Equal(h.Time.GetUtcNow(), DateTimeOffset.Parse(state["last_update"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture), TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task An_offline_lock_is_unavailable_and_its_unknowns_are_null()
    {
        await using var h = new BridgeHarness();
        h.Account.Put(new CloudLock { DeviceId = "dev-1", Name = "Shed", Connected = false, State = LockState.Unknown });
        await h.StartAsync();
        await BridgeHarness.Eventually(() => h.Mqtt.On("s2m/shed/availability").Count >= 1);

        Assert.All(h.Mqtt.On("s2m/shed/availability"), a => Assert.Equal("offline", a));
        var state = h.Last("s2m/shed")!;
        Assert.Equal("UNKNOWN", state["state"]!.GetValue<string>());
        Assert.Null(state["battery"]);
        Assert.Null(state["beeper"]);
        Assert.False(state["connected"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_lock_that_leaves_the_account_loses_its_discovery_and_retained_topics()
    {
        await using var h = new BridgeHarness();
        h.Account.Put(FakeLockAccount.Lock("dev-1", "Front Door"));
        h.Account.Put(FakeLockAccount.Lock("dev-2", "Garage"));
        await h.StartAsync();
        await BridgeHarness.Eventually(() => h.Mqtt.On("s2m/garage").Count >= 1);

        h.Account.Remove("dev-2");
        await h.AdvanceUntil(() => h.Mqtt.On("homeassistant/device/schlage_dev-2/config").LastOrDefault() == "", TimeSpan.FromSeconds(10));

        Assert.Equal("", h.Mqtt.On("s2m/garage").Last());
        Assert.Equal("", h.Mqtt.On("s2m/garage/availability").Last());
        Assert.True(h.Mqtt.Published.Last(m => m.Topic == "homeassistant/device/schlage_dev-2/config").Retain);
        await BridgeHarness.Eventually(() => h.Last("s2m/bridge/info")?["locks"]?.AsArray().Count == 1);
    }

    [Fact]
    public async Task A_lock_that_appears_is_added_at_the_next_poll()
    {
        await using var h = new BridgeHarness();
        h.Account.Put(FakeLockAccount.Lock("dev-1", "Front Door"));
        await h.StartAsync();
        h.Account.Put(FakeLockAccount.Lock("dev-3", "New Lock"));
        await h.AdvanceUntil(() => h.Mqtt.On("s2m/new_lock").Count == 1, TimeSpan.FromSeconds(10));
        Assert.Contains(h.Mqtt.Published, m => m.Topic == "homeassistant/device/schlage_dev-3/config");
    }

    [Fact]
    public async Task Failed_polls_make_locks_unavailable_after_the_threshold_and_recover()
    {
        await using var h = new BridgeHarness();
        h.Account.Put(FakeLockAccount.Lock("dev-1", "Front Door"));
        await h.StartAsync();
        await BridgeHarness.Eventually(() => h.Mqtt.On("s2m/front_door/availability").Count >= 1);

        h.Account.ListFailure = new CloudFailure(CloudFailureKind.Unavailable, "network down");
        await h.AdvanceUntil(() => h.Mqtt.On("s2m/front_door/availability").LastOrDefault() == "offline", TimeSpan.FromSeconds(10));
        Assert.Contains(h.Mqtt.On("s2m/bridge/log"), l => l.Contains("network down", StringComparison.Ordinal));

        h.Account.ListFailure = null;
        await h.AdvanceUntil(() => h.Mqtt.On("s2m/front_door/availability").LastOrDefault() == "online", TimeSpan.FromSeconds(10));
        Assert.Single(h.Mqtt.On("s2m/bridge/log"), l => l.Contains("network down", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Topic_ids_are_persisted_and_survive_a_rename_across_restarts()
    {
        var dir = Path.Combine(Path.GetTempPath(), "s2m-bridge-" + Guid.NewGuid().ToString("N"));
        var account = new FakeLockAccount();
        account.Put(FakeLockAccount.Lock("dev-1", "Front Door"));
        var first = new BridgeHarness(dataDir: dir, account: account);
        await first.StartAsync();
        await BridgeHarness.Eventually(() => first.Mqtt.On("s2m/front_door").Count >= 1);
        await first.StopKeepingDataAsync();

        account.Put(account.Get("dev-1") with { Name = "Porch" });
        await using var second = new BridgeHarness(dataDir: dir, account: account);
        await second.StartAsync();
        await BridgeHarness.Eventually(() => second.Mqtt.On("s2m/front_door").Count >= 1);
        Assert.Empty(second.Mqtt.On("s2m/porch"));
    }

    [Fact]
    public async Task Alias_and_ignore_from_configuration_apply()
    {
        var options = new BridgeOptions
        {
            BaseTopic = "s2m",
            PollJitter = 0,
            Locks = [new LockOverride("Front Door", "front", false), new LockOverride("dev-2", null, true)],
        };
        await using var h = new BridgeHarness(options);
        h.Account.Put(FakeLockAccount.Lock("dev-1", "Front Door"));
        h.Account.Put(FakeLockAccount.Lock("dev-2", "Hidden"));
        await h.StartAsync();
        await BridgeHarness.Eventually(() => h.Mqtt.On("s2m/front").Count >= 1);
        Assert.DoesNotContain(h.Mqtt.Published, m => m.Topic.Contains("hidden", StringComparison.Ordinal) || m.Topic.Contains("dev-2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reconnect_republishes_online_discovery_and_state()
    {
        await using var h = new BridgeHarness();
        h.Account.Put(FakeLockAccount.Lock("dev-1", "Front Door"));
        await h.StartAsync();
        var states = h.Mqtt.On("s2m/front_door").Count;
        var discovery = h.Mqtt.On("homeassistant/device/schlage_dev-1/config").Count;

        h.Mqtt.Disconnect();
        h.Mqtt.Connect();

        await h.WhenIdleAsync();
        Assert.True(h.Mqtt.On("s2m/bridge/health").Count >= 2);
        Assert.Equal(2, h.Mqtt.On("s2m/bridge/state").Count(s => s == "online"));
        Assert.Equal(states + 1, h.Mqtt.On("s2m/front_door").Count);
        Assert.Equal(discovery + 1, h.Mqtt.On("homeassistant/device/schlage_dev-1/config").Count);
        Assert.Equal(2, h.Mqtt.On("homeassistant/device/schlage2mqtt_s2m/config").Count);
    }

    [Fact]
    public async Task Home_assistant_birth_republishes_after_a_short_random_delay()
    {
        await using var h = new BridgeHarness();
        h.Account.Put(FakeLockAccount.Lock("dev-1", "Front Door"));
        await h.StartAsync();
        var discovery = h.Mqtt.On("homeassistant/device/schlage_dev-1/config").Count;
        var states = h.Mqtt.On("s2m/front_door").Count;

        await h.Mqtt.DeliverAsync("homeassistant/status", "online");
        await h.AdvanceUntil(() => h.Mqtt.On("homeassistant/device/schlage_dev-1/config").Count == discovery + 1, TimeSpan.FromMilliseconds(500), maxSteps: 12);
        Assert.Equal(states + 1, h.Mqtt.On("s2m/front_door").Count);
    }

    [Fact]
    public async Task Clean_stop_publishes_offline_and_stops_the_client()
    {
        var h = new BridgeHarness();
        h.Account.Put(FakeLockAccount.Lock("dev-1", "Front Door"));
        await h.StartAsync();
        await h.DisposeAsync();
        Assert.Equal("offline", h.Mqtt.On("s2m/bridge/state").Last());
        Assert.True(h.Mqtt.Stopped);
        Assert.Equal("offline", BridgeRuntime.WillMessage(h.Options).PayloadAsString());
        Assert.True(BridgeRuntime.WillMessage(h.Options).Retain);
    }

    [Fact]
    public async Task Health_reports_mqtt_cloud_and_bridge_figures()
    {
        await using var h = new BridgeHarness();
        h.Account.Put(FakeLockAccount.Lock("dev-1", "Front Door"));
        await h.StartAsync();
        await BridgeHarness.Eventually(() => h.Mqtt.On("s2m/bridge/health").Count >= 1);
        var (healthy, document) = h.Runtime.Health();
        Assert.True(healthy);
        Assert.True(document["mqtt"]!["connected"]!.GetValue<bool>());
        Assert.Equal("home", document["cloud"]![0]!["account"]!.GetValue<string>());
        Assert.Equal(1, document["bridge"]!["locks"]!.GetValue<int>());
        JsonNode.Parse(h.Mqtt.On("s2m/bridge/health").Last());
    }
}
