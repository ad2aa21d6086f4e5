using System.Text.Json.Nodes;
using Schlage2Mqtt.Bridge.Tests.Fakes;
using Schlage2Mqtt.Cloud;

namespace Schlage2Mqtt.Bridge.Tests.Runtime;

/// <summary>Issue 11, items 1-7: retained and queued commands, honest availability, discovery that does not flap.</summary>
public sealed class TrustTests
{
    private static readonly CloudFailure Down = new(CloudFailureKind.Unavailable, "network down");

    private static List<string?> States(BridgeHarness h, string topic = "s2m/front_door") =>
        h.Mqtt.On(topic).Select(p => p.Length == 0 ? null : JsonNode.Parse(p)!["state"]!.GetValue<string>()).ToList();

    [Theory]
    [InlineData(true, "full")]
    [InlineData(false, "replay_only")]
    public async Task Command_and_request_filters_keep_the_retain_flag_under_MQTT5_and_bridge_info_says_how_much_is_guarded(bool v5, string guard)
    {
        await using var h = new BridgeHarness(new BridgeOptions { BaseTopic = "s2m", Version = "9.9.9", PollJitter = 0, MqttV5 = v5 });
        h.Account.Put(FakeLockAccount.Lock("dev-1", "Front Door"));
        await h.StartAsync();
        await BridgeHarness.Eventually(() => h.Mqtt.Subscriptions.Any(s => s.TopicFilter == "s2m/bridge/request/#"));

        foreach (var filter in new[] { "s2m/+/set", "s2m/+/set/+", "s2m/+/get", "s2m/bridge/request/#" })
        {
            Assert.Equal(v5, h.Mqtt.Subscriptions.Single(s => s.TopicFilter == filter).RetainAsPublished);
        }
        await BridgeHarness.Eventually(() => h.Last("s2m/bridge/info") is not null);
        Assert.Equal(guard, h.Last("s2m/bridge/info")!["retained_command_guard"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_retained_command_is_reported_on_bridge_log_with_the_fix()
    {
        await using var h = new BridgeHarness();
        h.Account.Put(FakeLockAccount.Lock("dev-1", "Front Door"));
        await h.StartAsync();

        await h.Mqtt.DeliverAsync("s2m/front_door/set", "UNLOCK", retain: true);

        var log = JsonNode.Parse(Assert.Single(h.Mqtt.On("s2m/bridge/log")))!;
        Assert.Equal("warning", log["level"]!.GetValue<string>());
        Assert.Contains("Ignored a RETAINED message on s2m/front_door/set", log["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("front_door", log["lock"]!.GetValue<string>());
        Assert.Contains("mosquitto_pub -r -n -t 's2m/front_door/set'", log["hint"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(h.Logs.Entries, e => e.FullText.Contains("Ignored a RETAINED message on s2m/front_door/set", StringComparison.Ordinal));
        Assert.Equal(0, h.Account.Calls("set_locked"));
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, true)]
    [InlineData(false, false)]
    public async Task Clearing_a_retained_command_with_an_empty_message_is_ignored_without_a_warning(bool v5, bool retainFlag)
    {
        await using var h = new BridgeHarness(new BridgeOptions { BaseTopic = "s2m", Version = "9.9.9", PollJitter = 0, MqttV5 = v5 });
        h.Account.Put(FakeLockAccount.Lock("dev-1", "Front Door"));
        await h.StartAsync();

        // Under 3.1.1 the broker clears the flag on live delivery, so the empty message may arrive without it.
        await h.Mqtt.DeliverAsync("s2m/front_door/set", "", retain: retainFlag);
        await h.Mqtt.DeliverAsync("s2m/front_door/set/beeper", "", retain: retainFlag);

        await h.AdvanceUntil(() => h.Account.Calls("list") >= 3, TimeSpan.FromSeconds(10));
        Assert.Empty(h.Mqtt.On("s2m/bridge/log"));
        Assert.DoesNotContain(h.Logs.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Warning);
        Assert.Contains(h.Logs.Entries, e => e.FullText.Contains("Ignored an empty message on s2m/front_door/set", StringComparison.Ordinal));
        Assert.Equal(0L, h.Runtime.Health().Document["bridge"]!["rejected"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_command_that_arrives_before_the_first_lock_list_is_held_and_then_carried_out()
    {
        // Polls every 10 s, so the second poll (the first that succeeds) comes well within the 30 s hold.
        await using var h = new BridgeHarness(new BridgeOptions { BaseTopic = "s2m", Version = "9.9.9", PollJitter = 0, PollInterval = TimeSpan.FromSeconds(10) });
        h.Account.Put(FakeLockAccount.Lock("dev-1", "Front Door"));
        h.Account.ListFailure = Down;
        await h.StartAsync();

        // A QoS 1 command from the persistent session, delivered before any lock is known.
        await h.Mqtt.DeliverAsync("s2m/front_door/set", "UNLOCK");
        await h.Mqtt.DeliverAsync("s2m/bridge/request/lock", """{"lock":"front_door","action":"lock","transaction":5}""");
        Assert.Empty(h.Mqtt.On("s2m/bridge/response/lock"));
        Assert.DoesNotContain(h.Mqtt.On("s2m/bridge/log"), l => l.Contains("unknown_lock", StringComparison.Ordinal));

        h.Account.ListFailure = null;
        await h.AdvanceUntil(() => h.Mqtt.On("s2m/bridge/response/lock").Count == 1, TimeSpan.FromSeconds(1), what: h.Diagnostics());

        // Both ran, in the order they arrived: the unlock first, then the lock the request asked for.
        Assert.Equal(2, h.Account.Calls("set_locked"));
        var states = States(h);
        Assert.True(states.IndexOf("UNLOCKING") < states.LastIndexOf("LOCKING"), string.Join(",", states));
        var response = JsonNode.Parse(h.Mqtt.On("s2m/bridge/response/lock").Single())!;
        Assert.Equal("ok", response["status"]!.GetValue<string>());
        Assert.Equal(5, response["transaction"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_held_command_whose_lock_never_appears_is_answered_unknown_lock_after_the_hold_time()
    {
        await using var h = new BridgeHarness(new BridgeOptions { BaseTopic = "s2m", Version = "9.9.9", PollJitter = 0, StartupHoldTime = TimeSpan.FromSeconds(30) });
        h.Account.Put(FakeLockAccount.Lock("dev-1", "Front Door"));
        h.Account.ListFailure = Down;
        var started = h.Time.GetUtcNow();
        await h.StartAsync();

        await h.Mqtt.DeliverAsync("s2m/bridge/request/lock", """{"lock":"garage_side","action":"unlock","transaction":9}""");
        await h.AdvanceUntil(() => h.Mqtt.On("s2m/bridge/response/lock").Count == 1, TimeSpan.FromSeconds(5), what: h.Diagnostics());

        var response = JsonNode.Parse(h.Mqtt.On("s2m/bridge/response/lock").Single())!;
        Assert.Equal("unknown_lock", response["error"]!["code"]!.GetValue<string>());
        Assert.Contains("account", response["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(9, response["transaction"]!.GetValue<int>());
        Assert.True(h.Time.GetUtcNow() - started >= TimeSpan.FromSeconds(30));
        Assert.Contains(h.Mqtt.On("s2m/bridge/log"), l => l.Contains("arrived before the locks were known", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_start_up_queue_is_bounded_and_a_message_past_it_is_answered_not_dropped()
    {
        await using var h = new BridgeHarness(new BridgeOptions { BaseTopic = "s2m", Version = "9.9.9", PollJitter = 0, StartupHoldCapacity = 2 });
        h.Account.Put(FakeLockAccount.Lock("dev-1", "Front Door"));
        h.Account.ListFailure = Down;
        await h.StartAsync();

        for (var i = 1; i <= 3; i++)
        {
            await h.Mqtt.DeliverAsync("s2m/bridge/request/lock", $$"""{"lock":"front_door","action":"lock","transaction":{{i}}}""");
        }

        await BridgeHarness.Eventually(() => h.Mqtt.On("s2m/bridge/response/lock").Count == 1);
        var refused = JsonNode.Parse(h.Mqtt.On("s2m/bridge/response/lock").Single())!;
        Assert.Equal(3, refused["transaction"]!.GetValue<int>());
        Assert.Equal("unknown_lock", refused["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Health_check_is_never_held()
    {
        await using var h = new BridgeHarness();
        h.Account.ListFailure = Down;
        await h.StartAsync();
        await h.Mqtt.DeliverAsync("s2m/bridge/request/health_check", "{}");
        await h.WhenIdleAsync();
        Assert.Single(h.Mqtt.On("s2m/bridge/response/health_check"));
    }

    [Fact]
    public async Task After_a_restart_with_the_cloud_down_every_remembered_lock_is_offline_until_fresh_data_says_online()
    {
        var dir = Path.Combine(Path.GetTempPath(), "s2m-bridge-" + Guid.NewGuid().ToString("N"));
        var account = new FakeLockAccount();
        account.Put(FakeLockAccount.Lock("dev-1", "Front Door"));
        account.Put(FakeLockAccount.Lock("dev-2", "Back Door"));
        var first = new BridgeHarness(dataDir: dir, account: account);
        await first.StartAsync();
        await BridgeHarness.Eventually(() => first.Mqtt.On("s2m/back_door/availability").Contains("online"));
        await first.StopKeepingDataAsync();

        account.ListFailure = Down;
        await using var second = new BridgeHarness(dataDir: dir, account: account);
        await second.StartAsync();

        Assert.Equal(["offline"], second.Mqtt.On("s2m/front_door/availability"));
        Assert.Equal(["offline"], second.Mqtt.On("s2m/back_door/availability"));
        Assert.True(second.Mqtt.Published.Where(m => m.Topic.EndsWith("/availability", StringComparison.Ordinal)).All(m => m.Retain));

        account.ListFailure = null;
        await second.AdvanceUntil(() => second.Mqtt.On("s2m/front_door/availability").LastOrDefault() == "online", TimeSpan.FromSeconds(10));
        Assert.Equal("online", second.Mqtt.On("s2m/back_door/availability").Last());
    }

    [Fact]
    public async Task A_lock_going_offline_and_back_does_not_republish_its_discovery()
    {
        await using var h = new BridgeHarness();
        var full = FakeLockAccount.Lock("dev-1", "Front Door") with { Door = DoorState.Closed, AutoLockSeconds = 30 };
        h.Account.Put(full);
        await h.StartAsync();
        const string topic = "homeassistant/device/schlage_dev-1/config";
        // The connect announcement re-publishes discovery; whether it ran before or after the first poll listed the
        // lock is a race, so count from the settled start rather than expect exactly one.
        var atStart = h.Mqtt.On(topic);
        Assert.InRange(atStart.Count, 1, 2);
        Assert.All(atStart, c => Assert.Equal(atStart[0], c));
        var config = JsonNode.Parse(atStart[0])!;
        Assert.NotNull(config["cmps"]!["door"]);
        Assert.Equal("1.0", config["dev"]!["sw"]!.GetValue<string>());

        // An offline lock's sparse document: no firmware, no door, no settings.
        h.Account.Put(new CloudLock { DeviceId = "dev-1", Name = "Front Door", ModelName = "Encode Plus", DeviceType = "be499wifi", Connected = false });
        await h.AdvanceUntil(() => h.Mqtt.On("s2m/front_door/availability").LastOrDefault() == "offline", TimeSpan.FromSeconds(10));
        h.Account.Put(full);
        await h.AdvanceUntil(() => h.Mqtt.On("s2m/front_door/availability").LastOrDefault() == "online", TimeSpan.FromSeconds(10));

        Assert.Equal(atStart.Count, h.Mqtt.On(topic).Count);
    }

    [Fact]
    public async Task A_lock_that_starts_offline_after_a_restart_keeps_the_firmware_and_door_sensor_it_had()
    {
        var dir = Path.Combine(Path.GetTempPath(), "s2m-bridge-" + Guid.NewGuid().ToString("N"));
        var account = new FakeLockAccount();
        account.Put(FakeLockAccount.Lock("dev-1", "Front Door") with { Door = DoorState.Open });
        var first = new BridgeHarness(dataDir: dir, account: account);
        await first.StartAsync();
        // Last, not Single: a connect handled after the first poll republishes everything retained, by design.
        var before = first.Mqtt.On("homeassistant/device/schlage_dev-1/config").Last();
        await first.StopKeepingDataAsync();

        account.Put(new CloudLock { DeviceId = "dev-1", Name = "Front Door", ModelName = "Encode Plus", DeviceType = "be499wifi", Connected = false, Capabilities = FakeLockAccount.FullCapabilities });
        await using var second = new BridgeHarness(dataDir: dir, account: account);
        await second.StartAsync();

        var after = JsonNode.Parse(second.Mqtt.On("homeassistant/device/schlage_dev-1/config").Last())!;
        Assert.NotNull(after["cmps"]!["door"]);
        Assert.Equal("1.0", after["dev"]!["sw"]!.GetValue<string>());
        Assert.Equal(before, after.ToJsonString());
    }

    [Fact]
    public async Task The_clouds_own_status_check_does_not_replace_who_changed_the_lock_last()
    {
        await using var h = new BridgeHarness();
        h.Account.Put(FakeLockAccount.Lock("dev-1", "Front Door") with { ChangedBy = new ChangedBy(ChangeMethod.Keypad, "Alice") });
        await h.StartAsync();
        Assert.Equal("keypad: Alice", h.Last("s2m/front_door")!["last_changed_by"]!.GetValue<string>());

        // A deepQuery document: battery moved, no actor.
        h.Account.Put(h.Account.Get("dev-1") with { ChangedBy = null, ChangedByIsStatusCheck = true, BatteryLevel = 80 });
        await h.AdvanceUntil(() => h.Last("s2m/front_door")!["battery"]!.GetValue<int>() == 80, TimeSpan.FromSeconds(10));
        Assert.Equal("keypad: Alice", h.Last("s2m/front_door")!["last_changed_by"]!.GetValue<string>());
    }
}
