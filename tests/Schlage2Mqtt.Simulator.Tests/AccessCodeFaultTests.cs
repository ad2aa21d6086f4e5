using System.Net;
using Schlage2Mqtt.Simulator.Faults;

namespace Schlage2Mqtt.Simulator.Tests;

public sealed class AccessCodeFaultTests
{
    [Fact]
    public async Task Nack_fails_and_the_code_never_reaches_the_lock()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        cloud.Admin.AddFault(new AccessCodeFaultRule { Fault = AccessCodeFault.Nack, Count = 1 });

        var (status, body) = await cloud.CommandAsync(TestCloud.EncodeId, TestCloud.AddCode("Nacked", 4444));
        Assert.Equal(HttpStatusCode.BadGateway, status);
        Assert.StartsWith("Nack", body.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Single(await cloud.CodesAsync(TestCloud.EncodeId));
        Assert.Equal(KeypadResult.Rejected, cloud.Admin.EnterKeypadCode(TestCloud.EncodeId, "4444"));

        Assert.Equal(HttpStatusCode.OK, (await cloud.CommandAsync(TestCloud.EncodeId, TestCloud.AddCode("Nacked", 4444))).Status);
    }

    [Fact]
    public async Task Nack_where_the_cloud_keeps_the_code_leaves_a_split_brain_only_delete_all_repairs()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        cloud.Admin.AddFault(new AccessCodeFaultRule { Fault = AccessCodeFault.Nack, Count = 1, CloudKeepsChange = true });

        var (status, body) = await cloud.CommandAsync(TestCloud.EncodeId, TestCloud.AddCode("Ghost", 4444));
        Assert.Equal(HttpStatusCode.BadGateway, status);
        Assert.StartsWith("Nack", body.GetProperty("message").GetString(), StringComparison.Ordinal);
        var ghost = (await cloud.CodesAsync(TestCloud.EncodeId)).Single(c => c.GetProperty("friendlyName").GetString() == "Ghost");
        var id = ghost.GetProperty("accesscodeId").GetString()!;
        Assert.DoesNotContain(id, cloud.Admin.Lock(TestCloud.EncodeId).CodesOnDevice);
        Assert.Equal(KeypadResult.Rejected, cloud.Admin.EnterKeypadCode(TestCloud.EncodeId, "4444"));

        var (deleteStatus, deleteBody) = await cloud.CommandAsync(TestCloud.EncodeId, TestCloud.DeleteCode(ghost));
        Assert.Equal(HttpStatusCode.BadRequest, deleteStatus);
        Assert.Equal("Access code ID not found on device", deleteBody.GetProperty("message").GetString());

        Assert.Equal(HttpStatusCode.OK, (await cloud.CommandAsync(TestCloud.EncodeId, """{"name":"deleteallaccesscodes","data":{}}""")).Status);
        Assert.Equal(HttpStatusCode.OK, (await cloud.CommandAsync(TestCloud.EncodeId, TestCloud.AddCode("Ghost", 4444))).Status);
    }

    [Fact]
    public async Task Timeout_sync_is_504_and_async_stays_pending_until_the_command_timeout()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        cloud.Admin.AddFault(new AccessCodeFaultRule { Fault = AccessCodeFault.Timeout, Count = 2 });

        var (status, body) = await cloud.CommandAsync(TestCloud.EncodeId, TestCloud.AddCode("Slow", 5151));
        Assert.Equal(HttpStatusCode.GatewayTimeout, status);
        Assert.Equal("Endpoint request timed out", body.GetProperty("message").GetString());

        var (_, accepted) = await cloud.CommandAsync(TestCloud.EncodeId, TestCloud.AddCode("Slow", 5151), async: true);
        var commandId = accepted.GetProperty("id").GetString()!;
        cloud.Time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal("Pending", (await AccessCodeTests.PollAsync(cloud, TestCloud.EncodeId, commandId)).GetProperty("state").GetString());
        cloud.Time.Advance(TimeSpan.FromSeconds(1));
        var failed = await AccessCodeTests.PollAsync(cloud, TestCloud.EncodeId, commandId);
        Assert.Equal("Failed", failed.GetProperty("state").GetString());
        Assert.Equal("Command timed out", failed.GetProperty("error").GetProperty("message").GetString());
        Assert.Single(await cloud.CodesAsync(TestCloud.EncodeId));
    }

    [Fact]
    public async Task Split_brain_already_in_use_for_a_code_the_cloud_does_not_list()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        cloud.Admin.AddCodeOnDeviceOnly(TestCloud.EncodeId, "Phantom", "7070");

        var (status, body) = await cloud.CommandAsync(TestCloud.EncodeId, TestCloud.AddCode("Fresh", 7070));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("Access code or code name is already in use", body.GetProperty("message").GetString());
        Assert.Single(await cloud.CodesAsync(TestCloud.EncodeId));
        // The phantom still opens the door although no list shows it.
        Assert.Equal(KeypadResult.Unlocked, cloud.Admin.EnterKeypadCode(TestCloud.EncodeId, "7070"));
    }

    [Fact]
    public async Task Split_brain_not_found_on_device_for_a_code_the_lock_lost()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        var id = (await cloud.CodesAsync(TestCloud.EncodeId))[0].GetProperty("accesscodeId").GetString()!;
        Assert.True(cloud.Admin.ForgetCodeOnDevice(TestCloud.EncodeId, id));

        var (status, body) = await cloud.CommandAsync(TestCloud.EncodeId, TestCloud.CodeCommand("updateaccesscode", id, d =>
        {
            d["friendlyName"] = "Renamed";
            d["accessCode"] = 1234;
        }));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("Access code ID not found on device", body.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData(AccessCodeFault.AlreadyInUse, "Access code or code name is already in use")]
    [InlineData(AccessCodeFault.NotFoundOnDevice, "Access code ID not found on device")]
    [InlineData(AccessCodeFault.ScheduleInvalid, "Schedule parameters are not valid")]
    [InlineData(AccessCodeFault.UserNotFound, "User not found in the device")]
    public async Task Injected_lock_refusals_are_400_with_the_field_message_and_change_nothing(AccessCodeFault fault, string message)
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        cloud.Admin.AddFault(new AccessCodeFaultRule { Fault = fault, DeviceId = TestCloud.EncodeId, Command = "addaccesscode", Count = 1 });

        Assert.Equal(HttpStatusCode.OK, (await cloud.CommandAsync(TestCloud.LeverId, TestCloud.AddCode("Elsewhere", 1212))).Status);
        var (status, body) = await cloud.CommandAsync(TestCloud.EncodeId, TestCloud.AddCode("Refused", 1313));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(message, body.GetProperty("message").GetString());
        Assert.Single(await cloud.CodesAsync(TestCloud.EncodeId));
    }

    [Fact]
    public async Task Async_refusal_is_a_failed_command_with_the_message()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        cloud.Admin.AddFault(new AccessCodeFaultRule { Fault = AccessCodeFault.UserNotFound, Count = 1 });
        var (_, accepted) = await cloud.CommandAsync(TestCloud.EncodeId, TestCloud.AddCode("Async", 1414), async: true);
        cloud.Time.Advance(TimeSpan.FromSeconds(5));
        var failed = await AccessCodeTests.PollAsync(cloud, TestCloud.EncodeId, accepted.GetProperty("id").GetString()!);
        Assert.Equal("Failed", failed.GetProperty("state").GetString());
        Assert.Equal(400, failed.GetProperty("error").GetProperty("statusCode").GetInt32());
        Assert.Equal("User not found in the device", failed.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Server_error_on_update_changes_nothing()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        cloud.Admin.AddFault(new AccessCodeFaultRule { Fault = AccessCodeFault.ServerError, Command = "updateaccesscode", Count = 1 });
        var id = (await cloud.CodesAsync(TestCloud.EncodeId))[0].GetProperty("accesscodeId").GetString()!;

        var (status, _) = await cloud.CommandAsync(TestCloud.EncodeId, TestCloud.CodeCommand("updateaccesscode", id, d =>
        {
            d["friendlyName"] = "Renamed";
            d["accessCode"] = 1234;
        }));
        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Equal("Family", (await cloud.CodesAsync(TestCloud.EncodeId))[0].GetProperty("friendlyName").GetString());
    }

    [Theory]
    [InlineData(502)]
    [InlineData(504)]
    public async Task Gateway_error_on_add_while_the_code_is_in_fact_created(int statusCode)
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        cloud.Admin.AddFault(new AccessCodeFaultRule { Fault = AccessCodeFault.GatewayErrorButApplied, StatusCode = statusCode, Count = 1 });

        var (status, _) = await cloud.CommandAsync(TestCloud.EncodeId, TestCloud.AddCode("Created", 1515));
        Assert.Equal((HttpStatusCode)statusCode, status);
        Assert.Contains(await cloud.CodesAsync(TestCloud.EncodeId), c => c.GetProperty("friendlyName").GetString() == "Created");
        Assert.Equal(KeypadResult.Unlocked, cloud.Admin.EnterKeypadCode(TestCloud.EncodeId, "1515"));
        // A retry of the "failed" add now meets the duplicate rule: the client must re-read, not blindly retry.
        Assert.Equal(HttpStatusCode.BadRequest, (await cloud.CommandAsync(TestCloud.EncodeId, TestCloud.AddCode("Created", 1515))).Status);
    }

    [Fact]
    public async Task Validation_refusals_do_not_consume_fault_rules()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        cloud.Admin.AddFault(new AccessCodeFaultRule { Fault = AccessCodeFault.Nack, Count = 1 });
        Assert.Equal(HttpStatusCode.BadRequest, (await cloud.CommandAsync(TestCloud.EncodeId, TestCloud.AddCode("Family", 1616))).Status);
        Assert.Equal(1, Assert.Single(cloud.Admin.Faults()).Remaining);
    }
}
