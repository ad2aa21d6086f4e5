using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Schlage2Mqtt.Bridge.Runtime;

namespace Schlage2Mqtt.Bridge.Tests.Runtime;

/// <summary>
/// Issue 19.1: the health document shows the process's memory, and <c>health_check</c> with <c>{"full_gc": true}</c>
/// runs a full collection first (rate-limited), so the chaos suite can measure the live managed heap.
/// </summary>
public sealed class ProcessMemoryHealthTests
{
    private static async Task<JsonNode> HealthCheck(BridgeHarness h, string payload)
    {
        var before = h.Mqtt.On("s2m/bridge/response/health_check").Count;
        await h.Mqtt.DeliverAsync("s2m/bridge/request/health_check", payload);
        await BridgeHarness.Eventually(() => h.Mqtt.On("s2m/bridge/response/health_check").Count == before + 1);
        return JsonNode.Parse(h.Mqtt.On("s2m/bridge/response/health_check")[before])!;
    }

    [Fact]
    public async Task The_health_document_and_bridge_health_carry_the_process_memory_figures()
    {
        await using var h = new BridgeHarness();
        await h.StartAsync();

        var process = h.Runtime.Health().Document["process"]!;

        Assert.True(process["rss_bytes"]!.GetValue<long>() > 1024 * 1024, process.ToJsonString());
        Assert.True(process["gc_heap_bytes"]!.GetValue<long>() > 0, process.ToJsonString());
        Assert.True(process["gc_committed_bytes"]!.GetValue<long>() >= 0, process.ToJsonString());
        Assert.Null(process["full_gc"]);
        var published = JsonNode.Parse(h.Mqtt.On("s2m/bridge/health").Last())!;
        Assert.True(published["process"]!["rss_bytes"]!.GetValue<long>() > 0);
    }

    [Fact]
    public async Task Full_gc_collects_before_answering_and_at_most_once_per_interval()
    {
        await using var h = new BridgeHarness();
        await h.StartAsync();
        var garbage = Unreachable();
        var gen2 = GC.CollectionCount(2);

        var first = await HealthCheck(h, """{"full_gc": true}""");

        Assert.Equal("ok", first["status"]!.GetValue<string>());
        Assert.Equal("collected", first["data"]!["process"]!["full_gc"]!.GetValue<string>());
        Assert.True(GC.CollectionCount(2) > gen2);
        Assert.False(garbage.IsAlive);
        Assert.True(first["data"]!["process"]!["gc_committed_bytes"]!.GetValue<long>() > 0);

        // Within the interval a second request is answered without pausing the process again.
        h.Time.Advance(ProcessMemory.CollectionInterval - TimeSpan.FromSeconds(1));
        var second = await HealthCheck(h, """{"full_gc": true}""");
        Assert.Equal("rate_limited", second["data"]!["process"]!["full_gc"]!.GetValue<string>());

        h.Time.Advance(TimeSpan.FromSeconds(1));
        var third = await HealthCheck(h, """{"full_gc": true}""");
        Assert.Equal("collected", third["data"]!["process"]!["full_gc"]!.GetValue<string>());
    }

    [Fact]
    public async Task Without_full_gc_or_with_false_no_collection_is_reported()
    {
        await using var h = new BridgeHarness();
        await h.StartAsync();

        foreach (var payload in new[] { "{}", """{"full_gc": false}""", """{"full_gc": null}""" })
        {
            var answer = await HealthCheck(h, payload);
            Assert.Equal("ok", answer["status"]!.GetValue<string>());
            Assert.Null(answer["data"]!["process"]!["full_gc"]);
        }
    }

    [Theory]
    [InlineData("""{"full_gc": "yes"}""", "string")]
    [InlineData("""{"full_gc": 1}""", "number")]
    [InlineData("""{"full_gc": {}}""", "object")]
    public async Task A_full_gc_that_is_not_a_boolean_is_refused_naming_the_field(string payload, string kind)
    {
        await using var h = new BridgeHarness();
        await h.StartAsync();

        var answer = await HealthCheck(h, payload);

        Assert.Equal("error", answer["status"]!.GetValue<string>());
        Assert.Equal("invalid_request", answer["error"]!["code"]!.GetValue<string>());
        Assert.Contains("full_gc", answer["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(kind, answer["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    // Allocated in its own frame so no local of the test keeps it reachable.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference Unreachable() => new(new byte[1024]);
}
