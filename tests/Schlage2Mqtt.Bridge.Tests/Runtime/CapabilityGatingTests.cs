using System.Text.Json.Nodes;
using Schlage2Mqtt.Bridge.Tests.Fakes;
using Schlage2Mqtt.Cloud;
using Xunit;

namespace Schlage2Mqtt.Bridge.Tests.Runtime;

/// <summary>Requests and features follow the lock's capabilities: what a lock's cloud cannot do is never asked of it.</summary>
public sealed class CapabilityGatingTests
{
    private static CloudLock Without(CloudLock cloudLock, Func<LockCapabilities, LockCapabilities> change) =>
        cloudLock with { Capabilities = change(cloudLock.Capabilities) };

    [Theory]
    [InlineData("list", """{"lock":"front_door"}""")]
    [InlineData("add", """{"lock":"front_door","name":"Guest","code":"2580"}""")]
    [InlineData("delete", """{"lock":"front_door","name":"Guest"}""")]
    [InlineData("sync", """{"lock":"front_door"}""")]
    public async Task An_access_code_request_for_a_lock_without_access_codes_is_answered_unsupported_without_a_cloud_call(string operation, string body)
    {
        await using var h = new BridgeHarness();
        h.Account.Put(Without(FakeLockAccount.Lock("dev-1", "Front Door"), c => c with { AccessCodes = null }));
        h.Account.Put(FakeLockAccount.Lock("dev-2", "Back Door"));
        await h.StartAsync();

        await h.Mqtt.DeliverAsync($"s2m/bridge/request/access_code/{operation}", body);
        await BridgeHarness.Eventually(() => h.Mqtt.On($"s2m/bridge/response/access_code/{operation}").Count == 1, h.Diagnostics());

        var answer = JsonNode.Parse(h.Mqtt.On($"s2m/bridge/response/access_code/{operation}").Single())!;
        Assert.Equal("error", answer["status"]!.GetValue<string>());
        Assert.Equal("unsupported", answer["error"]!["code"]!.GetValue<string>());
        Assert.Contains("front_door", answer["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, h.Account.Calls("list_codes") + h.Account.Calls("add_code") + h.Account.Calls("delete_code"));

        // The same request for a lock that has codes reaches the cloud.
        await h.Mqtt.DeliverAsync("s2m/bridge/request/access_code/list", """{"lock":"back_door"}""");
        await BridgeHarness.Eventually(() => h.Account.Calls("list_codes") == 1, h.Diagnostics());
    }

    [Fact]
    public async Task A_lock_without_an_activity_log_has_its_changes_published_but_its_log_never_read()
    {
        await using var h = new BridgeHarness();
        h.Account.Put(Without(FakeLockAccount.Lock("dev-1", "Front Door"), c => c with { ActivityLog = false }));
        await h.StartAsync();

        h.Account.Log("dev-1", new CloudLogEntry("log-1", 2, h.Time.GetUtcNow(), null, null));
        h.Account.Put(h.Account.Get("dev-1") with { State = LockState.Unlocked });
        await h.AdvanceUntil(() => h.LastState("front_door") == "UNLOCKED", TimeSpan.FromSeconds(10), what: "the change published");
        await h.WhenIdleAsync();

        Assert.Equal(0, h.Account.Calls("logs"));
        Assert.Empty(h.Mqtt.On("s2m/front_door/activity"));

        // Control: the same change on a lock with a log reads it.
        h.Account.Put(h.Account.Get("dev-1") with { State = LockState.Locked, Capabilities = FakeLockAccount.FullCapabilities });
        await h.AdvanceUntil(() => h.Account.Calls("logs") >= 1, TimeSpan.FromSeconds(10), what: "the log read");
    }
}

/// <summary>The <c>locks</c> request answers each lock as <c>LockListing</c>, its state written as the state topic has it.</summary>
public sealed class LocksRequestTests
{
    [Fact]
    public async Task The_locks_answer_lists_each_lock_with_its_keys_and_the_state_as_published()
    {
        await using var h = new BridgeHarness();
        h.Account.Put(FakeLockAccount.Lock("dev-1", "Front Door") with { Capabilities = FakeLockAccount.FullCapabilities with { Beeper = false } });
        await h.StartAsync();

        await h.Mqtt.DeliverAsync("s2m/bridge/request/locks", "{}");
        await BridgeHarness.Eventually(() => h.Mqtt.On("s2m/bridge/response/locks").Count == 1, h.Diagnostics());

        var listed = JsonNode.Parse(h.Mqtt.On("s2m/bridge/response/locks").Single())!["data"]!.AsArray().Single()!.AsObject();
        Assert.Equal(["lock", "device_id", "name", "model", "account", "available", "state"], listed.Select(kv => kv.Key));
        Assert.Equal("front_door", listed["lock"]!.GetValue<string>());
        Assert.Equal("Encode Plus", listed["model"]!.GetValue<string>());
        Assert.True(listed["available"]!.GetValue<bool>());
        // The state is the one on s2m/front_door, key for key: no beeper key for a lock without a beeper.
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(h.Mqtt.On("s2m/front_door").Last()), listed["state"]), listed["state"]!.ToJsonString());
        Assert.False(listed["state"]!.AsObject().ContainsKey("beeper"));
    }
}
