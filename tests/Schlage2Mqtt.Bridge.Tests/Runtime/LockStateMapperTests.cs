using System.Text.Json;
using System.Text.Json.Nodes;
using Schlage2Mqtt.Bridge.Contract;
using Schlage2Mqtt.Bridge.Runtime;
using Schlage2Mqtt.Bridge.Tests.Fakes;
using Schlage2Mqtt.Cloud;

namespace Schlage2Mqtt.Bridge.Tests.Runtime;

/// <summary>The lock state payload's battery fields.</summary>
public sealed class LockStateMapperTests
{
    [Theory]
    [InlineData(BatteryState.Ok, "ok")]
    [InlineData(BatteryState.Low, "low")]
    [InlineData(BatteryState.Critical, "critical")]
    [InlineData(BatteryState.Unknown, null)]
    [InlineData(null, null)]
    public void Battery_state_is_published_as_ok_low_critical_or_null(BatteryState? state, string? expected)
    {
        var cloud = FakeLockAccount.Lock("dev-1", "Front Door") with { BatteryState = state };

        var json = JsonNode.Parse(JsonSerializer.Serialize(LockStateMapper.Map(cloud), ContractJson.Default.LockStatePayload))!;

        Assert.True(json.AsObject().ContainsKey("battery_state"));
        Assert.Equal(expected, (string?)json["battery_state"]);
    }
}
