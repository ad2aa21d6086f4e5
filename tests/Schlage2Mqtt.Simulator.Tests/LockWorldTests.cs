using System.Net;

namespace Schlage2Mqtt.Simulator.Tests;

public sealed class LockWorldTests
{
    [Fact]
    public async Task Thumbturn_moves_the_bolt_now_and_records_who()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        cloud.Admin.TurnThumbturn(TestCloud.EncodeId, locked: false);
        var attributes = (await cloud.DeviceAsync(TestCloud.EncodeId)).GetProperty("attributes");
        Assert.Equal(0, attributes.GetProperty("lockState").GetInt32());
        Assert.Equal("thumbTurn", attributes.GetProperty("lockStateMetadata").GetProperty("actionType").GetString());
        Assert.Equal(4, (await cloud.LogsAsync(TestCloud.EncodeId))[0].GetProperty("message").GetProperty("eventCode").GetInt32());
    }

    [Fact]
    public async Task Apple_Home_Key_unlocks_with_52_and_locks_with_53()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();

        cloud.Admin.UseAppleHomeKey(TestCloud.EncodeId, locked: false);
        var unlocked = (await cloud.DeviceAsync(TestCloud.EncodeId)).GetProperty("attributes");
        var unlockCode = (await cloud.LogsAsync(TestCloud.EncodeId))[0].GetProperty("message").GetProperty("eventCode").GetInt32();
        cloud.Admin.UseAppleHomeKey(TestCloud.EncodeId, locked: true);
        var lockCode = (await cloud.LogsAsync(TestCloud.EncodeId))[0].GetProperty("message").GetProperty("eventCode").GetInt32();

        Assert.Equal(0, unlocked.GetProperty("lockState").GetInt32());
        Assert.Equal("AppleHomeNFC", unlocked.GetProperty("lockStateMetadata").GetProperty("actionType").GetString());
        Assert.Equal((52, 53), (unlockCode, lockCode));
    }

    [Fact]
    public async Task Key_fob_inside_button_mechanical_key_deadlock_and_door_write_their_own_log_codes()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();

        cloud.Admin.UseKeyFob(TestCloud.EncodeId, locked: false);
        cloud.Admin.UseKeyFob(TestCloud.EncodeId, locked: true);
        cloud.Admin.PressInsideButton(TestCloud.EncodeId, locked: false);
        cloud.Admin.PressInsideButton(TestCloud.EncodeId, locked: true);
        cloud.Admin.UnlockWithKey(TestCloud.EncodeId);
        cloud.Admin.DeadlockByKeypad(TestCloud.EncodeId);
        var deadlocked = (await cloud.DeviceAsync(TestCloud.EncodeId)).GetProperty("attributes").GetProperty("lockState").GetInt32();
        cloud.Admin.SetDoorState(TestCloud.EncodeId, 1);
        cloud.Admin.SetDoorState(TestCloud.EncodeId, 2);

        var codes = (await cloud.LogsAsync(TestCloud.EncodeId)).Take(8).Select(l => l.GetProperty("message").GetProperty("eventCode").GetInt32()).Reverse();
        Assert.Equal([75, 74, 68, 69, 76, 64, 71, 72], codes);
        Assert.Equal(6, deadlocked);
    }

    [Fact]
    public async Task Keypad_code_unlocks_with_the_code_name_and_keypad_uuid()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        var codeId = (await cloud.CodesAsync(TestCloud.EncodeId))[0].GetProperty("accesscodeId").GetString();

        Assert.Equal(KeypadResult.Unlocked, cloud.Admin.EnterKeypadCode(TestCloud.EncodeId, "1234"));

        var metadata = (await cloud.DeviceAsync(TestCloud.EncodeId)).GetProperty("attributes").GetProperty("lockStateMetadata");
        Assert.Equal("accesscode", metadata.GetProperty("actionType").GetString());
        Assert.Equal("Family", metadata.GetProperty("name").GetString());
        Assert.Equal(codeId, metadata.GetProperty("UUID").GetString());
        var log = (await cloud.LogsAsync(TestCloud.EncodeId))[0].GetProperty("message");
        Assert.Equal(2, log.GetProperty("eventCode").GetInt32());
        Assert.Equal(codeId, log.GetProperty("keypadUuid").GetString());
    }

    [Fact]
    public async Task Too_many_wrong_codes_disable_the_keypad_for_a_while()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(KeypadResult.Rejected, cloud.Admin.EnterKeypadCode(TestCloud.EncodeId, "0000"));
        }
        Assert.Equal(KeypadResult.KeypadDisabled, cloud.Admin.EnterKeypadCode(TestCloud.EncodeId, "0000"));
        Assert.Equal(11, (await cloud.LogsAsync(TestCloud.EncodeId))[0].GetProperty("message").GetProperty("eventCode").GetInt32());
        Assert.Equal(KeypadResult.KeypadDisabled, cloud.Admin.EnterKeypadCode(TestCloud.EncodeId, "1234"));
        Assert.Equal(1, await cloud.LockStateAsync(TestCloud.EncodeId));

        cloud.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(KeypadResult.Unlocked, cloud.Admin.EnterKeypadCode(TestCloud.EncodeId, "1234"));
    }

    [Fact]
    public async Task One_touch_locks_unless_lock_and_leave_is_off()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        Assert.True(cloud.Admin.OneTouchLock(TestCloud.EncodePlusId));
        var attributes = (await cloud.DeviceAsync(TestCloud.EncodePlusId)).GetProperty("attributes");
        Assert.Equal(1, attributes.GetProperty("lockState").GetInt32());
        Assert.Equal("1touchLocking", attributes.GetProperty("lockStateMetadata").GetProperty("actionType").GetString());
        Assert.Equal(5, (await cloud.LogsAsync(TestCloud.EncodePlusId))[0].GetProperty("message").GetProperty("eventCode").GetInt32());

        await cloud.JsonAsync(HttpMethod.Put, $"devices/{TestCloud.EncodePlusId}", """{"attributes":{"lockAndLeaveEnabled":0}}""");
        cloud.Admin.TurnThumbturn(TestCloud.EncodePlusId, locked: false);
        Assert.False(cloud.Admin.OneTouchLock(TestCloud.EncodePlusId));
        Assert.Equal(0, await cloud.LockStateAsync(TestCloud.EncodePlusId));
    }

    [Fact]
    public async Task Auto_lock_fires_after_auto_lock_time_once_unlocked()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        await cloud.JsonAsync(HttpMethod.Put, $"devices/{TestCloud.EncodeId}", """{"attributes":{"autoLockTime":30}}""");
        cloud.Admin.EnterKeypadCode(TestCloud.EncodeId, "1234");

        cloud.Time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(0, await cloud.LockStateAsync(TestCloud.EncodeId));
        cloud.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await cloud.LockStateAsync(TestCloud.EncodeId));
        Assert.Equal(8, (await cloud.LogsAsync(TestCloud.EncodeId))[0].GetProperty("message").GetProperty("eventCode").GetInt32());
    }

    [Fact]
    public async Task Relocking_by_hand_cancels_the_pending_auto_lock()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        await cloud.JsonAsync(HttpMethod.Put, $"devices/{TestCloud.EncodeId}", """{"attributes":{"autoLockTime":30}}""");
        cloud.Admin.TurnThumbturn(TestCloud.EncodeId, locked: false);
        cloud.Admin.TurnThumbturn(TestCloud.EncodeId, locked: true);
        cloud.Time.Advance(TimeSpan.FromSeconds(10));
        cloud.Admin.TurnThumbturn(TestCloud.EncodeId, locked: false);
        cloud.Time.Advance(TimeSpan.FromSeconds(25));
        Assert.Equal(0, await cloud.LockStateAsync(TestCloud.EncodeId));
        cloud.Time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(1, await cloud.LockStateAsync(TestCloud.EncodeId));
    }

    [Fact]
    public async Task Admin_auto_lock_locks_an_unlocked_lock_now()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        Assert.True(cloud.Admin.AutoLock(TestCloud.EncodePlusId));
        Assert.Equal("autoLock", (await cloud.DeviceAsync(TestCloud.EncodePlusId)).GetProperty("attributes").GetProperty("lockStateMetadata").GetProperty("actionType").GetString());
        Assert.False(cloud.Admin.AutoLock(TestCloud.EncodePlusId));
    }

    [Fact]
    public async Task Draining_the_battery_logs_low_then_critical_and_new_batteries_clear_it()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        cloud.Admin.SetBatteryLevel(TestCloud.EncodeId, 15);
        var attributes = (await cloud.DeviceAsync(TestCloud.EncodeId)).GetProperty("attributes");
        Assert.Equal(15, attributes.GetProperty("batteryLevel").GetInt32());
        Assert.Equal(1, attributes.GetProperty("batteryLowState").GetInt32());
        cloud.Admin.SetBatteryLevel(TestCloud.EncodeId, 3);
        Assert.Equal(2, (await cloud.DeviceAsync(TestCloud.EncodeId)).GetProperty("attributes").GetProperty("batteryLowState").GetInt32());
        cloud.Admin.ReplaceBatteries(TestCloud.EncodeId);

        var events = (await cloud.LogsAsync(TestCloud.EncodeId)).Select(l => l.GetProperty("message").GetProperty("eventCode").GetInt32());
        Assert.Equal([22, 29, 21], events);
        Assert.Equal(0, (await cloud.DeviceAsync(TestCloud.EncodeId)).GetProperty("attributes").GetProperty("batteryLowState").GetInt32());
    }

    [Fact]
    public async Task Locks_appear_and_disappear()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        var changed = new List<string>();
        cloud.Simulator.DeviceChanged += (_, id) => { lock (changed) { changed.Add(id); } };

        var id = cloud.Admin.AddLock(new LockDefinition { Name = "Shed", Model = LockModel.EncodeLever });
        Assert.Equal(5, (await cloud.GetAsync("devices?archetype=lock")).Body.GetArrayLength());
        Assert.Equal("fe789wifi", (await cloud.DeviceAsync(id)).GetProperty("devicetypeId").GetString());

        Assert.True(cloud.Admin.RemoveLock(id));
        Assert.Equal(4, (await cloud.GetAsync("devices?archetype=lock")).Body.GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, (await cloud.GetAsync("devices/" + id)).Status);
        Assert.False(cloud.Admin.RemoveLock(id));
        Assert.Equal([id, id], changed);
    }

    [Fact]
    public async Task A_removed_lock_ignores_a_pending_command()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        await cloud.JsonAsync(HttpMethod.Put, $"devices/{TestCloud.EncodeId}", """{"attributes":{"lockState":0}}""");
        cloud.Admin.RemoveLock(TestCloud.EncodeId);
        cloud.Time.Advance(TimeSpan.FromSeconds(5));
        Assert.DoesNotContain(cloud.Admin.Locks(), l => l.DeviceId == TestCloud.EncodeId);
    }

    [Fact]
    public async Task Invalid_lock_definitions_fail_fast_with_the_field_named()
    {
        await using var cloud = await TestCloud.StartAsync();
        var autoLock = Assert.Throws<ArgumentException>(() => cloud.Admin.AddLock(new LockDefinition { Name = "Bad", Model = LockModel.Sense, AutoLockTime = 600 }));
        Assert.Contains("autoLockTime 600", autoLock.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => cloud.Admin.AddLock(new LockDefinition { DeviceId = TestCloud.EncodeId, Name = "Twin" }));
        Assert.Throws<KeyNotFoundException>(() => cloud.Admin.Jam("no-such-lock"));
    }

    [Fact]
    public async Task Listing_two_thousand_locks_is_one_call()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        for (var i = 0; i < 2000; i++)
        {
            cloud.Admin.AddLock(new LockDefinition { Name = "Lock" + i });
        }
        var (status, list) = await cloud.GetAsync("devices?archetype=lock");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2004, list.GetArrayLength());
        Assert.Equal(2004, list.EnumerateArray().Select(d => d.GetProperty("deviceId").GetString()).Distinct().Count());
    }

    [Fact]
    public async Task Reset_restores_the_initial_world_and_keeps_sessions()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        var before = (await cloud.GetAsync("devices?archetype=lock")).Body.GetRawText();
        cloud.Admin.TurnThumbturn(TestCloud.EncodeId, locked: false);
        cloud.Admin.AddLock(new LockDefinition { Name = "Extra" });
        cloud.Admin.AddFault(Faults.FaultRule.Error(500));

        cloud.Admin.Reset();

        Assert.Empty(cloud.Admin.Faults());
        Assert.Equal(before, (await cloud.GetAsync("devices?archetype=lock")).Body.GetRawText());
        Assert.Empty(await cloud.LogsAsync(TestCloud.EncodeId));
    }
}
