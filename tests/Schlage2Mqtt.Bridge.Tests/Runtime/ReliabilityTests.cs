using System.Text.Json.Nodes;
using Schlage2Mqtt.Bridge.Tests.Fakes;

namespace Schlage2Mqtt.Bridge.Tests.Runtime;

/// <summary>Issue 20, items 6, 8 and 10: answers by the deadline, coalesced reads, no stale LOCKING after a reconnect.</summary>
public sealed class ReliabilityTests
{
    private static async Task<BridgeHarness> Started(BridgeOptions? options = null)
    {
        var h = new BridgeHarness(options);
        h.Account.Put(FakeLockAccount.Lock("dev-1", "Front Door"));
        await h.StartAsync();
        return h;
    }

    private static List<string?> States(BridgeHarness h) =>
        h.Mqtt.On("s2m/front_door").Select(p => p.Length == 0 ? null : JsonNode.Parse(p)!["state"]!.GetValue<string>()).ToList();

    [Fact]
    public async Task A_lock_request_is_answered_by_its_deadline_when_every_cloud_call_takes_35_seconds()
    {
        await using var h = await Started();
        h.Account.Latency = ct => Task.Delay(TimeSpan.FromSeconds(35), h.Time, ct);
        var sent = h.Time.GetUtcNow();

        await h.Mqtt.DeliverAsync("s2m/bridge/request/lock", """{"lock":"front_door","action":"unlock","transaction":1}""");
        await h.AdvanceUntil(() => h.Mqtt.On("s2m/bridge/response/lock").Count == 1, TimeSpan.FromSeconds(1), maxSteps: 200, what: h.Diagnostics());

        var elapsed = h.Time.GetUtcNow() - sent;
        Assert.True(elapsed <= TimeSpan.FromSeconds(65), $"answered after {elapsed}");
        var response = JsonNode.Parse(h.Mqtt.On("s2m/bridge/response/lock").Single())!;
        Assert.Equal("error", response["status"]!.GetValue<string>());
        Assert.Equal("timeout", response["error"]!["code"]!.GetValue<string>());
        // No transitional state is left standing: the last published state is what the cloud said (here, a poll saw it apply).
        await BridgeHarness.Eventually(() => States(h).LastOrDefault() is "LOCKED" or "UNLOCKED", string.Join(",", States(h)));
    }

    [Fact]
    public async Task A_flood_of_gets_costs_one_cloud_read_and_every_get_is_answered()
    {
        await using var h = await Started();
        var gate = new TaskCompletionSource();
        h.Account.Latency = _ => gate.Task;

        for (var i = 0; i < 50; i++)
        {
            await h.Mqtt.DeliverAsync("s2m/front_door/get", "", responseTopic: "me/get", correlation: [(byte)i]);
        }
        await BridgeHarness.Eventually(() => h.Account.Calls("get") == 1);
        gate.SetResult();
        await BridgeHarness.Eventually(() => h.Mqtt.On("me/get").Count == 50);
        Assert.Equal(1, h.Account.Calls("get"));

        // Soon after, a get is answered from that read; once MinRefreshInterval has passed it reads again.
        await h.Mqtt.DeliverAsync("s2m/front_door/get", "", responseTopic: "me/get");
        await BridgeHarness.Eventually(() => h.Mqtt.On("me/get").Count == 51);
        Assert.Equal(1, h.Account.Calls("get"));
        h.Time.Advance(h.Options.MinRefreshInterval);
        await h.Mqtt.DeliverAsync("s2m/front_door/get", "", responseTopic: "me/get");
        await BridgeHarness.Eventually(() => h.Mqtt.On("me/get").Count == 52);
        Assert.Equal(2, h.Account.Calls("get"));
    }

    [Fact]
    public async Task After_a_broker_reconnect_a_command_in_flight_confirms_at_once_instead_of_leaving_UNLOCKING_standing()
    {
        await using var h = await Started();
        await h.Mqtt.DeliverAsync("s2m/front_door/set", "UNLOCK");
        await BridgeHarness.Eventually(() => States(h).LastOrDefault() == "UNLOCKING");

        // The broker restarts while the lock moves; nothing moves the clock, so only the reconnect can trigger the read.
        h.Mqtt.Disconnect();
        h.Mqtt.Connect();

        await BridgeHarness.Eventually(() => States(h).LastOrDefault() == "UNLOCKED", h.Diagnostics());
        Assert.Equal(1, h.Account.Calls("get"));
    }

    [Fact]
    public async Task A_reconnect_republishes_the_access_code_topic_of_every_lock_whose_codes_were_read()
    {
        await using var h = await Started();
        h.Account.PutCode("dev-1", "c1", new Cloud.NewAccessCode { Name = "Guest", Code = "1234" });
        await h.Mqtt.DeliverAsync("s2m/bridge/request/access_code/list", """{"lock":"front_door"}""");
        await BridgeHarness.Eventually(() => h.Mqtt.On("s2m/front_door/access_codes").Count == 1);

        // A broker restarted without persistence has lost every retained message.
        h.Mqtt.Disconnect();
        h.Mqtt.Connect();

        await BridgeHarness.Eventually(() => h.Mqtt.On("s2m/front_door/access_codes").Count == 2, h.Diagnostics());
        Assert.True(h.Mqtt.Published.Last(m => m.Topic == "s2m/front_door/access_codes").Retain);
        Assert.Equal(h.Mqtt.On("s2m/front_door/access_codes")[0], h.Mqtt.On("s2m/front_door/access_codes")[1]);
    }

    [Fact]
    public async Task An_answer_too_large_for_the_broker_is_replaced_by_a_small_error_answer_counted_and_warned_once()
    {
        await using var h = await Started();
        h.Mqtt.MaxPayload = 400;

        await h.Mqtt.DeliverAsync("s2m/bridge/request/locks", """{"transaction":"big"}""");
        await h.Mqtt.DeliverAsync("s2m/bridge/request/locks", """{"transaction":"big2"}""");
        await BridgeHarness.Eventually(() => h.Mqtt.On("s2m/bridge/response/locks").Count == 2);

        var answer = JsonNode.Parse(h.Mqtt.On("s2m/bridge/response/locks")[0])!;
        Assert.Equal("response_too_large", answer["error"]!["code"]!.GetValue<string>());
        Assert.Equal(["big", "big2"], h.Mqtt.On("s2m/bridge/response/locks").Select(a => JsonNode.Parse(a)!["transaction"]!.GetValue<string>()).Order());
        Assert.Contains("400", answer["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(h.Runtime.Health().Document["mqtt"]!["refused"]!.GetValue<long>() >= 2);
        Assert.Single(h.Logs.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning && e.FullText.Contains("s2m/bridge/response/locks", StringComparison.Ordinal) && e.FullText.Contains("refuse", StringComparison.Ordinal));
    }
}
