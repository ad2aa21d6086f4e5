using System.Net;
using System.Text.Json;
using Schlage2Mqtt.Simulator.Faults;

namespace Schlage2Mqtt.Simulator.Tests;

public sealed class RestApiTests
{
    [Fact]
    public async Task Missing_api_key_is_403_Forbidden()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        using var response = await cloud.SendAsync(HttpMethod.Get, "users/@me", apiKey: false);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Forbidden", await MessageAsync(response));
    }

    [Fact]
    public async Task Missing_or_forged_bearer_is_401_Unauthorized()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        using var none = await cloud.SendAsync(HttpMethod.Get, "users/@me", bearer: false);
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("Unauthorized", await MessageAsync(none));

        var parts = cloud.AccessToken!.Split('.');
        using var forged = await cloud.SendAsync(HttpMethod.Get, "users/@me", token: parts[0] + "." + parts[1] + ".AAAA");
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
    }

    [Fact]
    public async Task Access_token_expires_after_its_lifetime_and_a_refreshed_one_works()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        cloud.Time.Advance(TimeSpan.FromSeconds(3599));
        Assert.Equal(HttpStatusCode.OK, (await cloud.GetAsync("users/@me")).Status);

        cloud.Time.Advance(TimeSpan.FromSeconds(1));
        using var expired = await cloud.SendAsync(HttpMethod.Get, "users/@me");
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Equal("The incoming token has expired", await MessageAsync(expired));

        var (_, refreshed) = await cloud.RefreshAsync(cloud.UserIdForSrp);
        cloud.AccessToken = refreshed.GetProperty("AuthenticationResult").GetProperty("AccessToken").GetString();
        Assert.Equal(HttpStatusCode.OK, (await cloud.GetAsync("users/@me")).Status);
    }

    [Fact]
    public async Task Admin_expiry_invalidates_tokens_mid_session()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        Assert.Equal(2, cloud.Admin.ExpireAccessTokens());
        using var response = await cloud.SendAsync(HttpMethod.Get, "devices?archetype=lock");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var (_, refreshed) = await cloud.RefreshAsync(cloud.UserIdForSrp);
        cloud.AccessToken = refreshed.GetProperty("AuthenticationResult").GetProperty("AccessToken").GetString();
        Assert.Equal(HttpStatusCode.OK, (await cloud.GetAsync("devices?archetype=lock")).Status);
    }

    [Fact]
    public async Task Id_token_is_accepted_as_bearer_too()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        Assert.Equal(HttpStatusCode.OK, (await cloud.JsonAsync(HttpMethod.Get, "users/@me", token: cloud.IdToken)).Status);
    }

    [Fact]
    public async Task Current_user_has_identity_email_and_friendly_name()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        var (status, me) = await cloud.GetAsync("users/@me");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(cloud.Simulator.Accounts[0].IdentityId, me.GetProperty("identityId").GetString());
        Assert.Equal(TestCloud.Email, me.GetProperty("email").GetString());
        Assert.Equal("Owner", me.GetProperty("friendlyName").GetString());
    }

    [Fact]
    public async Task Users_lists_the_owner_once()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        var (_, users) = await cloud.GetAsync("users");
        var user = Assert.Single(users.EnumerateArray());
        Assert.Equal("owner", user.GetProperty("role").GetString());
        Assert.Equal(cloud.Simulator.Accounts[0].IdentityId, user.GetProperty("identityId").GetString());
    }

    [Fact]
    public async Task Device_list_has_every_lock_with_the_reference_shape()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        var (status, list) = await cloud.GetAsync("devices?archetype=lock");

        Assert.Equal(HttpStatusCode.OK, status);
        var devices = list.EnumerateArray().ToList();
        Assert.Equal([TestCloud.EncodeId, TestCloud.EncodePlusId, TestCloud.LeverId, TestCloud.SenseId], devices.Select(d => d.GetProperty("deviceId").GetString()));
        Assert.Equal(["be489wifi", "be499wifi", "fe789wifi", "be479"], devices.Select(d => d.GetProperty("devicetypeId").GetString()));
        var encode = devices[0];
        foreach (var field in new[] { "deviceId", "devicetypeId", "name", "modelName", "serialNumber", "macAddress", "connected", "connectivityUpdated", "role", "CAT", "users", "relatedDevices", "attributes" })
        {
            Assert.True(encode.TryGetProperty(field, out _), field);
        }
        var attributes = encode.GetProperty("attributes");
        foreach (var field in new[] { "lockState", "batteryLevel", "batteryLowState", "beeperEnabled", "lockAndLeaveEnabled", "autoLockTime", "alarmSelection", "alarmSensitivity", "alarmState", "accessCodeLength", "maxUserCodes", "mainFirmwareVersion", "wifiFirmwareVersion", "wifiRssi", "supportedFeatures", "lockStateMetadata" })
        {
            Assert.True(attributes.TryGetProperty(field, out _), field);
        }
        var metadata = attributes.GetProperty("lockStateMetadata");
        Assert.Equal(JsonValueKind.Null, metadata.GetProperty("UUID").ValueKind);
        Assert.True(metadata.TryGetProperty("actionType", out _));
        Assert.Equal(JsonValueKind.Number, attributes.GetProperty("supportedFeatures").GetProperty("vlac").ValueKind);
        Assert.Single(devices[3].GetProperty("relatedDevices").EnumerateArray());
        Assert.Equal(JsonValueKind.Number, devices[1].GetProperty("attributes").GetProperty("doorState").ValueKind);
    }

    [Fact]
    public async Task Other_archetypes_list_nothing()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        var (_, list) = await cloud.GetAsync("devices?archetype=bridge");
        Assert.Empty(list.EnumerateArray());
    }

    [Fact]
    public async Task Unknown_device_is_404_with_a_message()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        var (status, body) = await cloud.GetAsync("devices/nope");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("Device not found", body.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Unknown_route_is_403_Missing_Authentication_Token_as_API_Gateway_answers()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        var (status, body) = await cloud.GetAsync("device");
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("Missing Authentication Token", body.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Another_accounts_lock_is_not_found()
    {
        var options = TestCloud.DefaultOptions() with
        {
            Accounts = [.. TestCloud.DefaultOptions().Accounts, new AccountDefinition
            {
                Email = "neighbour@example.com",
                Password = "Pass-Word-22",
                Locks = [new LockDefinition { DeviceId = "aaaaaaaa-0000-4000-8000-000000000000", Name = "Theirs" }],
            }],
        };
        await using var cloud = await TestCloud.StartLoggedInAsync(options);
        Assert.Equal(HttpStatusCode.NotFound, (await cloud.GetAsync("devices/aaaaaaaa-0000-4000-8000-000000000000")).Status);
        Assert.Equal(4, (await cloud.GetAsync("devices?archetype=lock")).Body.GetArrayLength());
    }

    [Fact]
    public async Task Unlock_answers_the_full_document_before_the_lock_acts_then_moves_after_the_latency()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        var (status, answer) = await cloud.JsonAsync(HttpMethod.Put, $"devices/{TestCloud.EncodeId}", """{"attributes":{"lockState":0}}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(TestCloud.EncodeId, answer.GetProperty("deviceId").GetString());
        Assert.Equal(1, answer.GetProperty("attributes").GetProperty("lockState").GetInt32());

        cloud.Time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(1, await cloud.LockStateAsync(TestCloud.EncodeId));
        cloud.Time.Advance(TimeSpan.FromSeconds(1));
        var device = await cloud.DeviceAsync(TestCloud.EncodeId);
        Assert.Equal(0, device.GetProperty("attributes").GetProperty("lockState").GetInt32());
        var metadata = device.GetProperty("attributes").GetProperty("lockStateMetadata");
        Assert.Equal("virtualKey", metadata.GetProperty("actionType").GetString());
        Assert.Equal(cloud.Simulator.Accounts[0].IdentityId, metadata.GetProperty("UUID").GetString());
        Assert.Equal("Owner", metadata.GetProperty("name").GetString());

        var log = (await cloud.LogsAsync(TestCloud.EncodeId))[0];
        Assert.Equal(7, log.GetProperty("message").GetProperty("eventCode").GetInt32());
        Assert.Equal(cloud.Simulator.Accounts[0].IdentityId, log.GetProperty("message").GetProperty("accessorUuid").GetString());
    }

    [Theory]
    [InlineData(TestCloud.EncodeId, 600, 45)]
    [InlineData(TestCloud.EncodePlusId, 300, 600)]
    [InlineData(TestCloud.LeverId, 5, 300)]
    public async Task Auto_lock_time_is_validated_per_model(string deviceId, int allowed, int refused)
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        var (ok, doc) = await cloud.JsonAsync(HttpMethod.Put, $"devices/{deviceId}", "{\"attributes\":{\"autoLockTime\":" + allowed + "}}");
        Assert.Equal(HttpStatusCode.OK, ok);
        Assert.Equal(allowed, doc.GetProperty("attributes").GetProperty("autoLockTime").GetInt32());

        var (bad, error) = await cloud.JsonAsync(HttpMethod.Put, $"devices/{deviceId}", "{\"attributes\":{\"autoLockTime\":" + refused + "}}");
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.Contains("autoLockTime", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(allowed, (await cloud.DeviceAsync(deviceId)).GetProperty("attributes").GetProperty("autoLockTime").GetInt32());
    }

    [Fact]
    public async Task Beeper_and_lock_and_leave_apply_at_once_and_refuse_other_values()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        var (_, doc) = await cloud.JsonAsync(HttpMethod.Put, $"devices/{TestCloud.EncodeId}", """{"attributes":{"beeperEnabled":0,"lockAndLeaveEnabled":0}}""");
        Assert.Equal(0, doc.GetProperty("attributes").GetProperty("beeperEnabled").GetInt32());
        Assert.Equal(0, doc.GetProperty("attributes").GetProperty("lockAndLeaveEnabled").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, (await cloud.JsonAsync(HttpMethod.Put, $"devices/{TestCloud.EncodeId}", """{"attributes":{"beeperEnabled":2}}""")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await cloud.JsonAsync(HttpMethod.Put, $"devices/{TestCloud.EncodeId}", """{"attributes":{"batteryLevel":100}}""")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await cloud.JsonAsync(HttpMethod.Put, $"devices/{TestCloud.EncodeId}", """{"attributes":{"lockState":"1"}}""")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await cloud.JsonAsync(HttpMethod.Put, $"devices/{TestCloud.EncodeId}", "not json")).Status);
    }

    [Fact]
    public async Task Sense_refuses_PUT_lockState_and_moves_by_changelockstate()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        var (status, error) = await cloud.JsonAsync(HttpMethod.Put, $"devices/{TestCloud.SenseId}", """{"attributes":{"lockState":0}}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("changelockstate", error.GetProperty("message").GetString(), StringComparison.Ordinal);

        var cat = (await cloud.DeviceAsync(TestCloud.SenseId)).GetProperty("CAT").GetString();
        var body = JsonSerializer.Serialize(new { name = "changelockstate", data = new { CAT = cat, deviceId = TestCloud.SenseId, state = 0, userId = cloud.Simulator.Accounts[0].IdentityId } });
        var (ok, answer) = await cloud.CommandAsync(TestCloud.SenseId, body);
        Assert.Equal(HttpStatusCode.OK, ok);
        Assert.Equal(JsonValueKind.Object, answer.ValueKind);
        Assert.Equal(1, await cloud.LockStateAsync(TestCloud.SenseId));
        cloud.Time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(0, await cloud.LockStateAsync(TestCloud.SenseId));
    }

    [Fact]
    public async Task Changelockstate_with_a_wrong_CAT_or_state_is_refused()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        Assert.Equal(HttpStatusCode.BadRequest, (await cloud.CommandAsync(TestCloud.SenseId, """{"name":"changelockstate","data":{"CAT":"bad","state":1}}""")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await cloud.CommandAsync(TestCloud.SenseId, """{"name":"changelockstate","data":{"state":7}}""")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await cloud.CommandAsync(TestCloud.SenseId, """{"name":"frobnicate","data":{}}""")).Status);
    }

    [Fact]
    public async Task Async_changelockstate_is_pending_until_the_lock_acts()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        var (_, accepted) = await cloud.CommandAsync(TestCloud.SenseId, """{"name":"changelockstate","data":{"state":0}}""", async: true);
        var id = accepted.GetProperty("id").GetString();
        var (_, pending) = await cloud.JsonAsync(HttpMethod.Post, $"devices/{TestCloud.SenseId}/commands/{id}");
        Assert.Equal("Pending", pending.GetProperty("state").GetString());
        cloud.Time.Advance(TimeSpan.FromSeconds(5));
        var (_, done) = await cloud.JsonAsync(HttpMethod.Post, $"devices/{TestCloud.SenseId}/commands/{id}");
        Assert.Equal("Successful", done.GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await cloud.JsonAsync(HttpMethod.Post, $"devices/{TestCloud.SenseId}/commands/unknown")).Status);
    }

    [Fact]
    public async Task Logs_are_newest_first_limited_and_shaped_as_the_reference()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        cloud.Admin.TurnThumbturn(TestCloud.EncodeId, locked: false);
        cloud.Time.Advance(TimeSpan.FromSeconds(1));
        cloud.Admin.TurnThumbturn(TestCloud.EncodeId, locked: true);

        var logs = await cloud.LogsAsync(TestCloud.EncodeId, limit: 1);
        var entry = Assert.Single(logs);
        foreach (var field in new[] { "logId", "deviceId", "createdAt", "timestamp", "message" })
        {
            Assert.True(entry.TryGetProperty(field, out _), field);
        }
        var message = entry.GetProperty("message");
        Assert.Equal(3, message.GetProperty("eventCode").GetInt32());
        Assert.Equal("ffffffff-ffff-ffff-ffff-ffffffffffff", message.GetProperty("accessorUuid").GetString());
        Assert.Equal("ffffffff-ffff-ffff-ffff-ffffffffffff", message.GetProperty("keypadUuid").GetString());
        Assert.Equal(cloud.Time.GetUtcNow().ToUnixTimeSeconds(), message.GetProperty("secondsSinceEpoch").GetInt64());

        var (_, ascending) = await cloud.GetAsync($"devices/{TestCloud.EncodeId}/logs");
        Assert.Equal([4, 3], ascending.EnumerateArray().Select(e => e.GetProperty("message").GetProperty("eventCode").GetInt32()));
        Assert.Equal(HttpStatusCode.BadRequest, (await cloud.GetAsync($"devices/{TestCloud.EncodeId}/logs?limit=zero")).Status);
    }

    [Fact]
    public async Task Logs_older_than_the_retention_are_gone()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        cloud.Admin.TurnThumbturn(TestCloud.EncodeId, locked: false);
        cloud.Time.Advance(TimeSpan.FromDays(31));
        await cloud.LoginAsync();
        Assert.Empty(await cloud.LogsAsync(TestCloud.EncodeId));
    }

    [Fact]
    public async Task Access_code_list_has_numeric_codes_and_hex_days()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        var code = Assert.Single(await cloud.CodesAsync(TestCloud.EncodeId));
        Assert.Equal(JsonValueKind.Number, code.GetProperty("accessCode").ValueKind);
        Assert.Equal(1234, code.GetProperty("accessCode").GetInt64());
        Assert.Equal(4, code.GetProperty("accessCodeLength").GetInt32());
        Assert.Equal("Family", code.GetProperty("friendlyName").GetString());
        Assert.Equal(0, code.GetProperty("activationSecs").GetInt64());
        Assert.Equal(4294967295, code.GetProperty("expirationSecs").GetInt64());
        Assert.Equal("7F", code.GetProperty("schedule1").GetProperty("daysOfWeek").GetString());
        Assert.Equal(23, code.GetProperty("schedule1").GetProperty("endHour").GetInt32());
        Assert.True(Guid.TryParse(code.GetProperty("accesscodeId").GetString(), out _));
        Assert.Equal(HttpStatusCode.OK, (await cloud.GetAsync($"devices/{TestCloud.EncodeId}/storage/accesscode/")).Status);
    }

    [Fact]
    public async Task Notifications_can_be_created_listed_updated_and_deleted()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        var codeId = (await cloud.CodesAsync(TestCloud.EncodeId))[0].GetProperty("accesscodeId").GetString();
        var id = $"{cloud.Simulator.Accounts[0].IdentityId}_{codeId}";
        var create = JsonSerializer.Serialize(new { notificationId = id, devicetypeId = "be489wifi", notificationDefinitionId = "onunlockstateaction", active = true, filterValue = "Family" });

        var (created, doc) = await cloud.JsonAsync(HttpMethod.Post, $"notifications?deviceId={TestCloud.EncodeId}", create);
        Assert.Equal(HttpStatusCode.OK, created);
        Assert.Equal(id, doc.GetProperty("notificationId").GetString());
        Assert.Equal(TestCloud.EncodeId, doc.GetProperty("deviceId").GetString());

        var (_, list) = await cloud.GetAsync($"notifications?deviceId={TestCloud.EncodeId}");
        Assert.Single(list.EnumerateArray());
        Assert.Empty((await cloud.GetAsync($"notifications?deviceId={TestCloud.LeverId}")).Body.EnumerateArray());

        var (updated, after) = await cloud.JsonAsync(HttpMethod.Put, $"notifications/{id}", """{"active":false}""");
        Assert.Equal(HttpStatusCode.OK, updated);
        Assert.False(after.GetProperty("active").GetBoolean());
        Assert.Equal("Family", after.GetProperty("filterValue").GetString());
        var (updatedByQuery, _) = await cloud.JsonAsync(HttpMethod.Put, $"notifications?deviceId={TestCloud.EncodeId}", JsonSerializer.Serialize(new { notificationId = id, active = true }));
        Assert.Equal(HttpStatusCode.OK, updatedByQuery);

        Assert.Equal(HttpStatusCode.NoContent, (await cloud.JsonAsync(HttpMethod.Delete, $"notifications/{id}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await cloud.JsonAsync(HttpMethod.Delete, $"notifications/{id}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await cloud.JsonAsync(HttpMethod.Put, $"notifications/{id}", "{}")).Status);
    }

    [Fact]
    public async Task A_notification_without_the_devices_devicetypeId_is_refused()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        var id = $"{cloud.Simulator.Accounts[0].IdentityId}_code";
        var without = JsonSerializer.Serialize(new { notificationId = id, notificationDefinitionId = "onunlockstateaction", active = true, filterValue = "Family" });
        var wrong = JsonSerializer.Serialize(new { notificationId = id, devicetypeId = "be479", notificationDefinitionId = "onunlockstateaction", active = true, filterValue = "Family" });

        var (missing, missingBody) = await cloud.JsonAsync(HttpMethod.Post, $"notifications?deviceId={TestCloud.EncodeId}", without);
        var (mismatch, _) = await cloud.JsonAsync(HttpMethod.Post, $"notifications?deviceId={TestCloud.EncodeId}", wrong);

        Assert.Equal(HttpStatusCode.BadRequest, missing);
        Assert.Equal("devicetypeId is required", missingBody.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, mismatch);
        Assert.Empty((await cloud.GetAsync($"notifications?deviceId={TestCloud.EncodeId}")).Body.EnumerateArray());
    }

    [Fact]
    public async Task Every_api_call_is_in_the_call_log_with_its_endpoint_and_status()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        await cloud.GetAsync("devices?archetype=lock");
        await cloud.JsonAsync(HttpMethod.Put, $"devices/{TestCloud.EncodeId}", """{"attributes":{"lockState":0}}""");
        await cloud.GetAsync("devices/nope");

        var calls = cloud.Simulator.Calls.Records().Where(r => r.Surface == Calls.CallSurface.Api).ToList();
        Assert.Equal(["ListDevices", "PutDevice", "GetDevice"], calls.Select(c => c.Operation));
        Assert.Equal([200, 200, 404], calls.Select(c => c.StatusCode));
        Assert.Equal("lockState=0", calls[1].Detail);
        Assert.Equal(TestCloud.EncodeId, calls[1].DeviceId);
        Assert.Equal(TestCloud.Email, calls[1].Subject);
        Assert.Equal(1, cloud.Simulator.Calls.Count(ApiEndpoint.PutDevice));
        Assert.Equal(3, cloud.Simulator.Calls.ApiCallsPerMinute().Values.Sum());
        Assert.Equal(3, cloud.Simulator.Calls.MaxApiCallsInWindow(TimeSpan.FromMinutes(1)));
    }

    private static async Task<string?> MessageAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString();
}
