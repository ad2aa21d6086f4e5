using System.Net;
using System.Text.Json;

namespace Schlage2Mqtt.Simulator.Tests;

public sealed class AccessCodeTests
{
    [Fact]
    public async Task Add_answers_the_new_id_lists_the_code_logs_it_and_the_keypad_accepts_it()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        var (status, body) = await cloud.CommandAsync(TestCloud.EncodeId, TestCloud.AddCode("Walker", 4321));

        Assert.Equal(HttpStatusCode.OK, status);
        var id = body.GetProperty("accesscodeId").GetString();
        var codes = await cloud.CodesAsync(TestCloud.EncodeId);
        var added = Assert.Single(codes, c => c.GetProperty("accesscodeId").GetString() == id);
        Assert.Equal(4321, added.GetProperty("accessCode").GetInt64());
        var log = (await cloud.LogsAsync(TestCloud.EncodeId))[0].GetProperty("message");
        Assert.Equal(14, log.GetProperty("eventCode").GetInt32());
        Assert.Equal(id, log.GetProperty("keypadUuid").GetString());
        Assert.Equal(KeypadResult.Unlocked, cloud.Admin.EnterKeypadCode(TestCloud.EncodeId, "4321"));
    }

    [Fact]
    public async Task Leading_zeros_survive_as_a_number_padded_to_the_length()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        var (_, body) = await cloud.CommandAsync(TestCloud.EncodeId, TestCloud.AddCode("Zero", 42, length: 4));
        var code = (await cloud.CodesAsync(TestCloud.EncodeId)).Single(c => c.GetProperty("accesscodeId").GetString() == body.GetProperty("accesscodeId").GetString());
        Assert.Equal(42, code.GetProperty("accessCode").GetInt64());
        Assert.Equal(4, code.GetProperty("accessCodeLength").GetInt32());
        Assert.Equal(KeypadResult.Unlocked, cloud.Admin.EnterKeypadCode(TestCloud.EncodeId, "0042"));
    }

    [Fact]
    public async Task Code_of_another_length_is_refused_on_a_fixed_length_lock()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        var (status, body) = await cloud.CommandAsync(TestCloud.EncodeId, TestCloud.AddCode("Long", 123456, length: 6));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("Access code length must be 4 digits on this lock", body.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await cloud.CommandAsync(TestCloud.EncodeId, TestCloud.AddCode("TooBig", 12345))).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await cloud.CommandAsync(TestCloud.EncodeId, TestCloud.AddCode("Short", 123, length: 3))).Status);
    }

    [Fact]
    public async Task The_first_code_on_an_empty_lock_sets_its_length()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        Assert.Equal(HttpStatusCode.OK, (await cloud.CommandAsync(TestCloud.LeverId, TestCloud.AddCode("Six", 654321, length: 6))).Status);
        Assert.Equal(6, (await cloud.DeviceAsync(TestCloud.LeverId)).GetProperty("attributes").GetProperty("accessCodeLength").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, (await cloud.CommandAsync(TestCloud.LeverId, TestCloud.AddCode("Four", 1111, length: 4))).Status);
    }

    [Fact]
    public async Task Variable_length_lock_takes_any_length_from_4_to_8()
    {
        var options = TestCloud.DefaultOptions() with
        {
            Accounts = [TestCloud.DefaultOptions().Accounts[0] with
            {
                Locks = [new LockDefinition { DeviceId = TestCloud.EncodeId, Name = "Vlac", VariableLengthCodes = true, AccessCodes = [new AccessCodeDefinition { Name = "A", Code = "1234" }] }],
            }],
        };
        await using var cloud = await TestCloud.StartLoggedInAsync(options);
        Assert.Equal(HttpStatusCode.OK, (await cloud.CommandAsync(TestCloud.EncodeId, TestCloud.AddCode("Eight", 12345678, length: 8))).Status);
        Assert.Equal(1, (await cloud.DeviceAsync(TestCloud.EncodeId)).GetProperty("attributes").GetProperty("supportedFeatures").GetProperty("vlac").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, (await cloud.CommandAsync(TestCloud.EncodeId, TestCloud.AddCode("Nine", 123456789, length: 9))).Status);
    }

    [Fact]
    public async Task Capacity_is_maxUserCodes()
    {
        var options = TestCloud.DefaultOptions() with
        {
            Accounts = [TestCloud.DefaultOptions().Accounts[0] with
            {
                Locks = [new LockDefinition { DeviceId = TestCloud.EncodeId, Name = "Small", MaxUserCodes = 2, AccessCodes = [new AccessCodeDefinition { Name = "A", Code = "1234" }] }],
            }],
        };
        await using var cloud = await TestCloud.StartLoggedInAsync(options);
        Assert.Equal(HttpStatusCode.OK, (await cloud.CommandAsync(TestCloud.EncodeId, TestCloud.AddCode("B", 2345))).Status);
        var (status, body) = await cloud.CommandAsync(TestCloud.EncodeId, TestCloud.AddCode("C", 3456));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("Maximum number of access codes (2) reached", body.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Duplicate_names_and_pins_are_refused()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        var (nameStatus, nameBody) = await cloud.CommandAsync(TestCloud.EncodeId, TestCloud.AddCode("FAMILY", 9999));
        Assert.Equal(HttpStatusCode.BadRequest, nameStatus);
        Assert.Equal("An access code with this name already exists", nameBody.GetProperty("message").GetString());
        var (pinStatus, pinBody) = await cloud.CommandAsync(TestCloud.EncodeId, TestCloud.AddCode("Other", 1234));
        Assert.Equal(HttpStatusCode.BadRequest, pinStatus);
        Assert.Equal("This access code already exists", pinBody.GetProperty("message").GetString());
        Assert.Single(await cloud.CodesAsync(TestCloud.EncodeId));
    }

    [Theory]
    [InlineData("daysOfWeek", "80")]
    [InlineData("daysOfWeek", "00")]
    [InlineData("daysOfWeek", "7FF")]
    [InlineData("daysOfWeek", "XY")]
    [InlineData("startHour", 24)]
    [InlineData("endMinute", 60)]
    [InlineData("startHour", 23)]
    public async Task Invalid_schedules_are_Schedule_parameters_are_not_valid(string field, object value)
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        var schedule = new Dictionary<string, object> { ["daysOfWeek"] = "3E", ["startHour"] = 9, ["startMinute"] = 0, ["endHour"] = 17, ["endMinute"] = 0 };
        schedule[field] = value;
        var (status, body) = await cloud.CommandAsync(TestCloud.EncodeId, TestCloud.AddCode("Sched", 5555, tweak: d => d["schedule1"] = schedule));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("Schedule parameters are not valid", body.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Temporary_window_must_start_before_it_ends()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        var (status, body) = await cloud.CommandAsync(TestCloud.EncodeId, TestCloud.AddCode("Temp", 5555, tweak: d =>
        {
            d["activationSecs"] = 1_800_000_000L;
            d["expirationSecs"] = 1_700_000_000L;
        }));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("Schedule parameters are not valid", body.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Recurring_code_opens_only_inside_its_window()
    {
        // 2026-11-22 is a Sunday; the code is Mon-Fri 09:00-17:00.
        await using var cloud = await TestCloud.StartLoggedInAsync();
        var schedule = new { daysOfWeek = "3E", startHour = 9, startMinute = 0, endHour = 17, endMinute = 0 };
        Assert.Equal(HttpStatusCode.OK, (await cloud.CommandAsync(TestCloud.EncodeId, TestCloud.AddCode("Weekday", 5555, tweak: d => d["schedule1"] = schedule))).Status);
        Assert.Equal(KeypadResult.Rejected, cloud.Admin.EnterKeypadCode(TestCloud.EncodeId, "5555"));
        cloud.Time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(KeypadResult.Unlocked, cloud.Admin.EnterKeypadCode(TestCloud.EncodeId, "5555"));
    }

    [Theory]
    [InlineData("accessCode", "1234", "accessCode must be a number (the PIN as an integer)")]
    [InlineData("friendlyName", " ", "friendlyName must not be empty")]
    [InlineData("disabled", 2, "disabled must be 0 or 1")]
    [InlineData("notificationEnabled", true, "notificationEnabled must be 0 or 1")]
    [InlineData("notificationEnabled", false, "notificationEnabled must be 0 or 1")]
    public async Task Malformed_fields_are_a_400_naming_the_field(string field, object value, string message)
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        var (status, body) = await cloud.CommandAsync(TestCloud.EncodeId, TestCloud.AddCode("Ok", 7777, tweak: d => d[field] = value));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(message, body.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("07/19 Rob Test HA-123457")]
    [InlineData("1: Test")]
    [InlineData("Front door cleaner")]
    public async Task Names_are_free_text_as_real_consumer_cloud_codes_show(string name)
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();

        var (status, _) = await cloud.CommandAsync(TestCloud.EncodeId, TestCloud.AddCode(name, 7777));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(await cloud.CodesAsync(TestCloud.EncodeId), c => c.GetProperty("friendlyName").GetString() == name);
    }

    [Fact]
    public async Task The_lists_notification_field_reads_0_even_for_a_code_added_with_notificationEnabled_1()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();

        Assert.Equal(HttpStatusCode.OK, (await cloud.CommandAsync(TestCloud.EncodeId, TestCloud.AddCode("Walker", 7777, tweak: d => d["notificationEnabled"] = 1))).Status);

        var walker = (await cloud.CodesAsync(TestCloud.EncodeId)).Single(c => c.GetProperty("friendlyName").GetString() == "Walker");
        Assert.Equal(0, walker.GetProperty("notification").GetInt32());
    }

    [Fact]
    public async Task A_delete_carrying_only_the_id_is_refused_and_keeps_the_code()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        var id = (await cloud.CodesAsync(TestCloud.EncodeId))[0].GetProperty("accesscodeId").GetString()!;

        var (status, body) = await cloud.CommandAsync(TestCloud.EncodeId, TestCloud.CodeCommand("deleteaccesscode", id));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith("deleteaccesscode needs the access code object", body.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Single(await cloud.CodesAsync(TestCloud.EncodeId));
    }

    [Fact]
    public async Task Update_changes_name_and_pin_and_delete_removes_with_a_log_entry()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        var id = (await cloud.CodesAsync(TestCloud.EncodeId))[0].GetProperty("accesscodeId").GetString()!;

        var (updated, answer) = await cloud.CommandAsync(TestCloud.EncodeId, TestCloud.CodeCommand("updateaccesscode", id, d =>
        {
            d["friendlyName"] = "Kids";
            d["accessCode"] = 8765;
        }));
        Assert.Equal(HttpStatusCode.OK, updated);
        Assert.Equal(id, answer.GetProperty("accesscodeId").GetString());
        var code = Assert.Single(await cloud.CodesAsync(TestCloud.EncodeId));
        Assert.Equal("Kids", code.GetProperty("friendlyName").GetString());
        Assert.Equal(8765, code.GetProperty("accessCode").GetInt64());
        Assert.Equal(KeypadResult.Rejected, cloud.Admin.EnterKeypadCode(TestCloud.EncodeId, "1234"));
        Assert.Equal(KeypadResult.Unlocked, cloud.Admin.EnterKeypadCode(TestCloud.EncodeId, "8765"));

        Assert.Equal(HttpStatusCode.OK, (await cloud.CommandAsync(TestCloud.EncodeId, TestCloud.DeleteCode(code))).Status);
        Assert.Empty(await cloud.CodesAsync(TestCloud.EncodeId));
        Assert.Equal(15, (await cloud.LogsAsync(TestCloud.EncodeId))[0].GetProperty("message").GetProperty("eventCode").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await cloud.CommandAsync(TestCloud.EncodeId, TestCloud.DeleteCode(code))).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await cloud.CommandAsync(TestCloud.EncodeId, """{"name":"deleteaccesscode","data":{}}""")).Status);
    }

    [Fact]
    public async Task An_update_replaces_the_whole_code_so_a_left_out_second_window_is_gone_and_a_left_out_PIN_is_refused()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        var (added, answer) = await cloud.CommandAsync(TestCloud.EncodeId, TestCloud.AddCode("Cleaner", 1357, tweak: d =>
        {
            d["schedule1"] = new { daysOfWeek = "3E", startHour = 9, startMinute = 0, endHour = 17, endMinute = 0 };
            d["schedule2"] = new { daysOfWeek = "41", startHour = 10, startMinute = 0, endHour = 12, endMinute = 0 };
            d["disabled"] = 1;
        }));
        Assert.Equal(HttpStatusCode.OK, added);
        var id = answer.GetProperty("accesscodeId").GetString()!;

        var (updated, _) = await cloud.CommandAsync(TestCloud.EncodeId, TestCloud.CodeCommand("updateaccesscode", id, d =>
        {
            d["friendlyName"] = "Cleaner";
            d["accessCode"] = 1357;
            d["schedule1"] = new { daysOfWeek = "7F", startHour = 0, startMinute = 0, endHour = 23, endMinute = 59 };
        }));
        var (partial, refusal) = await cloud.CommandAsync(TestCloud.EncodeId, TestCloud.CodeCommand("updateaccesscode", id, d => d["friendlyName"] = "Renamed"));

        Assert.Equal(HttpStatusCode.OK, updated);
        var code = (await cloud.CodesAsync(TestCloud.EncodeId)).Single(c => c.GetProperty("accesscodeId").GetString() == id);
        Assert.False(code.TryGetProperty("schedule2", out _));
        Assert.Equal("7F", code.GetProperty("schedule1").GetProperty("daysOfWeek").GetString());
        Assert.Equal(0, code.GetProperty("disabled").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, partial);
        Assert.Equal("accessCode is required", refusal.GetProperty("message").GetString());
        Assert.Equal(KeypadResult.Unlocked, cloud.Admin.EnterKeypadCode(TestCloud.EncodeId, "1357"));
    }

    [Fact]
    public async Task Async_add_is_pending_until_the_lock_acts_then_successful()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        var (status, accepted) = await cloud.CommandAsync(TestCloud.EncodeId, TestCloud.AddCode("Later", 2468), async: true);
        Assert.Equal(HttpStatusCode.OK, status);
        var commandId = accepted.GetProperty("id").GetString();
        Assert.Single(await cloud.CodesAsync(TestCloud.EncodeId));
        Assert.Equal("Pending", (await PollAsync(cloud, TestCloud.EncodeId, commandId!)).GetProperty("state").GetString());

        cloud.Time.Advance(TimeSpan.FromSeconds(5));

        var done = await PollAsync(cloud, TestCloud.EncodeId, commandId!);
        Assert.Equal("Successful", done.GetProperty("state").GetString());
        Assert.Equal("addaccesscode", done.GetProperty("name").GetString());
        var id = done.GetProperty("result").GetProperty("accesscodeId").GetString();
        Assert.Contains(await cloud.CodesAsync(TestCloud.EncodeId), c => c.GetProperty("accesscodeId").GetString() == id);
    }

    [Fact]
    public async Task Async_add_that_turns_out_invalid_is_refused_at_once()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        var (status, _) = await cloud.CommandAsync(TestCloud.EncodeId, TestCloud.AddCode("Family", 2468), async: true);
        Assert.Equal(HttpStatusCode.BadRequest, status);
    }

    [Fact]
    public async Task Delete_all_clears_cloud_and_lock()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        Assert.Equal(HttpStatusCode.OK, (await cloud.CommandAsync(TestCloud.EncodeId, """{"name":"deleteallaccesscodes","data":{}}""")).Status);
        Assert.Empty(await cloud.CodesAsync(TestCloud.EncodeId));
        Assert.Empty(cloud.Admin.Lock(TestCloud.EncodeId).CodesOnDevice);
        Assert.Equal(30, (await cloud.LogsAsync(TestCloud.EncodeId))[0].GetProperty("message").GetProperty("eventCode").GetInt32());
    }

    [Fact]
    public async Task Two_hundred_concurrent_adds_across_five_locks_all_land()
    {
        var ids = Enumerable.Range(0, 5).Select(i => $"c0000000-0000-4000-8000-00000000000{i}").ToList();
        var options = TestCloud.DefaultOptions() with
        {
            Accounts = [TestCloud.DefaultOptions().Accounts[0] with { Locks = [.. ids.Select(id => new LockDefinition { DeviceId = id, Name = "L" + id[^1] })] }],
        };
        await using var cloud = await TestCloud.StartLoggedInAsync(options);

        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            cloud.CommandAsync(ids[i % 5], TestCloud.AddCode("Code" + i, 1000 + i))));

        Assert.All(results, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        Assert.Equal(200, results.Select(r => r.Body.GetProperty("accesscodeId").GetString()).Distinct().Count());
        foreach (var id in ids)
        {
            Assert.Equal(40, (await cloud.CodesAsync(id)).Count);
            Assert.Equal(40, cloud.Admin.Lock(id).CodesOnDevice.Count);
        }
    }

    internal static async Task<JsonElement> PollAsync(TestCloud cloud, string deviceId, string commandId)
    {
        var (status, body) = await cloud.JsonAsync(HttpMethod.Post, $"devices/{deviceId}/commands/{commandId}");
        Assert.Equal(HttpStatusCode.OK, status);
        return body;
    }
}
