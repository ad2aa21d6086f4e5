using System.Text;
using System.Text.Json.Nodes;
using Schlage2Mqtt.Bridge.Contract;
using Schlage2Mqtt.Bridge.Tests.Fakes;
using Schlage2Mqtt.Bridge.Tests.Runtime;

namespace Schlage2Mqtt.Bridge.Tests.Hostile;

/// <summary>Issue 20.11: a duplicate key in a command or request is refused, never resolved to its last value.</summary>
public sealed class DuplicateKeyTests
{
    private static async Task<BridgeHarness> Started()
    {
        var h = new BridgeHarness();
        h.Account.Put(FakeLockAccount.Lock("dev-1", "Front Door"));
        await h.StartAsync();
        return h;
    }

    [Fact]
    public async Task A_command_with_state_twice_is_refused_naming_the_key_and_the_lock_is_not_touched()
    {
        await using var h = await Started();
        await h.Mqtt.DeliverAsync("s2m/front_door/set", """{"state":"LOCK","state":"UNLOCK"}""", responseTopic: "reply/1");

        await h.WhenIdleAsync();
        Assert.Single(h.Mqtt.On("reply/1"));

        var error = JsonNode.Parse(h.Mqtt.On("reply/1").Single())!["error"]!;
        Assert.Equal("invalid_request", error["code"]!.GetValue<string>());
        Assert.Contains("'state' appears more than once", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, h.Account.Calls("set_locked"));
        Assert.DoesNotContain("UNLOCKING", h.Mqtt.On("s2m/front_door").Select(p => p.Length == 0 ? "" : JsonNode.Parse(p)!["state"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_lock_request_with_action_twice_is_refused_naming_the_key()
    {
        await using var h = await Started();
        await h.Mqtt.DeliverAsync("s2m/bridge/request/lock", """{"lock":"front_door","action":"lock","action":"unlock","transaction":5}""");

        await h.WhenIdleAsync();
        Assert.Single(h.Mqtt.On("s2m/bridge/response/lock"));

        var response = JsonNode.Parse(h.Mqtt.On("s2m/bridge/response/lock").Single())!;
        Assert.Equal("invalid_request", response["error"]!["code"]!.GetValue<string>());
        Assert.Contains("'action' appears more than once", response["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, h.Account.Calls("set_locked"));
    }

    [Fact]
    public async Task A_duplicate_key_deep_inside_a_request_is_refused_with_its_path()
    {
        await using var h = await Started();
        await h.Mqtt.DeliverAsync("s2m/bridge/request/access_code/add",
            """{"lock":"front_door","name":"Guest","code":"4711","schedule":{"type":"Always","type":"Recurring","days":["Monday"],"start":"09:00","end":"10:00"}}""");

        await BridgeHarness.Eventually(() => h.Mqtt.On("s2m/bridge/response/access_code/add").Count == 1, "answer");

        var error = JsonNode.Parse(h.Mqtt.On("s2m/bridge/response/access_code/add").Single())!["error"]!;
        Assert.Equal("invalid_request", error["code"]!.GetValue<string>());
        Assert.Contains("'schedule.type' appears more than once", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"a":1,"a":2}""", "'a' appears more than once")]
    [InlineData("""{"a":{"b":[{"c":1,"c":1}]}}""", "'a.b[].c' appears more than once")]
    [InlineData("""{"transaction":{"x":1,"x":1}}""", "'transaction.x' appears more than once")]
    [InlineData("""{"lock":"\ud800"}""", "'lock' is not valid Unicode text")]
    [InlineData("""{"\udc00":1}""", "'payload' has a key that is not valid Unicode")]
    public void The_guard_names_the_offending_field(string json, string expected)
    {
        var error = JsonInputGuard.Check(Encoding.UTF8.GetBytes(json), 16);

        Assert.NotNull(error);
        Assert.Equal("invalid_request", error.Code);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"a":1,"b":{"a":2},"c":[{"a":3},{"a":4}]}""")]
    [InlineData("""{"name":"G\u00e4st \ud83d\ude00","lock":"\u0000"}""")]
    public void Same_keys_in_different_objects_and_valid_pairs_pass(string json) =>
        Assert.Null(JsonInputGuard.Check(Encoding.UTF8.GetBytes(json), 16));
}
