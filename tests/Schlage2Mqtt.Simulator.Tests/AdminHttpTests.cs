using System.Net;
using System.Text;
using System.Text.Json;

namespace Schlage2Mqtt.Simulator.Tests;

public sealed class AdminHttpTests
{
    [Fact]
    public async Task Admin_routes_drive_the_world_over_http()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();

        var locks = await AdminAsync(cloud, HttpMethod.Get, "locks");
        Assert.Equal(4, locks.GetArrayLength());
        Assert.Equal("Encode", locks[0].GetProperty("model").GetString());

        await AdminAsync(cloud, HttpMethod.Post, $"locks/{TestCloud.EncodeId}/thumbturn", """{"locked":false}""");
        Assert.Equal(0, await cloud.LockStateAsync(TestCloud.EncodeId));

        var keypad = await AdminAsync(cloud, HttpMethod.Post, $"locks/{TestCloud.EncodeId}/keypad", """{"code":"9999"}""");
        Assert.Equal("Rejected", keypad.GetProperty("result").GetString());

        await AdminAsync(cloud, HttpMethod.Post, $"locks/{TestCloud.EncodeId}/battery", """{"level":12}""");
        await AdminAsync(cloud, HttpMethod.Post, $"locks/{TestCloud.EncodeId}/jam", """{"motor":false}""");
        Assert.Equal(2, await cloud.LockStateAsync(TestCloud.EncodeId));
        await AdminAsync(cloud, HttpMethod.Post, $"locks/{TestCloud.LeverId}/offline", """{"statusCode":503}""");
        Assert.False((await cloud.DeviceAsync(TestCloud.LeverId)).GetProperty("connected").GetBoolean());
        await AdminAsync(cloud, HttpMethod.Post, $"locks/{TestCloud.LeverId}/online");

        var added = await AdminAsync(cloud, HttpMethod.Post, "locks", """{"name":"Shed","model":"EncodePlus"}""", HttpStatusCode.Created);
        Assert.Equal("be499wifi", (await cloud.DeviceAsync(added.GetProperty("deviceId").GetString()!)).GetProperty("devicetypeId").GetString());
    }

    [Fact]
    public async Task Faults_and_cognito_trouble_can_be_set_over_http()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        var rule = await AdminAsync(cloud, HttpMethod.Post, "faults", """{"action":"TooManyRequests","endpoint":"ListDevices","retryAfter":"00:00:15","count":1}""", HttpStatusCode.Created);
        Assert.Equal("f1", rule.GetProperty("id").GetString());
        using (var limited = await cloud.SendAsync(HttpMethod.Get, "devices?archetype=lock"))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(15), limited.Headers.RetryAfter!.Delta);
        }

        await AdminAsync(cloud, HttpMethod.Post, "faults/access-codes", """{"fault":"GatewayErrorButApplied","count":1}""", HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.GatewayTimeout, (await cloud.CommandAsync(TestCloud.EncodeId, TestCloud.AddCode("Late", 3030))).Status);
        await AdminAsync(cloud, HttpMethod.Post, "faults", """{"action":"Error","endpoint":"GetUsers","count":1}""", HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.GatewayTimeout, (await cloud.GetAsync("users")).Status);
        await AdminAsync(cloud, HttpMethod.Post, "faults/access-codes", """{"fault":"Nack","count":1}""", HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.BadGateway, (await cloud.CommandAsync(TestCloud.EncodeId, TestCloud.AddCode("Http", 3131))).Status);

        await AdminAsync(cloud, HttpMethod.Post, "cognito/error", """{"email":"owner@example.com","error":"PasswordResetRequired","count":1}""");
        Assert.Equal("PasswordResetRequiredException", (await cloud.LoginAsync()).Body.GetProperty("__type").GetString());

        var expired = await AdminAsync(cloud, HttpMethod.Post, "cognito/expire-access-tokens");
        Assert.True(expired.GetProperty("count").GetInt32() >= 2);
        Assert.Equal(HttpStatusCode.Unauthorized, (await cloud.GetAsync("users/@me")).Status);
        var revoked = await AdminAsync(cloud, HttpMethod.Post, "cognito/revoke-refresh-tokens");
        Assert.Equal(1, revoked.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Call_log_and_counters_are_readable_over_http()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        await cloud.GetAsync("devices?archetype=lock");

        var calls = await AdminAsync(cloud, HttpMethod.Get, "calls");
        Assert.Equal(1, calls.GetProperty("counters").GetProperty("srpLogins").GetInt64());
        Assert.Equal(1, calls.GetProperty("counters").GetProperty("apiCalls").GetInt64());
        var records = calls.GetProperty("records").EnumerateArray().ToList();
        Assert.Equal(["InitiateAuth:USER_SRP_AUTH", "RespondToAuthChallenge:PASSWORD_VERIFIER", "ListDevices"], records.Select(r => r.GetProperty("operation").GetString()));
        Assert.Equal("Api", records[2].GetProperty("surface").GetString());

        var later = await AdminAsync(cloud, HttpMethod.Get, "calls?after=2");
        Assert.Single(later.GetProperty("records").EnumerateArray());
        await AdminAsync(cloud, HttpMethod.Delete, "calls");
        Assert.Equal(0, (await AdminAsync(cloud, HttpMethod.Get, "counters")).GetProperty("apiCalls").GetInt64());
    }

    [Fact]
    public async Task Admin_errors_name_the_problem()
    {
        await using var cloud = await TestCloud.StartAsync();
        var missing = await AdminAsync(cloud, HttpMethod.Post, "locks/nope/jam", null, HttpStatusCode.NotFound);
        Assert.Contains("nope", missing.GetProperty("message").GetString(), StringComparison.Ordinal);
        var bad = await AdminAsync(cloud, HttpMethod.Post, $"locks/{TestCloud.EncodeId}/thumbturn", "{}", HttpStatusCode.BadRequest);
        Assert.Contains("locked", bad.GetProperty("message").GetString(), StringComparison.Ordinal);
        await AdminAsync(cloud, HttpMethod.Post, $"locks/{TestCloud.EncodeId}/battery", "not json", HttpStatusCode.BadRequest);
        await AdminAsync(cloud, HttpMethod.Post, "reset");
    }

    private static async Task<JsonElement> AdminAsync(TestCloud cloud, HttpMethod method, string path, string? json = null,
        HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var request = new HttpRequestMessage(method, "admin/" + path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        using var response = await cloud.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
