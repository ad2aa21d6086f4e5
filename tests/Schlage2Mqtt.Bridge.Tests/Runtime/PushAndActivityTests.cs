using System.Text.Json.Nodes;
using Schlage2Mqtt.Bridge.Tests.Fakes;
using Schlage2Mqtt.Cloud;

namespace Schlage2Mqtt.Bridge.Tests.Runtime;

public sealed class PushAndActivityTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private static CloudLock Front(LockState state, DateTimeOffset updated, ChangedBy? by = null) =>
        FakeLockAccount.Lock("dev-1", "Front Door", state) with { UpdatedAt = updated, ChangedBy = by };

    [Fact]
    public async Task A_pushed_document_is_published_at_once_and_an_older_poll_never_overwrites_it()
    {
        var push = new FakePushChannel("home");
        await using var h = new BridgeHarness();
        h.Account.Push = push;
        h.Account.Put(Front(LockState.Locked, T0));
        await h.StartAsync();
        Assert.True(push.Started);
        push.Become(PushState.Connected);
        var polls = h.Account.Calls("list");

        // The lock was unlocked at T0+5s; a poll answered from a cache still says locked at T0.
        await push.Deliver(new PushedUpdate("dev-1", Front(LockState.Unlocked, T0.AddSeconds(5), new ChangedBy(ChangeMethod.Keypad, "Alice")) with { Name = null }, null, null, T0.AddSeconds(5)));
        Assert.Equal("UNLOCKED", h.LastState("front_door"));
        Assert.Equal(polls, h.Account.Calls("list"));

        await h.Mqtt.DeliverAsync("s2m/bridge/request/refresh", "{}");
        await BridgeHarness.Eventually(() => h.Mqtt.On("s2m/bridge/response/refresh").Count == 1);
        Assert.Equal("UNLOCKED", h.LastState("front_door"));
        Assert.Equal("Front Door", h.Last("s2m/bridge/info")!["locks"]![0]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_partial_push_patches_bolt_and_door()
    {
        var push = new FakePushChannel("home");
        await using var h = new BridgeHarness();
        h.Account.Push = push;
        h.Account.Put(Front(LockState.Locked, T0));
        await h.StartAsync();

        await push.Deliver(new PushedUpdate("dev-1", null, LockState.Unlocked, DoorState.Open, null));

        var state = h.Last("s2m/front_door")!;
        Assert.Equal("UNLOCKED", state["state"]!.GetValue<string>());
        Assert.Equal("open", state["door"]!.GetValue<string>());
        Assert.Null(state["last_changed_by"]);
    }

    [Fact]
    public async Task After_a_partial_push_the_log_names_the_code_and_who_changed_the_lock()
    {
        var push = new FakePushChannel("home");
        await using var h = new BridgeHarness();
        h.Account.Push = push;
        h.Account.Put(Front(LockState.Locked, T0));
        await h.StartAsync();
        h.Account.PutCode("dev-1", "code-alice", new NewAccessCode { Name = "Alice", Code = "2580" });
        h.Account.Log("dev-1", new CloudLogEntry("log-1", 2, h.Time.GetUtcNow().AddSeconds(1), null, "code-alice"));

        await push.Deliver(new PushedUpdate("dev-1", null, LockState.Unlocked, null, null));
        await h.AdvanceUntil(() => h.Mqtt.On("s2m/front_door/activity").Count == 1, TimeSpan.FromSeconds(10));
        await h.AdvanceUntil(() => h.Last("s2m/front_door")?["last_changed_by"] is not null, TimeSpan.FromSeconds(1));

        Assert.Equal("Alice", JsonNode.Parse(h.Mqtt.On("s2m/front_door/activity").Single())!["access_code"]!.GetValue<string>());
        Assert.Equal("keypad: Alice", h.Last("s2m/front_door")!["last_changed_by"]!.GetValue<string>());
        Assert.Equal(1, h.Account.Calls("list_codes"));
        Assert.Equal(1, h.Account.Calls("logs"));
    }

    [Fact]
    public async Task While_push_is_connected_polling_slows_down_and_a_lost_push_brings_it_back_at_once()
    {
        var push = new FakePushChannel("home");
        await using var h = new BridgeHarness(new BridgeOptions { BaseTopic = "s2m", PollJitter = 0, PollInterval = TimeSpan.FromSeconds(60), PushPollInterval = TimeSpan.FromMinutes(10) });
        h.Account.Push = push;
        h.Account.Put(Front(LockState.Locked, T0));
        await h.StartAsync();
        push.Become(PushState.Connected);
        await h.AdvanceUntil(() => h.Account.Calls("list") >= 2, TimeSpan.FromSeconds(10));
        var polls = h.Account.Calls("list");

        h.Time.Advance(TimeSpan.FromMinutes(5));
        await Task.Delay(50);
        Assert.Equal(polls, h.Account.Calls("list"));

        push.Become(PushState.Evicted, "the Schlage app keeps taking the connection");
        await BridgeHarness.Eventually(() => h.Account.Calls("list") == polls + 1);
        await BridgeHarness.Eventually(() => h.Last("s2m/bridge/info")?["accounts"]?[0]?["push"]?.GetValue<string>() == "evicted");
        Assert.Equal("the Schlage app keeps taking the connection", h.Last("s2m/bridge/info")!["accounts"]![0]!["push_detail"]!.GetValue<string>());
        Assert.Single(h.Mqtt.On("s2m/bridge/log"), l => l.Contains("evict", StringComparison.OrdinalIgnoreCase) || l.Contains("taking the connection", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Logs_are_read_only_after_a_change_and_each_event_is_published_once_even_across_a_restart()
    {
        var dir = Path.Combine(Path.GetTempPath(), "s2m-activity-" + Guid.NewGuid().ToString("N"));
        var account = new FakeLockAccount();
        account.Put(Front(LockState.Locked, T0));
        var first = new BridgeHarness(dataDir: dir, account: account);
        await first.StartAsync();
        await first.AdvanceUntil(() => account.Calls("list") >= 3, TimeSpan.FromSeconds(10));
        Assert.Equal(0, account.Calls("logs"));

        // Someone types Alice's code: the lock unlocks and the log shows it.
        account.PutCode("dev-1", "code-alice", new NewAccessCode { Name = "Alice", Code = "2580" });
        account.Log("dev-1", new CloudLogEntry("log-1", 2, first.Time.GetUtcNow(), null, "code-alice"));
        account.Put(Front(LockState.Unlocked, T0.AddMinutes(1), new ChangedBy(ChangeMethod.Keypad, "Alice")));
        await first.AdvanceUntil(() => first.Mqtt.On("s2m/front_door/activity").Count == 1, TimeSpan.FromSeconds(10));

        var activity = JsonNode.Parse(first.Mqtt.On("s2m/front_door/activity").Single())!;
        Assert.Equal("unlocked", activity["event_type"]!.GetValue<string>());
        Assert.Equal("keypad", activity["method"]!.GetValue<string>());
        Assert.Equal("Alice", activity["access_code"]!.GetValue<string>());
        Assert.Equal(1, account.Calls("logs"));

        // Quiet polls read no logs.
        var logs = account.Calls("logs");
        await first.AdvanceUntil(() => account.Calls("list") >= 8, TimeSpan.FromSeconds(10));
        Assert.Equal(logs, account.Calls("logs"));
        await first.StopKeepingDataAsync();

        // After a restart the same entry is not published again; a new one is.
        await using var second = new BridgeHarness(dataDir: dir, account: account);
        second.Time.SetUtcNow(first.Time.GetUtcNow().AddMinutes(10));
        await second.StartAsync();
        account.Log("dev-1", new CloudLogEntry("log-2", 11, second.Time.GetUtcNow().AddSeconds(1), null, null));
        account.Put(Front(LockState.Locked, T0.AddMinutes(2), new ChangedBy(ChangeMethod.Thumbturn, null)));
        await second.AdvanceUntil(() => second.Mqtt.On("s2m/front_door/activity").Count >= 1, TimeSpan.FromSeconds(10));
        await second.AdvanceUntil(() => second.Last("s2m/front_door")?["keypad_disabled"]?.GetValue<bool>() == true, TimeSpan.FromSeconds(1));

        var events = second.Mqtt.On("s2m/front_door/activity").Select(e => JsonNode.Parse(e)!["event_type"]!.GetValue<string>()).ToList();
        Assert.Equal(["keypad_disabled"], events);
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public async Task After_a_restart_what_happened_while_the_bridge_was_away_is_published_once()
    {
        var dir = Path.Combine(Path.GetTempPath(), "s2m-activity-" + Guid.NewGuid().ToString("N"));
        var account = new FakeLockAccount();
        account.Put(Front(LockState.Locked, T0));
        var first = new BridgeHarness(dataDir: dir, account: account);
        await first.StartAsync();
        await first.AdvanceUntil(() => account.Calls("list") >= 1, TimeSpan.FromSeconds(10));
        account.Log("dev-1", new CloudLogEntry("log-1", 4, first.Time.GetUtcNow(), null, null));
        account.Put(Front(LockState.Unlocked, T0.AddMinutes(1), new ChangedBy(ChangeMethod.Thumbturn, null)));
        await first.AdvanceUntil(() => first.Mqtt.On("s2m/front_door/activity").Count == 1, TimeSpan.FromSeconds(10));
        await first.StopKeepingDataAsync();

        // While the bridge is away someone locks with the thumbturn.
        var away = first.Time.GetUtcNow().AddMinutes(5);
        account.Log("dev-1", new CloudLogEntry("log-2", 3, away, null, null));
        account.Put(Front(LockState.Locked, T0.AddMinutes(5), new ChangedBy(ChangeMethod.Thumbturn, null)));

        await using var second = new BridgeHarness(dataDir: dir, account: account);
        second.Time.SetUtcNow(away.AddMinutes(5));
        await second.StartAsync();
        await second.AdvanceUntil(() => second.Mqtt.On("s2m/front_door/activity").Count >= 1, TimeSpan.FromSeconds(10));
        var logs = account.Calls("logs");
        await second.AdvanceUntil(() => account.Calls("list") >= 6, TimeSpan.FromSeconds(10));

        var events = second.Mqtt.On("s2m/front_door/activity").Select(e => JsonNode.Parse(e)!["event_type"]!.GetValue<string>()).ToList();
        Assert.Equal(["locked"], events);
        Assert.Equal(logs, account.Calls("logs"));
        Directory.Delete(dir, recursive: true);
    }
}
