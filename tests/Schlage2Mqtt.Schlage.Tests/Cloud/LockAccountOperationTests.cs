using System.Text.Json;
using System.Text.Json.Nodes;
using Schlage2Mqtt.Cloud;
using Schlage2Mqtt.Schlage.Tests.Support;

namespace Schlage2Mqtt.Schlage.Tests.Cloud;

/// <summary>Every operation of the provider-neutral surface against the fake cloud.</summary>
public class LockAccountOperationTests
{
    [Fact]
    public async Task ListLocks_maps_every_attribute_in_one_call()
    {
        using var h = new CloudHarness();
        h.Cloud.AddWiFiLock("lock-1", owner: h.User);
        var account = h.Account();

        var result = await account.ListLocksAsync(default);

        var l = Assert.Single(result.Value!);
        Assert.Single(h.Cloud.Requests);
        Assert.Equal("devices?archetype=lock", h.Cloud.Requests[0].Path);
        Assert.Equal(FakeCloudApiKey, h.Cloud.Requests[0].ApiKey);
        Assert.Equal("lock-1", l.DeviceId);
        Assert.Equal("Front Door", l.Name);
        Assert.Equal("Schlage Encode Plus Smart WiFi Deadbolt", l.ModelName);
        Assert.Equal("be499wifi", l.DeviceType);
        Assert.Equal(LockFamily.WiFi, l.Family);
        Assert.True(l.Connected);
        Assert.Equal(LockState.Locked, l.State);
        Assert.Equal(87, l.BatteryLevel);
        Assert.False(l.BatteryLow);
        Assert.Equal(DoorState.Closed, l.Door);
        Assert.True(l.Beeper);
        Assert.False(l.LockAndLeave);
        Assert.Equal(30, l.AutoLockSeconds);
        Assert.Equal([0, 15, 30, 60, 120, 240, 300], l.AllowedAutoLockSeconds);
        Assert.Null(l.KeypadDisabled);
        Assert.Equal("10.00.00264232", l.Firmware);
        Assert.Equal(-42, l.WifiRssi);
        Assert.Equal(4, l.AccessCodeLength);
        Assert.Equal(100, l.MaxAccessCodes);
        Assert.False(l.VariableLengthCodes);
        Assert.Equal(new ChangedBy(ChangeMethod.Thumbturn, null), l.ChangedBy);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero), l.LastUpdate);
        Assert.Equal(h.Time.GetUtcNow(), l.FetchedAt);
    }

    private const string FakeCloudApiKey = Fakes.FakeSchlageCloud.ApiKey;

    [Theory]
    [InlineData(-1, BatteryState.Unknown, null)]
    [InlineData(0, BatteryState.Ok, false)]
    [InlineData(1, BatteryState.Low, true)]
    [InlineData(2, BatteryState.Critical, true)]
    public async Task BatteryLowState_is_a_level_and_minus_one_is_unknown_not_low(int raw, BatteryState state, bool? low)
    {
        using var h = new CloudHarness();
        h.Cloud.AddWiFiLock("lock-1")["attributes"]!["batteryLowState"] = raw;

        var l = Assert.Single((await h.Account().ListLocksAsync(default)).Value!);

        Assert.Equal(state, l.BatteryState);
        Assert.Equal(low, l.BatteryLow);
    }

    [Fact]
    public async Task No_batteryLowState_means_no_battery_state()
    {
        using var h = new CloudHarness();
        h.Cloud.AddWiFiLock("lock-1")["attributes"]!.AsObject().Remove("batteryLowState");

        var l = Assert.Single((await h.Account().ListLocksAsync(default)).Value!);

        Assert.Null(l.BatteryState);
        Assert.Null(l.BatteryLow);
    }

    [Fact]
    public async Task Auto_lock_values_follow_the_device_type_whatever_the_model_name_says()
    {
        using var h = new CloudHarness();
        h.Cloud.AddWiFiLock("lock-1", model: "Schlage Encode Lever", type: "be499wifi");
        h.Cloud.AddWiFiLock("lock-2", model: "BE489WB1 619", type: "be489wifi");

        var locks = (await h.Account().ListLocksAsync(default)).Value!;

        Assert.Equal([0, 15, 30, 60, 120, 240, 300], locks.Single(l => l.DeviceId == "lock-1").AllowedAutoLockSeconds);
        Assert.Equal([0, 15, 30, 60, 120, 240, 360, 600], locks.Single(l => l.DeviceId == "lock-2").AllowedAutoLockSeconds);
    }

    [Theory]
    [InlineData("deepQuery")]
    [InlineData("periodicDeepQuery")]
    public async Task A_status_check_is_not_an_actor_so_the_last_actor_stays(string actionType)
    {
        using var h = new CloudHarness();
        var device = h.Cloud.AddWiFiLock("lock-1");
        var account = h.Account();
        var first = Assert.Single((await account.ListLocksAsync(default)).Value!);
        device["attributes"]!["lockStateMetadata"]!["actionType"] = actionType;
        device["lastUpdated"] = "2026-11-22T10:00:00.000Z";

        var second = Assert.Single((await account.ListLocksAsync(default)).Value!);

        Assert.False(first.ChangedByIsStatusCheck);
        Assert.True(second.ChangedByIsStatusCheck);
        Assert.Equal(new ChangedBy(ChangeMethod.Thumbturn, null), second.ChangedBy);
    }

    [Fact]
    public async Task A_status_check_before_any_actor_was_seen_says_nothing_rather_than_unknown()
    {
        using var h = new CloudHarness();
        h.Cloud.AddWiFiLock("lock-1")["attributes"]!["lockStateMetadata"]!["actionType"] = "periodicDeepQuery";

        var l = Assert.Single((await h.Account().ListLocksAsync(default)).Value!);

        Assert.True(l.ChangedByIsStatusCheck);
        Assert.Null(l.ChangedBy);
    }

    [Fact]
    public async Task An_offline_lock_yields_nulls_not_defaults()
    {
        using var h = new CloudHarness();
        h.Cloud.AddOfflineLock("garage");

        var l = Assert.Single((await h.Account().ListLocksAsync(default)).Value!);

        Assert.False(l.Connected);
        Assert.Equal(LockState.Unknown, l.State);
        Assert.Null(l.RawState);
        Assert.Null(l.BatteryLevel);
        Assert.Null(l.BatteryLow);
        Assert.Null(l.Door);
        Assert.Null(l.Beeper);
        Assert.Null(l.LockAndLeave);
        Assert.Null(l.AutoLockSeconds);
        Assert.Null(l.Firmware);
        Assert.Null(l.WifiRssi);
        Assert.Null(l.AccessCodeLength);
        Assert.Null(l.ChangedBy);
        Assert.Null(l.LastUpdate);
    }

    [Fact]
    public async Task GetLock_reads_one_device_and_NotFound_carries_the_cloud_message()
    {
        using var h = new CloudHarness();
        h.Cloud.AddBridgeLock("sense-1");
        var account = h.Account();

        var found = await account.GetLockAsync("sense-1", default);
        var missing = await account.GetLockAsync("nope", default);

        Assert.Equal(LockFamily.Bridge, found.Value!.Family);
        Assert.Equal(LockState.Unlocked, found.Value.State);
        Assert.Equal([0, 15, 30, 60, 120, 240], found.Value.AllowedAutoLockSeconds);
        Assert.Equal(CloudFailureKind.NotFound, missing.Failure!.Kind);
        Assert.Equal(404, missing.Failure.HttpStatus);
        Assert.Equal("Device not found", missing.Failure.CloudMessage);
    }

    [Fact]
    public async Task A_WiFi_lock_is_locked_with_a_lockState_PUT()
    {
        using var h = new CloudHarness();
        h.Cloud.AddWiFiLock("lock-1");
        var account = h.Account();
        await account.ListLocksAsync(default);

        var unlocked = await account.SetLockedAsync("lock-1", false, default);

        Assert.True(unlocked.IsSuccess, unlocked.Failure?.ToString());
        var put = h.Cloud.Requests[^1];
        Assert.Equal(("PUT", "devices/lock-1"), (put.Method, put.Path));
        Assert.Equal("""{"attributes":{"lockState":0}}""", put.Body);
        var after = (await account.GetLockAsync("lock-1", default)).Value!;
        Assert.Equal(LockState.Unlocked, after.State);
        Assert.Equal(new ChangedBy(ChangeMethod.Mobile, null), after.ChangedBy);
    }

    [Fact]
    public async Task A_bridge_lock_is_locked_with_the_changelockstate_command()
    {
        using var h = new CloudHarness();
        h.Cloud.AddBridgeLock("sense-1");
        var account = h.Account();

        var locked = await account.SetLockedAsync("sense-1", true, default);

        Assert.True(locked.IsSuccess, locked.Failure?.ToString());
        var command = h.Cloud.Requests.Single(r => r.Method == "POST");
        Assert.Equal("devices/sense-1/commands", command.Path);
        var body = JsonNode.Parse(command.Body!)!;
        Assert.Equal("changelockstate", (string?)body["name"]);
        Assert.Equal("sense-cat-sense-1", (string?)body["data"]!["CAT"]);
        Assert.Equal(1, (int?)body["data"]!["state"]);
        Assert.Equal(h.User.IdentityId, (string?)body["data"]!["userId"]);
        Assert.Equal(1, (int)h.Cloud.Device("sense-1")["attributes"]!["lockState"]!);
    }

    [Fact]
    public async Task A_bridge_lock_command_carries_the_CAT_of_the_newest_document_pushed_or_polled()
    {
        using var h = new CloudHarness();
        var device = h.Cloud.AddBridgeLock("sense-1");
        device["lastUpdated"] = "2026-11-22T09:00:00.000Z";
        var account = h.Account();
        await account.ListLocksAsync(default);
        // A pushed document, newer than the poll, with the Sense's next CAT; the cloud now wants that one.
        var reader = new Schlage2Mqtt.Schlage.Push.ConsumerCloudUpdateReader(account.Mapper, account.PolledDevice, account.NoteDocument);
        var pushed = """{"reported":{"deviceId":"sense-1","devicetypeId":"be479","CAT":"pushed-cat","lastUpdated":"2026-11-22T09:05:00.000Z","attributes":{"lockState":0}}}"""u8;
        Assert.NotNull(reader.Read("thincloud/users/u/devices/sense-1", pushed, h.Time.GetUtcNow(), out _));
        device["CAT"] = "pushed-cat";
        // An older poll arriving late must not bring the old CAT back.
        var stale = (JsonObject)device.DeepClone();
        stale["CAT"] = "sense-cat-sense-1";
        stale["lastUpdated"] = "2026-11-22T09:01:00.000Z";
        account.NoteDocument(JsonSerializer.Deserialize(stale.ToJsonString(), Schlage2Mqtt.Schlage.Api.SchlageJsonContext.Default.SchlageDevice)!);

        var locked = await account.SetLockedAsync("sense-1", true, default);

        Assert.True(locked.IsSuccess, locked.Failure?.ToString());
        var command = Assert.Single(h.Cloud.Requests, r => r.Method == "POST");
        Assert.Equal("pushed-cat", (string?)JsonNode.Parse(command.Body!)!["data"]!["CAT"]);
    }

    [Fact]
    public async Task The_user_id_is_read_once_per_account()
    {
        using var h = new CloudHarness();
        h.Cloud.AddBridgeLock("sense-1");
        var account = h.Account();

        await account.SetLockedAsync("sense-1", true, default);
        await account.SetLockedAsync("sense-1", false, default);

        Assert.Equal(1, h.Cloud.Requests.Count(r => r.Path == "users/@me"));
    }

    [Fact]
    public async Task Beeper_and_one_touch_are_PUT_as_attributes()
    {
        using var h = new CloudHarness();
        h.Cloud.AddWiFiLock("lock-1");
        var account = h.Account();

        Assert.True((await account.SetBeeperAsync("lock-1", false, default)).IsSuccess);
        Assert.True((await account.SetLockAndLeaveAsync("lock-1", true, default)).IsSuccess);

        var attributes = h.Cloud.Device("lock-1")["attributes"]!;
        Assert.Equal(0, (int)attributes["beeperEnabled"]!);
        Assert.Equal(1, (int)attributes["lockAndLeaveEnabled"]!);
        Assert.Contains(h.Cloud.Requests, r => r.Body == """{"attributes":{"beeperEnabled":0}}""");
        Assert.Contains(h.Cloud.Requests, r => r.Body == """{"attributes":{"lockAndLeaveEnabled":1}}""");
    }

    [Fact]
    public async Task Auto_lock_accepts_the_models_values_and_refuses_others_without_calling()
    {
        using var h = new CloudHarness();
        h.Cloud.AddWiFiLock("lever", model: "Schlage Encode Lever", type: "fe789wifi");
        var account = h.Account();
        await account.ListLocksAsync(default);
        var before = h.Cloud.Requests.Count;

        var refused = await account.SetAutoLockTimeAsync("lever", 300, default);
        Assert.Equal(before, h.Cloud.Requests.Count);
        var accepted = await account.SetAutoLockTimeAsync("lever", 5, default);

        Assert.Equal(CloudFailureKind.Invalid, refused.Failure!.Kind);
        Assert.Contains("0, 5, 15, 30, 60, 120, 240, 360, 600", refused.Failure.Message, StringComparison.Ordinal);
        Assert.True(accepted.IsSuccess);
        Assert.Equal(5, (int)h.Cloud.Device("lever")["attributes"]!["autoLockTime"]!);
    }

    [Fact]
    public async Task Logs_are_read_newest_first_with_none_ids_as_null()
    {
        using var h = new CloudHarness();
        h.Cloud.AddWiFiLock("lock-1");
        h.Cloud.AddLog("lock-1", h.Cloud.LogEntry("lock-1", 3, null, null));
        h.Time.Advance(TimeSpan.FromMinutes(1));
        h.Cloud.AddLog("lock-1", h.Cloud.LogEntry("lock-1", 2, "user-9", "code-7"));

        var logs = (await h.Account().GetLogsAsync("lock-1", 10, default)).Value!;

        Assert.Equal("devices/lock-1/logs?limit=10&sort=desc", h.Cloud.Requests[^1].Path);
        Assert.Equal([2, 3], logs.Select(l => l.EventCode));
        Assert.Equal("user-9", logs[0].AccessorId);
        Assert.Equal("code-7", logs[0].AccessCodeId);
        Assert.Null(logs[1].AccessorId);
        Assert.Null(logs[1].AccessCodeId);
        Assert.Equal(h.Time.GetUtcNow(), logs[0].Time);
    }

    [Fact]
    public async Task Access_codes_are_added_listed_updated_and_deleted_through_commands()
    {
        using var h = new CloudHarness();
        h.Cloud.AddWiFiLock("lock-1");
        var account = h.Account();
        await account.ListLocksAsync(default);

        var added = await account.AddAccessCodeAsync("lock-1", new NewAccessCode { Name = "Cleaner", Code = "0123" }, default);
        Assert.True(added.IsSuccess, added.Failure?.ToString());
        var addBody = JsonNode.Parse(h.Cloud.Requests[^1].Body!)!;
        Assert.Equal("addaccesscode", (string?)addBody["name"]);
        Assert.Equal(123, (long?)addBody["data"]!["accessCode"]);
        Assert.Equal(4, (int?)addBody["data"]!["accessCodeLength"]);
        Assert.Equal(4294967295, (long?)addBody["data"]!["expirationSecs"]);
        Assert.Equal("7F", (string?)addBody["data"]!["schedule1"]!["daysOfWeek"]);

        var listed = Assert.Single((await account.ListAccessCodesAsync("lock-1", default)).Value!);
        Assert.Equal(added.Value, listed.Id);
        Assert.Equal("0123", listed.Code);
        Assert.Equal("Cleaner", listed.Name);
        Assert.Equal(0, listed.ActivationSecs);
        Assert.Equal("7F", listed.Schedule1!.DaysOfWeek);
        Assert.DoesNotContain("0123", listed.ToString(), StringComparison.Ordinal);

        var schedule = new CloudSchedule("3E", 8, 0, 17, 30);
        var updated = await account.UpdateAccessCodeAsync("lock-1", added.Value!, new NewAccessCode { Name = "Cleaner", Code = "4567", Schedule1 = schedule }, default);
        Assert.True(updated.IsSuccess, updated.Failure?.ToString());
        Assert.Equal("updateaccesscode", (string?)JsonNode.Parse(h.Cloud.Requests[^1].Body!)!["name"]);
        Assert.Equal(schedule, (await account.ListAccessCodesAsync("lock-1", default)).Value!.Single().Schedule1);

        var deleted = await account.DeleteAccessCodeAsync("lock-1", added.Value!, default);
        Assert.True(deleted.IsSuccess);
        Assert.Empty(h.Cloud.Codes("lock-1"));
    }

    [Fact]
    public async Task Notify_on_use_goes_as_the_integer_the_app_sends_not_a_json_bool()
    {
        using var h = new CloudHarness();
        h.Cloud.AddWiFiLock("lock-1");
        var account = h.Account();

        var on = await account.AddAccessCodeAsync("lock-1", new NewAccessCode { Name = "Cleaner", Code = "0123", NotifyOnUse = true }, default);
        var onBody = JsonNode.Parse(h.Cloud.Requests[^1].Body!)!;
        var off = await account.AddAccessCodeAsync("lock-1", new NewAccessCode { Name = "Walker", Code = "0456" }, default);
        var offBody = JsonNode.Parse(h.Cloud.Requests[^1].Body!)!;

        Assert.True(on.IsSuccess, on.Failure?.ToString());
        Assert.True(off.IsSuccess, off.Failure?.ToString());
        Assert.Equal(JsonValueKind.Number, onBody["data"]!["notificationEnabled"]!.GetValueKind());
        Assert.Equal(1, (int)onBody["data"]!["notificationEnabled"]!);
        Assert.Equal(0, (int)offBody["data"]!["notificationEnabled"]!);
    }

    [Fact]
    public async Task A_delete_sends_the_code_object_as_last_listed_with_its_id_and_lists_first_when_it_has_not()
    {
        using var h = new CloudHarness();
        h.Cloud.AddWiFiLock("lock-1");
        var account = h.Account();
        var added = await account.AddAccessCodeAsync("lock-1", new NewAccessCode { Name = "07/19 Rob Test HA-123457", Code = "0123" }, default);
        var listedByCloud = Assert.Single(h.Cloud.Codes("lock-1"));

        // Not listed since it was added: the account lists first, then sends the object exactly as listed.
        var deleted = await account.DeleteAccessCodeAsync("lock-1", added.Value!, default);

        Assert.True(deleted.IsSuccess, deleted.Failure?.ToString());
        var calls = h.Cloud.Requests.TakeLast(2).ToList();
        Assert.Equal(("GET", "devices/lock-1/storage/accesscode"), (calls[0].Method, calls[0].Path));
        var data = JsonNode.Parse(calls[1].Body!)!["data"]!.AsObject();
        Assert.Equal("deleteaccesscode", (string?)JsonNode.Parse(calls[1].Body!)!["name"]);
        Assert.True(JsonNode.DeepEquals(listedByCloud, data), data.ToJsonString());
        Assert.Empty(h.Cloud.Codes("lock-1"));
    }

    [Fact]
    public async Task A_delete_right_after_a_list_costs_no_extra_call()
    {
        using var h = new CloudHarness();
        h.Cloud.AddWiFiLock("lock-1");
        var account = h.Account();
        var added = await account.AddAccessCodeAsync("lock-1", new NewAccessCode { Name = "Cleaner", Code = "0123" }, default);
        await account.ListAccessCodesAsync("lock-1", default);
        var before = h.Cloud.Requests.Count;

        Assert.True((await account.DeleteAccessCodeAsync("lock-1", added.Value!, default)).IsSuccess);

        Assert.Equal(1, h.Cloud.Requests.Count - before);
        Assert.Equal("Cleaner", (string?)JsonNode.Parse(h.Cloud.Requests[^1].Body!)!["data"]!["friendlyName"]);
    }

    [Fact]
    public async Task Invalid_codes_are_refused_before_calling_and_cloud_rules_come_back_typed()
    {
        using var h = new CloudHarness();
        h.Cloud.AddWiFiLock("lock-1");
        var account = h.Account();

        var letters = await account.AddAccessCodeAsync("lock-1", new NewAccessCode { Name = "X", Code = "12ab" }, default);
        Assert.Empty(h.Cloud.Requests);
        var wrongLength = await account.AddAccessCodeAsync("lock-1", new NewAccessCode { Name = "X", Code = "123456" }, default);
        await account.AddAccessCodeAsync("lock-1", new NewAccessCode { Name = "X", Code = "1234" }, default);
        var duplicateName = await account.AddAccessCodeAsync("lock-1", new NewAccessCode { Name = "X", Code = "9876" }, default);
        var missing = await account.DeleteAccessCodeAsync("lock-1", "code-999", default);

        Assert.Equal(CloudFailureKind.Invalid, letters.Failure!.Kind);
        Assert.Equal(CloudFailureKind.Rejected, wrongLength.Failure!.Kind);
        Assert.Equal("Access code length must be 4", wrongLength.Failure.CloudMessage);
        Assert.Equal(CloudFailureKind.Rejected, duplicateName.Failure!.Kind);
        Assert.Equal(409, duplicateName.Failure.HttpStatus);
        Assert.Equal("Access code name already in use", duplicateName.Failure.CloudMessage);
        Assert.Equal(CloudFailureKind.NotFound, missing.Failure!.Kind);
    }

    [Fact]
    public async Task Notify_on_use_is_created_then_updated()
    {
        using var h = new CloudHarness();
        h.Cloud.AddWiFiLock("lock-1");
        var account = h.Account();

        Assert.True((await account.SetAccessCodeNotificationAsync("lock-1", "code-1", "Cleaner", true, default)).IsSuccess);
        var created = Assert.Single(h.Cloud.Notifications);
        Assert.Equal($"{h.User.IdentityId}_code-1", (string?)created["notificationId"]);
        Assert.Equal("onunlockstateaction", (string?)created["notificationDefinitionId"]);
        Assert.Equal("Cleaner", (string?)created["filterValue"]);
        Assert.Equal("be499wifi", (string?)created["devicetypeId"]);

        Assert.True((await account.SetAccessCodeNotificationAsync("lock-1", "code-1", "Cleaner", false, default)).IsSuccess);
        var listed = Assert.Single((await account.GetNotificationsAsync("lock-1", default)).Value!);
        Assert.Equal(new CloudNotification($"{h.User.IdentityId}_code-1", "Cleaner", false), listed);
        Assert.Contains(h.Cloud.Requests, r => r.Method == "PUT" && r.Path == $"notifications/{h.User.IdentityId}_code-1");
    }

    [Fact]
    public async Task Listed_codes_take_notify_on_use_from_the_notification_objects_not_the_lists_own_field()
    {
        using var h = new CloudHarness();
        h.Cloud.AddWiFiLock("lock-1");
        var account = h.Account();
        var cleaner = (await account.AddAccessCodeAsync("lock-1", new NewAccessCode { Name = "Cleaner", Code = "0123", NotifyOnUse = true }, default)).Value!;
        var walker = (await account.AddAccessCodeAsync("lock-1", new NewAccessCode { Name = "Walker", Code = "0456" }, default)).Value!;
        Assert.True((await account.SetAccessCodeNotificationAsync("lock-1", cleaner, "Cleaner", true, default)).IsSuccess);
        Assert.True((await account.SetAccessCodeNotificationAsync("lock-1", walker, "Walker", true, default)).IsSuccess);
        Assert.True((await account.SetAccessCodeNotificationAsync("lock-1", walker, "Walker", false, default)).IsSuccess);
        Assert.All(h.Cloud.Codes("lock-1"), c => Assert.Equal(0, (int)c["notification"]!));
        var before = h.Cloud.Requests.Count;

        var codes = (await account.ListAccessCodesAsync("lock-1", default)).Value!;

        Assert.True(codes.Single(c => c.Id == cleaner).NotifyOnUse);
        Assert.False(codes.Single(c => c.Id == walker).NotifyOnUse);
        // One extra call per list: the notifications of the lock.
        Assert.Equal(["devices/lock-1/storage/accesscode", "notifications?deviceId=lock-1"], h.Cloud.Requests.Skip(before).Select(r => r.Path));
    }

    [Fact]
    public async Task Notify_on_use_is_unknown_when_the_notifications_cannot_be_read()
    {
        using var h = new CloudHarness();
        h.Cloud.AddWiFiLock("lock-1");
        var account = h.Account();
        await account.AddAccessCodeAsync("lock-1", new NewAccessCode { Name = "Cleaner", Code = "0123" }, default);
        h.Cloud.Inject("GET", "notifications", Fakes.Fault.Http(404, "Not found"));

        var codes = await account.ListAccessCodesAsync("lock-1", default);

        Assert.True(codes.IsSuccess, codes.Failure?.ToString());
        Assert.Null(Assert.Single(codes.Value!).NotifyOnUse);
    }

    [Fact]
    public async Task Raw_client_reads_users_and_deletes_notifications()
    {
        using var h = new CloudHarness();
        h.Cloud.AddWiFiLock("lock-1");
        var account = h.Account();
        await account.SetAccessCodeNotificationAsync("lock-1", "code-1", "Cleaner", true, default);

        var me = await account.Api.GetCurrentUserAsync(default);
        var users = await account.Api.GetUsersAsync(default);
        var deleted = await account.Api.DeleteNotificationAsync($"{h.User.IdentityId}_code-1", default);
        var again = await account.Api.DeleteNotificationAsync($"{h.User.IdentityId}_code-1", default);

        Assert.Equal(h.User.IdentityId, me.Value!.IdentityId);
        Assert.Equal(CloudHarness.Email, Assert.Single(users.Value!).Email);
        Assert.True(deleted.IsSuccess);
        Assert.Equal(CloudFailureKind.NotFound, again.Failure!.Kind);
        Assert.Empty(h.Cloud.Notifications);
    }

    [Fact]
    public async Task An_offline_lock_refuses_lock_writes_as_LockOffline()
    {
        using var h = new CloudHarness();
        h.Cloud.AddOfflineLock("garage");
        var account = h.Account();

        var result = await account.SetLockedAsync("garage", true, default);

        Assert.Equal(CloudFailureKind.LockOffline, result.Failure!.Kind);
        Assert.Equal(409, result.Failure.HttpStatus);
        Assert.Equal("Device is offline", result.Failure.CloudMessage);
    }

    [Fact]
    public async Task A_wrong_api_key_is_reported_as_unauthorized_with_a_hint()
    {
        using var h = new CloudHarness();
        h.Cloud.AddWiFiLock("lock-1");
        var account = h.Account(tweak: o => o with { ApiKey = "rotated" });

        var result = await account.ListLocksAsync(default);

        Assert.Equal(CloudFailureKind.Unauthorized, result.Failure!.Kind);
        Assert.Equal(403, result.Failure.HttpStatus);
        Assert.Contains("api_key", result.Failure.Message, StringComparison.Ordinal);
    }
}
