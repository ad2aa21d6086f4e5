using System.Net;
using Schlage2Mqtt.Simulator.Faults;

namespace Schlage2Mqtt.Simulator.Tests;

public sealed class FaultTests
{
    [Fact]
    public async Task Latency_holds_the_answer_until_the_clock_moves()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        cloud.Admin.AddFault(FaultRule.Latency(TimeSpan.FromSeconds(20), ApiEndpoint.ListDevices) with { Count = 1 });

        var pending = cloud.GetAsync("devices?archetype=lock");
        await Waits.UntilTimersAsync(cloud.Time, 1);
        Assert.False(pending.IsCompleted);
        cloud.Time.Advance(TimeSpan.FromSeconds(20));

        Assert.Equal(HttpStatusCode.OK, (await pending).Status);
        Assert.Equal("Latency", cloud.Simulator.Calls.Records()[^1].Fault);
    }

    [Theory]
    [InlineData(500, "Internal server error")]
    [InlineData(502, "Bad Gateway")]
    [InlineData(503, "Service Unavailable")]
    [InlineData(504, "Endpoint request timed out")]
    public async Task Error_rule_answers_the_status_for_its_count_then_clears(int statusCode, string message)
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        cloud.Admin.AddFault(FaultRule.Error(statusCode, ApiEndpoint.GetDevice) with { Count = 2 });

        for (var i = 0; i < 2; i++)
        {
            var (status, body) = await cloud.GetAsync($"devices/{TestCloud.EncodeId}");
            Assert.Equal((HttpStatusCode)statusCode, status);
            Assert.Equal(message, body.GetProperty("message").GetString());
        }
        Assert.Equal(HttpStatusCode.OK, (await cloud.GetAsync($"devices/{TestCloud.EncodeId}")).Status);
        Assert.Empty(cloud.Admin.Faults());
    }

    [Fact]
    public async Task Error_on_a_write_applies_nothing()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        cloud.Admin.AddFault(FaultRule.Error(502, ApiEndpoint.PutDevice) with { Count = 1 });
        Assert.Equal(HttpStatusCode.BadGateway, (await cloud.JsonAsync(HttpMethod.Put, $"devices/{TestCloud.EncodeId}", """{"attributes":{"lockState":0}}""")).Status);
        cloud.Time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(1, await cloud.LockStateAsync(TestCloud.EncodeId));
    }

    [Fact]
    public async Task Gateway_timeout_but_applied_moves_the_lock_later()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        cloud.Admin.AddFault(FaultRule.AppliedButError(TimeSpan.FromSeconds(30), ApiEndpoint.PutDevice) with { Count = 1 });

        var (status, body) = await cloud.JsonAsync(HttpMethod.Put, $"devices/{TestCloud.EncodeId}", """{"attributes":{"lockState":0}}""");
        Assert.Equal(HttpStatusCode.GatewayTimeout, status);
        Assert.Equal("Endpoint request timed out", body.GetProperty("message").GetString());

        cloud.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(1, await cloud.LockStateAsync(TestCloud.EncodeId));
        cloud.Time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(0, await cloud.LockStateAsync(TestCloud.EncodeId));
        Assert.Equal("AppliedButError", cloud.Simulator.Calls.Records().First(r => r.Operation == "PutDevice").Fault);
    }

    [Fact]
    public async Task Token_expired_fault_answers_401_once_and_the_retry_succeeds()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        cloud.Admin.AddFault(FaultRule.TokenExpired() with { Count = 1 });

        var (status, body) = await cloud.GetAsync("devices?archetype=lock");
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("The incoming token has expired", body.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.OK, (await cloud.GetAsync("devices?archetype=lock")).Status);
    }

    [Fact]
    public async Task Too_many_requests_carries_retry_after()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        cloud.Admin.AddFault(FaultRule.TooManyRequests(TimeSpan.FromSeconds(42)) with { Count = 1 });

        using var response = await cloud.SendAsync(HttpMethod.Get, "devices?archetype=lock");
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(42), response.Headers.RetryAfter!.Delta);
    }

    [Fact]
    public async Task Rules_match_device_and_command()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        cloud.Admin.AddFault(new FaultRule { Action = FaultAction.Error, StatusCode = 503, DeviceId = TestCloud.LeverId });
        cloud.Admin.AddFault(new FaultRule { Action = FaultAction.Error, StatusCode = 500, Command = "addaccesscode" });

        Assert.Equal(HttpStatusCode.OK, (await cloud.GetAsync($"devices/{TestCloud.EncodeId}")).Status);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await cloud.GetAsync($"devices/{TestCloud.LeverId}")).Status);
        Assert.Equal(HttpStatusCode.InternalServerError, (await cloud.CommandAsync(TestCloud.EncodeId, TestCloud.AddCode("X", 1111))).Status);
        Assert.Equal(HttpStatusCode.OK, (await cloud.CommandAsync(TestCloud.EncodeId, """{"name":"changelockstate","data":{"state":0}}""")).Status);
        Assert.Equal(2, cloud.Admin.Faults().Count);
        cloud.Admin.ClearFaults();
        Assert.Equal(HttpStatusCode.OK, (await cloud.GetAsync($"devices/{TestCloud.LeverId}")).Status);
    }

    [Fact]
    public async Task Faults_do_not_fire_on_calls_refused_by_auth()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        var id = cloud.Admin.AddFault(FaultRule.Error(500) with { Count = 1 });
        Assert.Equal(HttpStatusCode.Unauthorized, (await cloud.JsonAsync(HttpMethod.Get, "users/@me", token: "x.y.z")).Status);
        Assert.Equal(1, Assert.Single(cloud.Admin.Faults()).Remaining);
        Assert.True(cloud.Admin.RemoveFault(id));
    }

    [Theory]
    [InlineData(409)]
    [InlineData(503)]
    public async Task Offline_lock_has_a_sparse_document_and_refuses_lock_and_unlock(int statusCode)
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        cloud.Admin.GoOffline(TestCloud.EncodeId, statusCode);
        cloud.Admin.GoOffline(TestCloud.SenseId, statusCode);

        var device = await cloud.DeviceAsync(TestCloud.EncodeId);
        Assert.False(device.GetProperty("connected").GetBoolean());
        var names = device.GetProperty("attributes").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal);
        Assert.Equal(["CAT", "SAT", "macAddress", "modelName", "serialNumber"], names);

        var (put, body) = await cloud.JsonAsync(HttpMethod.Put, $"devices/{TestCloud.EncodeId}", """{"attributes":{"lockState":0}}""");
        Assert.Equal((HttpStatusCode)statusCode, put);
        Assert.Equal("Device is offline", body.GetProperty("message").GetString());
        Assert.Equal((HttpStatusCode)statusCode, (await cloud.CommandAsync(TestCloud.SenseId, """{"name":"changelockstate","data":{"state":0}}""")).Status);
        Assert.Equal((HttpStatusCode)statusCode, (await cloud.CommandAsync(TestCloud.EncodeId, TestCloud.AddCode("Off", 9090))).Status);

        cloud.Admin.GoOnline(TestCloud.EncodeId);
        Assert.Equal(HttpStatusCode.OK, (await cloud.JsonAsync(HttpMethod.Put, $"devices/{TestCloud.EncodeId}", """{"attributes":{"lockState":0}}""")).Status);
    }

    [Fact]
    public async Task Lock_that_goes_offline_before_acting_never_moves()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        await cloud.JsonAsync(HttpMethod.Put, $"devices/{TestCloud.EncodeId}", """{"attributes":{"lockState":0}}""");
        cloud.Admin.GoOffline(TestCloud.EncodeId);
        cloud.Time.Advance(TimeSpan.FromSeconds(5));
        cloud.Admin.GoOnline(TestCloud.EncodeId);
        Assert.Equal(1, await cloud.LockStateAsync(TestCloud.EncodeId));
    }

    [Fact]
    public async Task Jammed_lock_stays_jammed_under_remote_commands_until_the_thumbturn()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        cloud.Admin.Jam(TestCloud.EncodeId);
        Assert.Equal(2, await cloud.LockStateAsync(TestCloud.EncodeId));
        Assert.Equal(10, (await cloud.LogsAsync(TestCloud.EncodeId))[0].GetProperty("message").GetProperty("eventCode").GetInt32());

        await cloud.JsonAsync(HttpMethod.Put, $"devices/{TestCloud.EncodeId}", """{"attributes":{"lockState":0}}""");
        cloud.Time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(2, await cloud.LockStateAsync(TestCloud.EncodeId));

        cloud.Admin.TurnThumbturn(TestCloud.EncodeId, locked: false);
        Assert.Equal(0, await cloud.LockStateAsync(TestCloud.EncodeId));

        cloud.Admin.Jam(TestCloud.LeverId, motor: true);
        Assert.Equal(4, await cloud.LockStateAsync(TestCloud.LeverId));
        Assert.Equal(56, (await cloud.LogsAsync(TestCloud.LeverId))[0].GetProperty("message").GetProperty("eventCode").GetInt32());
    }
}
