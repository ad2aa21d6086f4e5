using Schlage2Mqtt.Cloud;
using Schlage2Mqtt.Simulator;
using Schlage2Mqtt.Simulator.Faults;

namespace Schlage2Mqtt.Schlage.Tests.Integration;

/// <summary>Access codes (list, add, update, delete with every schedule form) and notify-on-use, end to end.</summary>
public class AccessCodeIntegrationTests(SimulatorFixture fixture) : IntegrationTest(fixture)
{
    private const long Always = 4294967295;

    private static readonly CloudSchedule AllDay = new("7F", 0, 0, 23, 59);

    private long Now => Client.Time.GetUtcNow().ToUnixTimeSeconds();

    [Fact]
    public async Task The_seeded_code_is_listed_with_its_PIN_and_always_schedule()
    {
        var account = await Client.ReadyAccountAsync();

        var codes = await account.ListAccessCodesAsync(SimulatorFixture.EncodeId, default);

        Assert.True(codes.IsSuccess, codes.Failure?.ToString());
        var family = Assert.Single(codes.Value!);
        Assert.Equal("Family", family.Name);
        Assert.Equal(SimulatorFixture.FamilyPin, family.Code);
        Assert.Equal(0, family.ActivationSecs);
        Assert.Equal(Always, family.ExpirationSecs);
        Assert.False(family.Disabled);
        Assert.False(family.NotifyOnUse);
        Assert.Equal(AllDay, family.Schedule1);
        Assert.Null(family.Schedule2);
        Assert.Empty((await account.ListAccessCodesAsync(SimulatorFixture.EncodePlusId, default)).Value!);
    }

    [Fact]
    public async Task An_always_code_is_added_reaches_the_lock_and_opens_the_door()
    {
        var account = await Client.ReadyAccountAsync();

        var added = await account.AddAccessCodeAsync(SimulatorFixture.EncodeId, new NewAccessCode { Name = "Guest", Code = "5678", NotifyOnUse = true }, default);

        Assert.True(added.IsSuccess, added.Failure?.ToString());
        Assert.False(string.IsNullOrEmpty(added.Value));
        var code = (await account.ListAccessCodesAsync(SimulatorFixture.EncodeId, default)).Value!.Single(c => c.Id == added.Value);
        // notificationEnabled alone makes no notification object, and only those say notify-on-use (the bridge sets it next).
        Assert.Equal(("Guest", "5678", 0L, Always, false), (code.Name, code.Code, code.ActivationSecs!.Value, code.ExpirationSecs!.Value, code.NotifyOnUse!.Value));
        Assert.True((await account.SetAccessCodeNotificationAsync(SimulatorFixture.EncodeId, added.Value!, "Guest", true, default)).IsSuccess);
        Assert.True((await account.ListAccessCodesAsync(SimulatorFixture.EncodeId, default)).Value!.Single(c => c.Id == added.Value).NotifyOnUse);
        Assert.Equal(AllDay, code.Schedule1);
        Assert.Contains(added.Value, Fixture.Admin.Lock(SimulatorFixture.EncodeId).CodesOnDevice);
        Assert.Equal(KeypadResult.Unlocked, Fixture.Admin.EnterKeypadCode(SimulatorFixture.EncodeId, "5678"));
    }

    [Fact]
    public async Task A_temporary_code_is_valid_only_inside_its_window()
    {
        var account = await Client.ReadyAccountAsync();
        var start = Now + 3600;
        var end = start + 86_400;

        var added = await account.AddAccessCodeAsync(SimulatorFixture.EncodeId,
            new NewAccessCode { Name = "Visitor", Code = "2468", ActivationSecs = start, ExpirationSecs = end }, default);

        Assert.True(added.IsSuccess, added.Failure?.ToString());
        var code = (await account.ListAccessCodesAsync(SimulatorFixture.EncodeId, default)).Value!.Single(c => c.Id == added.Value);
        Assert.Equal((start, end), (code.ActivationSecs!.Value, code.ExpirationSecs!.Value));
        Assert.Equal(KeypadResult.Rejected, Fixture.Admin.EnterKeypadCode(SimulatorFixture.EncodeId, "2468"));
        Client.Time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(KeypadResult.Unlocked, Fixture.Admin.EnterKeypadCode(SimulatorFixture.EncodeId, "2468"));
    }

    [Fact]
    public async Task A_recurring_code_keeps_both_weekly_windows()
    {
        var account = await Client.ReadyAccountAsync();
        var weekdays = new CloudSchedule("3E", 9, 0, 17, 30);
        var weekend = new CloudSchedule("41", 10, 15, 12, 0);

        var added = await account.AddAccessCodeAsync(SimulatorFixture.EncodeId,
            new NewAccessCode { Name = "Cleaner", Code = "1357", Schedule1 = weekdays, Schedule2 = weekend }, default);

        Assert.True(added.IsSuccess, added.Failure?.ToString());
        var code = (await account.ListAccessCodesAsync(SimulatorFixture.EncodeId, default)).Value!.Single(c => c.Id == added.Value);
        Assert.Equal(weekdays, code.Schedule1);
        Assert.Equal(weekend, code.Schedule2);
        Assert.Equal((0L, Always), (code.ActivationSecs!.Value, code.ExpirationSecs!.Value));
    }

    [Fact]
    public async Task A_PIN_with_leading_zeros_survives_the_cloud_storing_it_as_a_number()
    {
        var account = await Client.ReadyAccountAsync();

        var added = await account.AddAccessCodeAsync(SimulatorFixture.EncodeId, new NewAccessCode { Name = "Zero", Code = "0042" }, default);

        Assert.True(added.IsSuccess, added.Failure?.ToString());
        Assert.Equal("0042", (await account.ListAccessCodesAsync(SimulatorFixture.EncodeId, default)).Value!.Single(c => c.Id == added.Value).Code);
        Assert.Equal(KeypadResult.Unlocked, Fixture.Admin.EnterKeypadCode(SimulatorFixture.EncodeId, "0042"));
    }

    [Fact]
    public async Task An_update_replaces_name_PIN_and_schedule_on_cloud_and_lock()
    {
        var account = await Client.ReadyAccountAsync();
        var id = (await account.AddAccessCodeAsync(SimulatorFixture.EncodeId,
            new NewAccessCode { Name = "Cleaner", Code = "1357", Schedule1 = new CloudSchedule("3E", 9, 0, 17, 30), Schedule2 = new CloudSchedule("41", 10, 0, 12, 0) }, default)).Value!;

        var updated = await account.UpdateAccessCodeAsync(SimulatorFixture.EncodeId, id,
            new NewAccessCode { Name = "Nanny", Code = "9753", Disabled = true }, default);

        Assert.True(updated.IsSuccess, updated.Failure?.ToString());
        var code = (await account.ListAccessCodesAsync(SimulatorFixture.EncodeId, default)).Value!.Single(c => c.Id == id);
        Assert.Equal(("Nanny", "9753", true), (code.Name, code.Code, code.Disabled!.Value));
        // The command carries the whole code object (reference section 4): an always code has no second window.
        Assert.Equal(AllDay, code.Schedule1);
        Assert.Null(code.Schedule2);
        Assert.Equal(KeypadResult.Rejected, Fixture.Admin.EnterKeypadCode(SimulatorFixture.EncodeId, "9753"));
        Assert.Equal(KeypadResult.Rejected, Fixture.Admin.EnterKeypadCode(SimulatorFixture.EncodeId, "1357"));
    }

    [Theory]
    [InlineData("07/19 Rob Test HA-123457")]
    [InlineData("1: Test")]
    public async Task A_free_text_name_as_real_codes_carry_is_added_and_deleted(string name)
    {
        var account = await Client.ReadyAccountAsync();

        var added = await account.AddAccessCodeAsync(SimulatorFixture.EncodeId, new NewAccessCode { Name = name, Code = "4826" }, default);
        Assert.True(added.IsSuccess, added.Failure?.ToString());
        Assert.Contains((await account.ListAccessCodesAsync(SimulatorFixture.EncodeId, default)).Value!, c => c.Name == name);
        var deleted = await account.DeleteAccessCodeAsync(SimulatorFixture.EncodeId, added.Value!, default);

        Assert.True(deleted.IsSuccess, deleted.Failure?.ToString());
        Assert.DoesNotContain((await account.ListAccessCodesAsync(SimulatorFixture.EncodeId, default)).Value!, c => c.Name == name);
    }

    [Fact]
    public async Task A_delete_removes_the_code_from_cloud_and_lock()
    {
        var account = await Client.ReadyAccountAsync();
        var familyId = (await account.ListAccessCodesAsync(SimulatorFixture.EncodeId, default)).Value!.Single().Id;
        var before = Client.Calls.LastSequence;

        var deleted = await account.DeleteAccessCodeAsync(SimulatorFixture.EncodeId, familyId, default);

        Assert.True(deleted.IsSuccess, deleted.Failure?.ToString());
        Assert.Empty((await account.ListAccessCodesAsync(SimulatorFixture.EncodeId, default)).Value!);
        Assert.Empty(Fixture.Admin.Lock(SimulatorFixture.EncodeId).CodesOnDevice);
        // The whole code object goes with the id, as pyschlage and Home Assistant send it (the simulator requires it).
        Assert.Equal("deleteaccesscode accesscodeId=" + familyId + " friendlyName=Family", Client.Calls.RecordsAfter(before).Single(r => r.Operation == "PostCommand").Detail);
        var logs = (await account.GetLogsAsync(SimulatorFixture.EncodeId, 1, default)).Value!;
        Assert.Equal((15, familyId), (logs[0].EventCode!.Value, logs[0].AccessCodeId));
    }

    [Fact]
    public async Task Deleting_a_code_the_cloud_does_not_know_is_not_found()
    {
        var account = await Client.ReadyAccountAsync();

        var deleted = await account.DeleteAccessCodeAsync(SimulatorFixture.EncodeId, "00000000-0000-4000-8000-0000000000ff", default);

        Assert.Equal(CloudFailureKind.NotFound, deleted.Failure!.Kind);
        Assert.Equal("Access code not found", deleted.Failure.CloudMessage);
    }

    [Theory]
    [InlineData("Family", "9999", "An access code with this name already exists")]
    [InlineData("Other", "1234", "This access code already exists")]
    [InlineData("Longer", "123456", "Access code length must be 4 digits on this lock")]
    public async Task Codes_the_cloud_refuses_come_back_rejected_with_its_message(string name, string pin, string message)
    {
        var account = await Client.ReadyAccountAsync();

        var added = await account.AddAccessCodeAsync(SimulatorFixture.EncodeId, new NewAccessCode { Name = name, Code = pin }, default);

        Assert.Equal(CloudFailureKind.Rejected, added.Failure!.Kind);
        Assert.Equal(400, added.Failure.HttpStatus);
        Assert.Equal(message, added.Failure.CloudMessage);
        Assert.Single((await account.ListAccessCodesAsync(SimulatorFixture.EncodeId, default)).Value!);
    }

    [Fact]
    public async Task A_schedule_the_cloud_finds_invalid_is_rejected_with_the_field_message()
    {
        var account = await Client.ReadyAccountAsync();

        var added = await account.AddAccessCodeAsync(SimulatorFixture.EncodeId,
            new NewAccessCode { Name = "Night", Code = "8642", Schedule1 = new CloudSchedule("7F", 22, 0, 6, 0) }, default);

        Assert.Equal(CloudFailureKind.Rejected, added.Failure!.Kind);
        Assert.Equal("Schedule parameters are not valid", added.Failure.CloudMessage);
    }

    [Fact]
    public async Task Notify_on_use_is_created_listed_turned_off_and_deleted()
    {
        var account = await Client.ReadyAccountAsync();
        var familyId = (await account.ListAccessCodesAsync(SimulatorFixture.EncodeId, default)).Value!.Single().Id;
        var expectedId = $"{Fixture.Owner.IdentityId}_{familyId}";

        Assert.True((await account.SetAccessCodeNotificationAsync(SimulatorFixture.EncodeId, familyId, "Family", enabled: true, default)).IsSuccess);

        var on = (await account.GetNotificationsAsync(SimulatorFixture.EncodeId, default)).Value!;
        Assert.Equal([new CloudNotification(expectedId, "Family", true)], on);
        Assert.Equal(1, Client.Calls.Count(ApiEndpoint.PostNotification));
        var raw = (await account.Api.GetNotificationsAsync(SimulatorFixture.EncodeId, default)).Value!.Single();
        Assert.Equal(("onunlockstateaction", Fixture.Owner.IdentityId, SimulatorFixture.EncodeId), (raw.NotificationDefinitionId, raw.UserId, raw.DeviceId));

        Assert.True((await account.SetAccessCodeNotificationAsync(SimulatorFixture.EncodeId, familyId, "Family", enabled: false, default)).IsSuccess);

        Assert.Equal([new CloudNotification(expectedId, "Family", false)], (await account.GetNotificationsAsync(SimulatorFixture.EncodeId, default)).Value!);
        Assert.Equal(1, Client.Calls.Count(ApiEndpoint.PutNotification));
        Assert.Empty((await account.GetNotificationsAsync(SimulatorFixture.EncodePlusId, default)).Value!);

        Assert.True((await account.Api.DeleteNotificationAsync(expectedId, default)).IsSuccess);
        Assert.Empty((await account.GetNotificationsAsync(SimulatorFixture.EncodeId, default)).Value!);
        Assert.Equal(CloudFailureKind.NotFound, (await account.Api.DeleteNotificationAsync(expectedId, default)).Failure!.Kind);
    }

    [Fact]
    public async Task Turning_off_a_notification_that_does_not_exist_writes_nothing()
    {
        var account = await Client.ReadyAccountAsync();
        var familyId = (await account.ListAccessCodesAsync(SimulatorFixture.EncodeId, default)).Value!.Single().Id;

        Assert.True((await account.SetAccessCodeNotificationAsync(SimulatorFixture.EncodeId, familyId, "Family", enabled: false, default)).IsSuccess);

        Assert.Equal(0, Client.Calls.Count(ApiEndpoint.PostNotification) + Client.Calls.Count(ApiEndpoint.PutNotification));
    }

    [Fact]
    public async Task The_first_code_on_an_empty_lock_sets_its_code_length()
    {
        var account = await Client.ReadyAccountAsync();

        Assert.True((await account.AddAccessCodeAsync(SimulatorFixture.SenseId, new NewAccessCode { Name = "First", Code = "123456" }, default)).IsSuccess);
        var second = await account.AddAccessCodeAsync(SimulatorFixture.SenseId, new NewAccessCode { Name = "Second", Code = "1234" }, default);

        Assert.Equal(CloudFailureKind.Rejected, second.Failure!.Kind);
        Assert.Equal("123456", (await account.ListAccessCodesAsync(SimulatorFixture.SenseId, default)).Value!.Single().Code);
    }
}
