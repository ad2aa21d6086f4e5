using Schlage2Mqtt.Cloud;
using Schlage2Mqtt.Simulator.Faults;

namespace Schlage2Mqtt.Schlage.Tests.Integration;

/// <summary>Every lock operation of the account surface, end to end against the simulator.</summary>
public class LockOperationIntegrationTests(SimulatorFixture fixture) : IntegrationTest(fixture)
{
    [Fact]
    public async Task The_current_user_and_the_users_list_name_the_owner()
    {
        var account = Client.Account();

        var me = await account.Api.GetCurrentUserAsync(default);
        var users = await account.Api.GetUsersAsync(default);

        Assert.True(me.IsSuccess, me.Failure?.ToString());
        Assert.Equal(Fixture.Owner.IdentityId, me.Value!.IdentityId);
        Assert.Equal(SimulatorFixture.Email, me.Value.Email);
        Assert.Equal("Owner Person", me.Value.FriendlyName);
        Assert.True(users.IsSuccess, users.Failure?.ToString());
        Assert.Contains(users.Value!, u => u.IdentityId == Fixture.Owner.IdentityId);
    }

    [Fact]
    public async Task Listing_maps_every_model_family_state_and_setting()
    {
        var account = Client.Account();

        var result = await account.ListLocksAsync(default);

        Assert.True(result.IsSuccess, result.Failure?.ToString());
        var locks = result.Value!.ToDictionary(l => l.DeviceId);
        Assert.Equal(4, locks.Count);
        Assert.Equal(1, Client.Calls.Count(ApiEndpoint.ListDevices));

        var front = locks[SimulatorFixture.EncodeId];
        Assert.Equal("Front", front.Name);
        Assert.Equal("be489wifi", front.DeviceType);
        Assert.Equal(LockFamily.WiFi, front.Family);
        Assert.True(front.Connected);
        Assert.Equal(LockState.Locked, front.State);
        Assert.Equal("1", front.RawState);
        Assert.Equal(90, front.BatteryLevel);
        Assert.False(front.BatteryLow);
        Assert.True(front.Beeper);
        Assert.True(front.LockAndLeave);
        Assert.Equal(0, front.AutoLockSeconds);
        Assert.Equal([0, 15, 30, 60, 120, 240, 360, 600], front.AllowedAutoLockSeconds);
        Assert.Equal(4, front.AccessCodeLength);
        Assert.Equal(100, front.MaxAccessCodes);
        Assert.False(front.VariableLengthCodes);
        Assert.NotNull(front.Firmware);
        Assert.Equal(-42, front.WifiRssi);
        Assert.Null(front.Door);

        var back = locks[SimulatorFixture.EncodePlusId];
        Assert.Equal(LockFamily.WiFi, back.Family);
        Assert.Equal(LockState.Unlocked, back.State);
        Assert.Equal(64, back.BatteryLevel);
        Assert.Equal(DoorState.Closed, back.Door);
        Assert.Equal([0, 15, 30, 60, 120, 240, 300], back.AllowedAutoLockSeconds);

        var office = locks[SimulatorFixture.LeverId];
        Assert.Equal(LockFamily.WiFi, office.Family);
        Assert.Equal(5, office.AutoLockSeconds);
        Assert.Equal([0, 5, 15, 30, 60, 120, 240, 360, 600], office.AllowedAutoLockSeconds);

        var garage = locks[SimulatorFixture.SenseId];
        Assert.Equal("be479", garage.DeviceType);
        Assert.Equal(LockFamily.Bridge, garage.Family);
        Assert.Equal(6, garage.AccessCodeLength);
        Assert.Equal([0, 15, 30, 60, 120, 240], garage.AllowedAutoLockSeconds);
        Assert.Null(garage.WifiRssi);
    }

    [Fact]
    public async Task Getting_one_lock_reads_its_document_and_another_accounts_lock_is_not_found()
    {
        var account = Client.Account();

        var one = await account.GetLockAsync(SimulatorFixture.SenseId, default);
        var foreign = await account.GetLockAsync(SimulatorFixture.NeighbourLockId, default);

        Assert.True(one.IsSuccess, one.Failure?.ToString());
        Assert.Equal("Garage", one.Value!.Name);
        Assert.Equal(CloudFailureKind.NotFound, foreign.Failure!.Kind);
        Assert.Equal(404, foreign.Failure.HttpStatus);
        Assert.Equal("Device not found", foreign.Failure.CloudMessage);
    }

    [Theory]
    [InlineData(SimulatorFixture.EncodeId, "PutDevice", "lockState=0")]
    [InlineData(SimulatorFixture.SenseId, "PostCommand", "changelockstate state=0")]
    public async Task Unlock_then_lock_moves_the_bolt_after_the_command_latency_and_names_the_mobile_user(string deviceId, string endpoint, string detail)
    {
        var account = await Client.ReadyAccountAsync();
        var before = Client.Calls.LastSequence;

        var unlock = await account.SetLockedAsync(deviceId, locked: false, default);

        Assert.True(unlock.IsSuccess, unlock.Failure?.ToString());
        var write = Assert.Single(Client.Calls.RecordsAfter(before), r => r.Operation == endpoint);
        Assert.Equal(200, write.StatusCode);
        Assert.Equal(detail, write.Detail);
        // The cloud answers at once; the bolt moves when the lock acts.
        Assert.Equal(LockState.Locked, (await account.GetLockAsync(deviceId, default)).Value!.State);
        Client.Time.Advance(SimulatorFixture.CommandLatency);
        var unlocked = (await account.GetLockAsync(deviceId, default)).Value!;
        Assert.Equal(LockState.Unlocked, unlocked.State);
        Assert.Equal(new ChangedBy(ChangeMethod.Mobile, "Owner Person"), unlocked.ChangedBy);

        Assert.True((await account.SetLockedAsync(deviceId, locked: true, default)).IsSuccess);
        Client.Time.Advance(SimulatorFixture.CommandLatency);
        Assert.Equal(LockState.Locked, (await account.GetLockAsync(deviceId, default)).Value!.State);
    }

    [Fact]
    public async Task A_sense_lock_is_never_sent_a_lockState_write()
    {
        var account = await Client.ReadyAccountAsync();

        Assert.True((await account.SetLockedAsync(SimulatorFixture.SenseId, locked: false, default)).IsSuccess);

        Assert.Equal(0, Client.Calls.Count(ApiEndpoint.PutDevice));
        Assert.Equal(1, Client.Calls.Count(ApiEndpoint.GetCurrentUser));
    }

    [Fact]
    public async Task A_sense_command_after_a_change_the_account_did_not_see_reads_the_new_CAT_and_tries_once_more()
    {
        var account = await Client.ReadyAccountAsync();
        await account.ListLocksAsync(default);
        // Someone at the door: the Sense writes a new document, and with it a new CAT.
        Fixture.Admin.TurnThumbturn(SimulatorFixture.SenseId, locked: true);
        var before = Client.Calls.LastSequence;

        var result = await account.SetLockedAsync(SimulatorFixture.SenseId, locked: false, default);

        Assert.True(result.IsSuccess, result.Failure?.ToString());
        Assert.Equal(["GetCurrentUser:200", "PostCommand:400", "GetDevice:200", "PostCommand:200"], Client.ApiCallsSince(before));
    }

    [Fact]
    public async Task A_deep_query_after_a_thumbturn_keeps_thumbturn_as_the_last_actor()
    {
        var account = await Client.ReadyAccountAsync();
        Fixture.Admin.TurnThumbturn(SimulatorFixture.EncodeId, locked: false);
        var turned = (await account.GetLockAsync(SimulatorFixture.EncodeId, default)).Value!;

        Fixture.Admin.DeepQuery(SimulatorFixture.EncodeId);
        Client.Time.Advance(TimeSpan.FromSeconds(1));
        var checkedLock = (await account.GetLockAsync(SimulatorFixture.EncodeId, default)).Value!;

        Assert.Equal(new ChangedBy(ChangeMethod.Thumbturn, null), turned.ChangedBy);
        Assert.True(checkedLock.ChangedByIsStatusCheck);
        Assert.Equal(new ChangedBy(ChangeMethod.Thumbturn, null), checkedLock.ChangedBy);
    }

    [Fact]
    public async Task Lock_without_a_prior_listing_reads_the_device_first()
    {
        var account = Client.Account();

        Assert.True((await account.SetLockedAsync(SimulatorFixture.SenseId, locked: false, default)).IsSuccess);

        Assert.Equal(1, Client.Calls.Count(ApiEndpoint.GetDevice));
        Client.Time.Advance(SimulatorFixture.CommandLatency);
        Assert.Equal(0, Fixture.Admin.Lock(SimulatorFixture.SenseId).LockState);
    }

    [Fact]
    public async Task Beeper_and_one_touch_settings_are_written_and_read_back()
    {
        var account = await Client.ReadyAccountAsync();

        Assert.True((await account.SetBeeperAsync(SimulatorFixture.EncodeId, enabled: false, default)).IsSuccess);
        Assert.True((await account.SetLockAndLeaveAsync(SimulatorFixture.EncodeId, enabled: false, default)).IsSuccess);

        var front = (await account.GetLockAsync(SimulatorFixture.EncodeId, default)).Value!;
        Assert.False(front.Beeper);
        Assert.False(front.LockAndLeave);
        Assert.False(Fixture.Admin.OneTouchLock(SimulatorFixture.EncodeId));

        Assert.True((await account.SetLockAndLeaveAsync(SimulatorFixture.EncodeId, enabled: true, default)).IsSuccess);
        Assert.True((await account.SetBeeperAsync(SimulatorFixture.EncodeId, enabled: true, default)).IsSuccess);
        front = (await account.GetLockAsync(SimulatorFixture.EncodeId, default)).Value!;
        Assert.True(front.Beeper);
        Assert.True(front.LockAndLeave);
    }

    [Theory]
    [InlineData(SimulatorFixture.EncodeId, 600)]
    [InlineData(SimulatorFixture.EncodeId, 360)]
    [InlineData(SimulatorFixture.EncodePlusId, 300)]
    [InlineData(SimulatorFixture.EncodePlusId, 240)]
    [InlineData(SimulatorFixture.LeverId, 5)]
    [InlineData(SimulatorFixture.SenseId, 240)]
    [InlineData(SimulatorFixture.SenseId, 0)]
    public async Task An_auto_lock_time_the_model_offers_is_written(string deviceId, int seconds)
    {
        var account = await Client.ReadyAccountAsync();

        var result = await account.SetAutoLockTimeAsync(deviceId, seconds, default);

        Assert.True(result.IsSuccess, result.Failure?.ToString());
        Assert.Equal(seconds, (await account.GetLockAsync(deviceId, default)).Value!.AutoLockSeconds);
    }

    [Theory]
    [InlineData(SimulatorFixture.EncodeId, 300)]
    [InlineData(SimulatorFixture.EncodeId, 5)]
    [InlineData(SimulatorFixture.EncodePlusId, 360)]
    [InlineData(SimulatorFixture.EncodePlusId, 600)]
    [InlineData(SimulatorFixture.LeverId, 300)]
    [InlineData(SimulatorFixture.SenseId, 300)]
    [InlineData(SimulatorFixture.SenseId, 45)]
    public async Task An_auto_lock_time_the_model_lacks_is_refused_before_any_call(string deviceId, int seconds)
    {
        var account = await Client.ReadyAccountAsync();

        var result = await account.SetAutoLockTimeAsync(deviceId, seconds, default);

        Assert.Equal(CloudFailureKind.Invalid, result.Failure!.Kind);
        Assert.Equal(0, Client.Calls.Count(ApiEndpoint.PutDevice));
    }

    [Fact]
    public async Task The_auto_lock_set_through_the_client_locks_the_door_on_its_own()
    {
        var account = await Client.ReadyAccountAsync();
        Assert.True((await account.SetAutoLockTimeAsync(SimulatorFixture.EncodeId, 15, default)).IsSuccess);

        Fixture.Admin.TurnThumbturn(SimulatorFixture.EncodeId, locked: false);
        Assert.Equal(LockState.Unlocked, (await account.GetLockAsync(SimulatorFixture.EncodeId, default)).Value!.State);
        Client.Time.Advance(TimeSpan.FromSeconds(15));

        Assert.Equal(LockState.Locked, (await account.GetLockAsync(SimulatorFixture.EncodeId, default)).Value!.State);
    }

    [Fact]
    public async Task Logs_after_door_events_come_newest_first_with_codes_users_and_access_codes()
    {
        var account = await Client.ReadyAccountAsync();
        var familyId = (await account.ListAccessCodesAsync(SimulatorFixture.EncodeId, default)).Value!.Single().Id;
        var start = Client.Time.GetUtcNow();

        Fixture.Admin.TurnThumbturn(SimulatorFixture.EncodeId, locked: false);
        Client.Time.Advance(TimeSpan.FromSeconds(10));
        Assert.True((await account.SetLockedAsync(SimulatorFixture.EncodeId, locked: true, default)).IsSuccess);
        Client.Time.Advance(SimulatorFixture.CommandLatency);
        Client.Time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(Simulator.KeypadResult.Unlocked, Fixture.Admin.EnterKeypadCode(SimulatorFixture.EncodeId, SimulatorFixture.FamilyPin));
        Client.Time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(Fixture.Admin.OneTouchLock(SimulatorFixture.EncodeId));

        var logs = await account.GetLogsAsync(SimulatorFixture.EncodeId, 4, default);

        Assert.True(logs.IsSuccess, logs.Failure?.ToString());
        var entries = logs.Value!;
        Assert.Equal([5, 2, 6, 4], entries.Select(e => e.EventCode));
        var (oneTouch, keypad, mobile, thumbturn) = (entries[0], entries[1], entries[2], entries[3]);
        Assert.Null(oneTouch.AccessorId);
        Assert.Null(oneTouch.AccessCodeId);
        Assert.Equal(familyId, keypad.AccessCodeId);
        Assert.Equal(Fixture.Owner.IdentityId, mobile.AccessorId);
        Assert.Null(mobile.AccessCodeId);
        Assert.Equal(start, thumbturn.Time);
        Assert.Equal(start + TimeSpan.FromSeconds(15), mobile.Time);
        Assert.All(entries, e => Assert.False(string.IsNullOrEmpty(e.Id)));

        var front = (await account.GetLockAsync(SimulatorFixture.EncodeId, default)).Value!;
        Assert.Equal(new ChangedBy(ChangeMethod.OneTouch, null), front.ChangedBy);
    }

    [Fact]
    public async Task The_keypad_as_last_changer_names_the_access_code()
    {
        var account = await Client.ReadyAccountAsync();

        Fixture.Admin.EnterKeypadCode(SimulatorFixture.EncodeId, SimulatorFixture.FamilyPin);

        var front = (await account.GetLockAsync(SimulatorFixture.EncodeId, default)).Value!;
        Assert.Equal(LockState.Unlocked, front.State);
        Assert.Equal(new ChangedBy(ChangeMethod.Keypad, "Family"), front.ChangedBy);
        Fixture.Admin.TurnThumbturn(SimulatorFixture.EncodeId, locked: true);
        Assert.Equal(new ChangedBy(ChangeMethod.Thumbturn, null), (await account.GetLockAsync(SimulatorFixture.EncodeId, default)).Value!.ChangedBy);
    }

    [Fact]
    public async Task Battery_door_and_keypad_lockout_show_in_the_document_and_the_log()
    {
        var account = await Client.ReadyAccountAsync();

        Fixture.Admin.SetBatteryLevel(SimulatorFixture.EncodePlusId, 15);
        Fixture.Admin.SetDoorState(SimulatorFixture.EncodePlusId, 1);
        for (var i = 0; i < 5; i++)
        {
            Fixture.Admin.EnterKeypadCode(SimulatorFixture.EncodePlusId, "9999");
        }

        var back = (await account.GetLockAsync(SimulatorFixture.EncodePlusId, default)).Value!;
        Assert.Equal((15, true, DoorState.Open), (back.BatteryLevel, back.BatteryLow, back.Door));
        Assert.Equal(BatteryState.Low, back.BatteryState);
        // The door sensor's open is in the log too (71), between the low battery and the keypad lockout.
        var logs = (await account.GetLogsAsync(SimulatorFixture.EncodePlusId, 3, default)).Value!;
        Assert.Equal([11, 71, 21], logs.Select(e => e.EventCode));

        Fixture.Admin.ReplaceBatteries(SimulatorFixture.EncodePlusId);
        back = (await account.GetLockAsync(SimulatorFixture.EncodePlusId, default)).Value!;
        Assert.Equal((100, false), (back.BatteryLevel, back.BatteryLow));
        Assert.Equal(22, (await account.GetLogsAsync(SimulatorFixture.EncodePlusId, 1, default)).Value![0].EventCode);
    }
}
