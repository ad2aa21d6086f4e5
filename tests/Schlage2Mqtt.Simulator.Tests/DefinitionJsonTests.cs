using System.Text.Json;
using System.Text.Json.Serialization;
using Schlage2Mqtt.Simulator.Faults;
using Schlage2Mqtt.TestSupport;

namespace Schlage2Mqtt.Simulator.Tests;

/// <summary>
/// A consumer's own source-generated context, as the executable or the bridge would declare one: source generation
/// sets every init-only member it knows, so without the definitions' converters an absent member became 0 or null.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(LockDefinition))]
[JsonSerializable(typeof(AccessCodeDefinition))]
[JsonSerializable(typeof(AccountDefinition))]
[JsonSerializable(typeof(SimulatorOptions))]
[JsonSerializable(typeof(SimulatorHostOptions))]
[JsonSerializable(typeof(FaultRule))]
[JsonSerializable(typeof(AccessCodeFaultRule))]
internal sealed partial class ConsumerJsonContext : JsonSerializerContext;

public sealed class DefinitionJsonTests
{
    private static readonly ConsumerJsonContext Consumer = ConsumerJsonContext.Default;

    private static readonly JsonSerializerOptions Reflection = new();

    [Fact]
    public void A_lock_read_by_a_source_generated_context_keeps_the_defaults_of_absent_members()
    {
        var parsed = JsonSerializer.Deserialize("""{"name": "Shed"}""", Consumer.LockDefinition)!;

        Assert.Equal(new LockDefinition { Name = "Shed" }, parsed with { AccessCodes = new LockDefinition { Name = "Shed" }.AccessCodes });
        Assert.Equal((LockModel.Encode, 1, 90, 1, 1, 0, 4, 100, true), (parsed.Model, parsed.LockState, parsed.BatteryLevel, parsed.BeeperEnabled,
            parsed.LockAndLeaveEnabled, parsed.AutoLockTime, parsed.AccessCodeLength, parsed.MaxUserCodes, parsed.Connected));
        Assert.Empty(parsed.AccessCodes);
    }

    [Fact]
    public void Members_the_JSON_sets_win_even_when_they_are_zero()
    {
        var parsed = JsonSerializer.Deserialize("""{"Name": "Shed", "model": "Sense", "lockState": 0, "beeperEnabled": 0, "connected": false, "accessCodeLength": 6}""",
            Consumer.LockDefinition)!;

        Assert.Equal((LockModel.Sense, 0, 0, false, 6), (parsed.Model, parsed.LockState, parsed.BeeperEnabled, parsed.Connected, parsed.AccessCodeLength));
        Assert.Equal(90, parsed.BatteryLevel);
    }

    [Fact]
    public void Fault_rules_keep_their_504_and_Retry_After_defaults()
    {
        var rule = JsonSerializer.Deserialize("""{"action": "AppliedButError", "endpoint": "PutDevice", "delay": "00:00:20"}""", Consumer.FaultRule)!;
        var tooMany = JsonSerializer.Deserialize("""{"action": "TooManyRequests"}""", Consumer.FaultRule)!;
        var nack = JsonSerializer.Deserialize("""{"fault": "GatewayErrorButApplied"}""", Consumer.AccessCodeFaultRule)!;

        Assert.Equal(FaultRule.AppliedButError(TimeSpan.FromSeconds(20), ApiEndpoint.PutDevice), rule);
        Assert.Equal(TimeSpan.FromSeconds(30), tooMany.RetryAfter);
        Assert.Equal(504, tooMany.StatusCode);
        Assert.Equal(new AccessCodeFaultRule { Fault = AccessCodeFault.GatewayErrorButApplied }, nack);
        Assert.Equal(504, nack.StatusCode);
    }

    [Fact]
    public void A_whole_world_keeps_every_nested_default()
    {
        var options = JsonSerializer.Deserialize("""
            {"accounts": [{"email": "me@example.com", "password": "pw",
              "locks": [{"name": "Front", "accessCodes": [{"name": "Family", "code": "2580"}]}]}]}
            """, Consumer.SimulatorOptions)!;

        var defaults = new SimulatorOptions();
        Assert.Equal((1, SimulatorDefaults.ApiKey, SimulatorDefaults.UserPoolId, TimeSpan.FromHours(1), TimeSpan.FromSeconds(2), 5, 100_000),
            (options.Seed, options.ApiKey, options.UserPoolId, options.TokenLifetime, options.CommandLatency, options.KeypadLockoutAttempts, options.CallLogCapacity));
        Assert.Equal(defaults.AppClients, options.AppClients);
        var account = Assert.Single(options.Accounts);
        Assert.Equal(("Schlage User", true), (account.FriendlyName, account.Confirmed));
        var front = Assert.Single(account.Locks);
        Assert.Equal(1, front.LockState);
        var code = Assert.Single(front.AccessCodes);
        Assert.Equal(new AccessCodeDefinition { Name = "Family", Code = "2580" }, code);
        Assert.Equal(("7F", 23, 59, (long)uint.MaxValue), (code.DaysOfWeek, code.EndHour, code.EndMinute, code.ExpirationSecs));

        var host = JsonSerializer.Deserialize("""{"seed": 3}""", Consumer.SimulatorHostOptions)!;
        Assert.Equal(new SimulatorHostOptions { Seed = 3 }, host);
    }

    [Fact]
    public void The_demo_world_round_trips_through_a_consumers_context_and_through_reflection()
    {
        var demo = DemoWorld.CreateOptions(seed: 4);

        var viaContext = JsonSerializer.Serialize(demo, Consumer.SimulatorOptions);
        var viaReflection = JsonSerializer.Serialize(demo, Reflection);

        Assert.Equal(viaContext, viaReflection);
        Assert.Equal(viaContext, JsonSerializer.Serialize(JsonSerializer.Deserialize(viaContext, Consumer.SimulatorOptions)!, Consumer.SimulatorOptions));
        Assert.Equal(viaContext, JsonSerializer.Serialize(JsonSerializer.Deserialize<SimulatorOptions>(viaReflection, Reflection)!, Consumer.SimulatorOptions));
        Assert.Contains("\"model\":\"EncodePlus\"", viaContext, StringComparison.Ordinal);
        Assert.Contains("\"commandLatency\":\"00:00:02\"", viaContext, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"model": "Encode"}""", "\"name\"")]
    [InlineData("""{"name": "Front", "accessCodes": [{"name": "Family"}]}""", "\"code\"")]
    public void A_missing_required_member_is_an_error_naming_it(string json, string field)
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json, Consumer.LockDefinition));

        Assert.Contains(field, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_world_read_from_JSON_runs_with_its_defaults()
    {
        var options = JsonSerializer.Deserialize("""
            {"seed": 9, "accounts": [{"email": "owner@example.com", "password": "Correct-Horse-9",
              "locks": [{"deviceId": "11111111-1111-4111-8111-111111111111", "name": "Front"}]}]}
            """, Consumer.SimulatorOptions)!;
        await using var simulator = new SchlageCloudSimulator(options, new ManualTimeProvider());

        var front = simulator.Admin.Lock("11111111-1111-4111-8111-111111111111");

        Assert.Equal((1, true, "be489wifi"), (front.LockState, front.Connected, front.DevicetypeId));
    }
}
