using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Schlage2Mqtt.Simulator;
using Schlage2Mqtt.Simulator.Faults;

namespace Schlage2Mqtt.Tests.EndToEnd;

[Collection(EndToEndGroup.Name)]
public sealed class AccessCodeEndToEndTests
{
    private static readonly WorldOptions Options = new()
    {
        ExtraYaml = "access_codes:\n  response_timeout: 90s\n  confirm_timeout: 20s",
    };

    private static long AddCalls(BridgeWorld world) =>
        world.Cloud.Calls.Records().Count(r => r.Operation == "PostCommand" && r.Detail?.Contains("addaccesscode", StringComparison.Ordinal) == true);

    [Fact]
    public async Task Always_Temporary_and_Recurring_codes_are_added_updated_and_deleted_and_the_lock_holds_exactly_them()
    {
        await using var world = await BridgeWorld.StartAsync(Options);
        await world.WaitForLocksAsync();
        var before = world.Cloud.Admin.Lock(DemoWorld.FrontDoorId).CodesOnDevice;

        var added = await CodeRequests.SendAsync(world, "add", new JsonObject { ["lock"] = "front_door", ["name"] = "Guest1", ["code"] = "4711" });
        Assert.Equal("ok", added["status"]!.GetValue<string>());
        Assert.Equal("set", CodeRequests.Status(added));
        Assert.Equal("****", added["data"]!["code"]!.GetValue<string>());
        var guestId = added["data"]!["id"]!.GetValue<string>();

        // Notify-on-use is its own notification object: toggling it does not rewrite the code on the lock.
        var commands = world.Cloud.Calls.Records().Count(r => r.Operation == "PostCommand");
        var notify = await CodeRequests.SendAsync(world, "update", new JsonObject { ["lock"] = "front_door", ["name"] = "Guest1", ["notify_on_use"] = true });
        Assert.Equal("ok", notify["status"]!.GetValue<string>());
        Assert.True(notify["data"]!["notify_on_use"]!.GetValue<bool>());
        Assert.Equal(commands, world.Cloud.Calls.Records().Count(r => r.Operation == "PostCommand"));
        Assert.Contains(world.Cloud.Calls.Records(), r => r.Operation is "PostNotification" or "PutNotification");

        var temporary = await CodeRequests.SendAsync(world, "add", new JsonObject
        {
            ["lock"] = "front_door", ["name"] = "Cleaner", ["code"] = "0426",
            ["schedule"] = new JsonObject { ["type"] = "Temporary", ["start"] = "2030-01-01T09:00:00+01:00", ["end"] = "2030-01-31T18:00:00+01:00" },
        });
        Assert.Equal("set", CodeRequests.Status(temporary));
        Assert.Equal("2030-01-01T09:00:00+01:00", temporary["data"]!["schedule"]!["start"]!.GetValue<string>());

        var recurring = await CodeRequests.SendAsync(world, "update", new JsonObject
        {
            ["lock"] = "front_door", ["name"] = "Guest1",
            ["schedule"] = new JsonObject { ["type"] = "Recurring", ["days"] = new JsonArray("Monday", "Friday"), ["start"] = "08:00", ["end"] = "12:30" },
        });
        Assert.Equal("set", CodeRequests.Status(recurring));
        Assert.Equal(guestId, recurring["data"]!["id"]!.GetValue<string>());
        Assert.Equal(["Monday", "Friday"], recurring["data"]!["schedule"]!["days"]!.AsArray().Select(d => d!.GetValue<string>()));

        var renamed = await CodeRequests.SendAsync(world, "update", new JsonObject { ["lock"] = "front_door", ["id"] = guestId, ["name"] = "Guest2", ["code"] = "4712" });
        Assert.Equal("set", CodeRequests.Status(renamed));

        var deleted = await CodeRequests.SendAsync(world, "delete", new JsonObject { ["lock"] = "front_door", ["name"] = "Cleaner" });
        Assert.Equal("removed", CodeRequests.Status(deleted));

        var info = world.Cloud.Admin.Lock(DemoWorld.FrontDoorId);
        Assert.Equal(before.Append(guestId).Order(), info.CodesOnDevice.Order());
        Assert.Equal(info.AccessCodeIds.Order(), info.CodesOnDevice.Order());
        var list = await CodeRequests.SendAsync(world, "list", new JsonObject { ["lock"] = "front_door" });
        var names = list["data"]!["codes"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()).Order().ToList();
        Assert.Equal(["Dogwalker", "Family", "Guest2"], names);
        Assert.All(CodeRequests.Codes(world, "front_door"), c => Assert.Equal("****", c!["code"]!.GetValue<string>()));
        var events = world.Observer.On("schlage2mqtt/front_door/activity").Select(m => JsonNode.Parse(m.Payload)!["event_type"]!.GetValue<string>()).ToList();
        Assert.Equal(["code_added", "code_added", "code_updated", "code_updated", "code_removed"], events);
        foreach (var pin in new[] { "4711", "4712", "0426" })
        {
            // A PIN as a whole token, not the same digits inside a latency like 7.4711ms, a GUID or a
            // timestamp like 20:54:33.0426357 (read_at once failed CI that way).
            var asWholeNumber = $@"(?<![0-9A-Za-z.:-]){pin}(?![0-9A-Za-z])";
            Assert.DoesNotMatch(asWholeNumber, world.Logs.ToString());
            Assert.DoesNotContain(world.Observer.Messages, m => m.Topic.EndsWith("/access_codes", StringComparison.Ordinal) && Regex.IsMatch(m.Payload, asWholeNumber));
        }
    }

    [Fact]
    public async Task An_add_answered_504_although_applied_ends_set_with_exactly_one_code()
    {
        await using var world = await BridgeWorld.StartAsync(Options);
        await world.WaitForLocksAsync();
        world.Cloud.Admin.AddFault(new AccessCodeFaultRule { Fault = AccessCodeFault.GatewayErrorButApplied, DeviceId = DemoWorld.BackDoorId, Command = "addaccesscode", Count = 1 });
        var before = world.Cloud.Admin.Lock(DemoWorld.BackDoorId).AccessCodeIds.Count;

        var response = await CodeRequests.SendAsync(world, "add", new JsonObject { ["lock"] = "back_door", ["name"] = "Plumber", ["code"] = "7777" });

        Assert.Equal("set", CodeRequests.Status(response));
        Assert.Equal(before + 1, world.Cloud.Admin.Lock(DemoWorld.BackDoorId).AccessCodeIds.Count);
        Assert.Equal(1, AddCalls(world));
    }

    [Theory]
    [InlineData(AccessCodeFault.Nack, "no_ack", "Wi-Fi")]
    [InlineData(AccessCodeFault.Timeout, "timeout", "Wi-Fi")]
    public async Task A_change_the_lock_never_takes_is_retried_a_bounded_number_of_times_then_fails_with_the_hint(AccessCodeFault fault, string code, string hint)
    {
        await using var world = await BridgeWorld.StartAsync(Options);
        await world.WaitForLocksAsync();
        world.Cloud.Admin.AddFault(new AccessCodeFaultRule { Fault = fault, DeviceId = DemoWorld.BackDoorId, Command = "addaccesscode" });
        var before = world.Cloud.Admin.Lock(DemoWorld.BackDoorId).AccessCodeIds.Count;

        var response = await CodeRequests.SendAsync(world, "add", new JsonObject { ["lock"] = "back_door", ["name"] = "Nanny", ["code"] = "3131" });

        Assert.Equal("error", response["status"]!.GetValue<string>());
        Assert.Equal(code, CodeRequests.ErrorCode(response));
        Assert.Contains(hint, response["error"]!["hint"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("failed", CodeRequests.Status(response));
        Assert.Equal(3, AddCalls(world));
        Assert.Equal(before, world.Cloud.Admin.Lock(DemoWorld.BackDoorId).AccessCodeIds.Count);
        var listed = CodeRequests.Codes(world, "back_door").Single(c => c!["name"]!.GetValue<string>() == "Nanny")!;
        Assert.Equal("failed", listed["status"]!.GetValue<string>());
        Assert.Equal(code, listed["error"]!["code"]!.GetValue<string>());
        await world.Observer.WaitOnAsync("schlage2mqtt/back_door/activity", p => p.Contains("code_failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Split_brain_fails_at_once_with_the_delete_all_hint_and_no_retry_storm()
    {
        await using var world = await BridgeWorld.StartAsync(Options);
        await world.WaitForLocksAsync();
        // The lock holds a code the cloud does not list: adding its PIN meets "already in use".
        world.Cloud.Admin.AddCodeOnDeviceOnly(DemoWorld.FrontDoorId, "Ghost", "9090");

        var response = await CodeRequests.SendAsync(world, "add", new JsonObject { ["lock"] = "front_door", ["name"] = "Visitor", ["code"] = "9090" });

        Assert.Equal("split_brain", CodeRequests.ErrorCode(response));
        Assert.Contains("Delete All", response["error"]!["hint"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(1, AddCalls(world));
    }

    [Fact]
    public async Task Each_validation_error_has_its_own_code_and_nothing_reaches_the_cloud()
    {
        await using var world = await BridgeWorld.StartAsync(Options);
        await world.WaitForLocksAsync();
        var cases = new (JsonObject Body, string Operation, string Code)[]
        {
            (new JsonObject { ["lock"] = "front_door", ["name"] = "Bad\nName", ["code"] = "1234" }, "add", "invalid_name"),
            (new JsonObject { ["lock"] = "front_door", ["name"] = new string('x', 33), ["code"] = "1234" }, "add", "invalid_name"),
            (new JsonObject { ["lock"] = "front_door", ["name"] = "family", ["code"] = "1234" }, "add", "duplicate_name"),
            (new JsonObject { ["lock"] = "front_door", ["name"] = "Kid", ["code"] = "12a4" }, "add", "invalid_code"),
            (new JsonObject { ["lock"] = "front_door", ["name"] = "Kid", ["code"] = "123" }, "add", "invalid_code"),
            (new JsonObject { ["lock"] = "front_door", ["name"] = "Kid", ["code"] = "123456" }, "add", "code_length_mismatch"),
            (new JsonObject { ["lock"] = "front_door", ["name"] = "Kid", ["code"] = "2580" }, "add", "duplicate_code"),
            (new JsonObject { ["lock"] = "front_door", ["name"] = "Kid", ["code"] = "1234", ["schedule"] = new JsonObject { ["type"] = "Weekly" } }, "add", "invalid_schedule"),
            (new JsonObject { ["lock"] = "front_door", ["name"] = "Kid", ["code"] = "1234", ["schedule"] = new JsonObject { ["type"] = "Temporary", ["start"] = "2030-01-01T09:00:00", ["end"] = "2030-01-02T09:00:00Z" } }, "add", "invalid_schedule"),
            (new JsonObject { ["lock"] = "front_door", ["name"] = "Kid", ["code"] = "1234", ["schedule"] = new JsonObject { ["type"] = "Recurring", ["days"] = new JsonArray(), ["start"] = "08:00", ["end"] = "09:00" } }, "add", "invalid_schedule"),
            (new JsonObject { ["lock"] = "front_door", ["name"] = "Nobody" }, "delete", "unknown_code"),
            (new JsonObject { ["lock"] = "front_door", ["name"] = "Kid" }, "add", "invalid_code"),
            (new JsonObject { ["lock"] = "nowhere", ["name"] = "Kid", ["code"] = "1234" }, "add", "unknown_lock"),
        };
        foreach (var (body, operation, code) in cases)
        {
            var response = await CodeRequests.SendAsync(world, operation, body);
            Assert.True(code == CodeRequests.ErrorCode(response), $"{body.ToJsonString()}: expected {code}, got {response.ToJsonString()}");
            Assert.False(string.IsNullOrEmpty(response["error"]!["hint"]?.GetValue<string>()));
        }
        Assert.DoesNotContain(world.Cloud.Calls.Records(), r => r.Operation == "PostCommand");
        Assert.DoesNotMatch(@"(?<![\d.])123456(?!\d)", world.Logs.ToString());
    }
}
