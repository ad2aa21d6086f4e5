using System.Text.Json.Nodes;
using Schlage2Mqtt.Bridge.Tests.Fakes;
using Schlage2Mqtt.Cloud;

namespace Schlage2Mqtt.Bridge.Tests.Runtime;

public sealed class CommandFlowTests
{
    private static async Task<BridgeHarness> Started(Action<FakeLockAccount>? setup = null)
    {
        var h = new BridgeHarness();
        h.Account.Put(FakeLockAccount.Lock("dev-1", "Front Door"));
        setup?.Invoke(h.Account);
        await h.StartAsync();
        return h;
    }

    private static List<string?> States(BridgeHarness h) =>
        h.Mqtt.On("s2m/front_door").Select(p => p.Length == 0 ? null : JsonNode.Parse(p)!["state"]!.GetValue<string>()).ToList();

    [Fact]
    public async Task Unlock_publishes_UNLOCKING_then_confirms_by_reading_after_the_first_delay()
    {
        await using var h = await Started();
        await h.Mqtt.DeliverAsync("s2m/front_door/set", "UNLOCK");
        await BridgeHarness.Eventually(() => States(h).Contains("UNLOCKING"));
        Assert.Equal(0, h.Account.Calls("get"));

        await h.AdvanceUntil(() => States(h).LastOrDefault() == "UNLOCKED", TimeSpan.FromMilliseconds(500));

        Assert.Equal(1, h.Account.Calls("set_locked"));
        Assert.InRange(h.Account.Calls("get"), 1, 2);
    }

    [Fact]
    public async Task A_duplicate_command_while_one_is_in_flight_is_coalesced_into_one_cloud_call()
    {
        await using var h = await Started();
        await h.Mqtt.DeliverAsync("s2m/front_door/set", "UNLOCK");
        await h.Mqtt.DeliverAsync("s2m/front_door/set", "unlock");
        await h.Mqtt.DeliverAsync("s2m/bridge/request/lock", """{"lock":"front_door","action":"unlock","transaction":1}""");

        await h.AdvanceUntil(() => h.Mqtt.On("s2m/bridge/response/lock").Count == 1, TimeSpan.FromMilliseconds(500));

        Assert.Equal(1, h.Account.Calls("set_locked"));
        Assert.Equal("ok", JsonNode.Parse(h.Mqtt.On("s2m/bridge/response/lock").Single())!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_different_command_waits_for_the_one_in_flight_then_runs()
    {
        await using var h = await Started();
        await h.Mqtt.DeliverAsync("s2m/front_door/set", "UNLOCK");
        await BridgeHarness.Eventually(() => States(h).Contains("UNLOCKING"));
        await h.Mqtt.DeliverAsync("s2m/front_door/set", "LOCK");

        await h.AdvanceUntil(() => h.Account.Calls("set_locked") == 2 && States(h).LastOrDefault() == "LOCKED", TimeSpan.FromMilliseconds(500));

        var states = States(h);
        Assert.True(states.IndexOf("UNLOCKED") < states.LastIndexOf("LOCKING"));
    }

    [Fact]
    public async Task A_lock_that_never_acts_times_out_reverts_and_says_why()
    {
        await using var h = await Started(a => a.AppliesCommands = false);
        await h.Mqtt.DeliverAsync("s2m/bridge/request/lock", """{"lock":"front_door","action":"unlock"}""");

        await h.AdvanceUntil(() => h.Mqtt.On("s2m/bridge/response/lock").Count == 1, TimeSpan.FromSeconds(2));

        var response = JsonNode.Parse(h.Mqtt.On("s2m/bridge/response/lock").Single())!;
        Assert.Equal("timeout", response["error"]!["code"]!.GetValue<string>());
        Assert.Equal("LOCKED", States(h).Last());
        Assert.Contains(h.Mqtt.On("s2m/bridge/log"), l => l.Contains("\"code\":\"timeout\"", StringComparison.Ordinal));
        Assert.InRange(h.Account.Calls("get"), 3, 8);
    }

    [Fact]
    public async Task An_outcome_unknown_write_that_applied_is_confirmed_by_reading_and_never_resent()
    {
        await using var h = await Started(a =>
        {
            a.LockAnswer = (_, _) => CloudResult.Fail(new CloudFailure(CloudFailureKind.OutcomeUnknown, "504 from the cloud", 504));
            a.ReadsUntilApplied = 3;
        });
        await h.Mqtt.DeliverAsync("s2m/bridge/request/lock", """{"lock":"front_door","action":"unlock"}""");

        await h.AdvanceUntil(() => h.Mqtt.On("s2m/bridge/response/lock").Count == 1, TimeSpan.FromSeconds(1));

        Assert.Equal("ok", JsonNode.Parse(h.Mqtt.On("s2m/bridge/response/lock").Single())!["status"]!.GetValue<string>());
        Assert.Equal(1, h.Account.Calls("set_locked"));
        Assert.Equal("UNLOCKED", States(h).Last());
    }

    [Fact]
    public async Task An_offline_answer_reverts_at_once_without_confirmation_reads()
    {
        await using var h = await Started(a => a.LockAnswer = (_, _) => CloudResult.Fail(new CloudFailure(CloudFailureKind.LockOffline, "offline", 409, "Device is offline")));
        await h.Mqtt.DeliverAsync("s2m/bridge/request/lock", """{"lock":"front_door","action":"unlock"}""");

        await BridgeHarness.Eventually(() => h.Mqtt.On("s2m/bridge/response/lock").Count == 1);

        var error = JsonNode.Parse(h.Mqtt.On("s2m/bridge/response/lock").Single())!["error"]!;
        Assert.Equal("lock_offline", error["code"]!.GetValue<string>());
        Assert.Contains("Wi-Fi", error["hint"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, h.Account.Calls("get"));
        var states = States(h);
        Assert.Equal("UNLOCKING", states[states.IndexOf("UNLOCKING")]);
        Assert.Equal("LOCKED", states.Last());
    }

    [Fact]
    public async Task A_retained_command_is_dropped_and_counted_without_any_cloud_call()
    {
        await using var h = await Started();
        await h.Mqtt.DeliverAsync("s2m/front_door/set", "UNLOCK", retain: true);
        await h.Mqtt.DeliverAsync("s2m/bridge/request/lock", """{"lock":"front_door","action":"unlock"}""", retain: true);

        Assert.Equal(2L, h.Runtime.Health().Document["bridge"]!["retained_dropped"]!.GetValue<long>());
        await h.AdvanceUntil(() => h.Account.Calls("list") >= 3, TimeSpan.FromSeconds(10));
        Assert.Equal(0, h.Account.Calls("set_locked"));
        Assert.DoesNotContain("UNLOCKING", States(h));
    }

    [Fact]
    public async Task Settings_are_sent_and_shown_and_an_invalid_auto_lock_value_never_reaches_the_cloud()
    {
        await using var h = await Started();
        await h.Mqtt.DeliverAsync("s2m/front_door/set/beeper", "OFF");
        await h.Mqtt.DeliverAsync("s2m/front_door/set", """{"auto_lock_time": 30, "lock_and_leave": true}""");
        await BridgeHarness.Eventually(() => h.Last("s2m/front_door")?["auto_lock_time"]?.GetValue<int>() == 30
            && h.Last("s2m/front_door")?["beeper"]?.GetValue<bool>() == false);

        await h.Mqtt.DeliverAsync("s2m/front_door/set/auto_lock_time", "45", responseTopic: "me/reply", correlation: [1, 2]);
        await BridgeHarness.Eventually(() => h.Mqtt.On("me/reply").Count == 1);

        var reply = h.Mqtt.Published.Single(m => m.Topic == "me/reply");
        Assert.Equal([1, 2], reply.CorrelationData.ToArray());
        Assert.Equal("invalid_value", JsonNode.Parse(reply.PayloadAsString())!["error"]!["code"]!.GetValue<string>());
        Assert.Equal(1, h.Account.Calls("auto_lock"));
    }

    [Fact]
    public async Task Requests_answer_errors_with_code_message_and_hint()
    {
        await using var h = await Started();
        await h.Mqtt.DeliverAsync("s2m/bridge/request/lock", """{"lock":"garage","action":"unlock","transaction":{"id":9}}""");
        await h.Mqtt.DeliverAsync("s2m/bridge/request/lock", "{not json");
        await h.Mqtt.DeliverAsync("s2m/bridge/request/bogus", "{}");
        await BridgeHarness.Eventually(() => h.Mqtt.On("s2m/bridge/response/lock").Count == 2 && h.Mqtt.On("s2m/bridge/response/bogus").Count == 1);

        var unknownLock = h.Mqtt.On("s2m/bridge/response/lock").Select(p => JsonNode.Parse(p)!).Single(r => r["transaction"] is not null);
        Assert.Equal("unknown_lock", unknownLock["error"]!["code"]!.GetValue<string>());
        Assert.Contains("front_door", unknownLock["error"]!["hint"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(9, unknownLock["transaction"]!["id"]!.GetValue<int>());
        Assert.Contains(h.Mqtt.On("s2m/bridge/response/lock"), p => p.Contains("invalid_json", StringComparison.Ordinal));
        var bogus = JsonNode.Parse(h.Mqtt.On("s2m/bridge/response/bogus").Single())!;
        Assert.Equal("unknown_operation", bogus["error"]!["code"]!.GetValue<string>());
        Assert.Contains("health_check", bogus["error"]!["hint"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refresh_request_answers_with_state_read_after_the_request()
    {
        await using var h = await Started();
        h.Account.Put(h.Account.Get("dev-1") with { State = LockState.Unlocked });
        await h.Mqtt.DeliverAsync("s2m/bridge/request/refresh", "{}");
        await BridgeHarness.Eventually(() => h.Mqtt.On("s2m/bridge/response/refresh").Count == 1);

        var data = JsonNode.Parse(h.Mqtt.On("s2m/bridge/response/refresh").Single())!["data"]!.AsArray();
        Assert.Equal("UNLOCKED", data.Single()!["state"]!["state"]!.GetValue<string>());
    }
}
