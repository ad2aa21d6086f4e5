using System.Text.Json.Nodes;

namespace Schlage2Mqtt.Bridge.Tests.Runtime;

/// <summary>An account's own warnings (e.g. a Retry-After cut to the cap) reach bridge/log.</summary>
public sealed class AccountWarningTests
{
    [Fact]
    public async Task An_account_warning_is_published_on_bridge_log()
    {
        await using var h = new BridgeHarness();
        await h.StartAsync();

        h.Account.Warn("Schlage account home: the cloud asked to wait 300 s (429 Retry-After); waiting 60 s instead (schlage.max_retry_after).");

        await BridgeHarness.Eventually(() => h.Mqtt.On("s2m/bridge/log").Any(p => p.Contains("300 s", StringComparison.Ordinal)));
        var entry = JsonNode.Parse(h.Mqtt.On("s2m/bridge/log").Last(p => p.Contains("300 s", StringComparison.Ordinal)))!;
        Assert.Equal("warning", entry["level"]!.GetValue<string>());
        Assert.Contains("account home", entry["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("60 s", entry["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
