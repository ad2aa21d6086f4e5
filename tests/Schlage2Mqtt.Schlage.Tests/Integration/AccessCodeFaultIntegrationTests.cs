using Schlage2Mqtt.Cloud;
using Schlage2Mqtt.Simulator;
using Schlage2Mqtt.Simulator.Faults;

namespace Schlage2Mqtt.Schlage.Tests.Integration;

/// <summary>The field failures of access codes (reference section 4, seed 001) as the client reports them.</summary>
public class AccessCodeFaultIntegrationTests(SimulatorFixture fixture) : IntegrationTest(fixture)
{
    private static readonly NewAccessCode Guest = new() { Name = "Guest", Code = "5678" };

    private void Inject(AccessCodeFault fault, string command = "addaccesscode", int statusCode = 504, bool cloudKeepsChange = false) =>
        Fixture.Admin.AddFault(new AccessCodeFaultRule
        {
            Fault = fault,
            DeviceId = SimulatorFixture.EncodeId,
            Command = command,
            Count = 1,
            StatusCode = statusCode,
            CloudKeepsChange = cloudKeepsChange,
        });

    private static async Task<IReadOnlyList<CloudAccessCode>> CodesAsync(Schlage2Mqtt.Schlage.Provider.SchlageLockAccount account) =>
        (await account.ListAccessCodesAsync(SimulatorFixture.EncodeId, default)).Value!;

    [Fact]
    public async Task A_Nack_is_outcome_unknown_with_the_clouds_message_and_the_code_never_reaches_the_lock()
    {
        var account = await Client.ReadyAccountAsync();
        Inject(AccessCodeFault.Nack);

        var result = await account.AddAccessCodeAsync(SimulatorFixture.EncodeId, Guest, default);

        Assert.Equal(CloudFailureKind.OutcomeUnknown, result.Failure!.Kind);
        Assert.Equal(502, result.Failure.HttpStatus);
        Assert.StartsWith("Nack", result.Failure.CloudMessage, StringComparison.Ordinal);
        Assert.Equal(1, Client.Calls.Count(ApiEndpoint.PostCommand));
        Assert.DoesNotContain(await CodesAsync(account), c => c.Name == "Guest");
        Assert.Equal(KeypadResult.Rejected, Fixture.Admin.EnterKeypadCode(SimulatorFixture.EncodeId, "5678"));
    }

    [Fact]
    public async Task A_Nack_the_cloud_keeps_leaves_a_listed_code_the_keypad_does_not_know()
    {
        var account = await Client.ReadyAccountAsync();
        Inject(AccessCodeFault.Nack, cloudKeepsChange: true);

        var result = await account.AddAccessCodeAsync(SimulatorFixture.EncodeId, Guest, default);

        Assert.True(result.IsOutcomeUnknown);
        var listed = (await CodesAsync(account)).Single(c => c.Name == "Guest");
        Assert.DoesNotContain(listed.Id, Fixture.Admin.Lock(SimulatorFixture.EncodeId).CodesOnDevice);
        Assert.Equal(KeypadResult.Rejected, Fixture.Admin.EnterKeypadCode(SimulatorFixture.EncodeId, "5678"));
    }

    [Fact]
    public async Task A_timeout_is_outcome_unknown_and_not_resent()
    {
        var account = await Client.ReadyAccountAsync();
        Inject(AccessCodeFault.Timeout);

        var result = await account.AddAccessCodeAsync(SimulatorFixture.EncodeId, Guest, default);

        Assert.True(result.IsOutcomeUnknown);
        Assert.Equal(504, result.Failure!.HttpStatus);
        Assert.Equal("Endpoint request timed out", result.Failure.CloudMessage);
        Assert.Equal(1, Client.Calls.Count(ApiEndpoint.PostCommand));
    }

    [Theory]
    [InlineData(AccessCodeFault.AlreadyInUse, "Access code or code name is already in use")]
    [InlineData(AccessCodeFault.NotFoundOnDevice, "Access code ID not found on device")]
    [InlineData(AccessCodeFault.ScheduleInvalid, "Schedule parameters are not valid")]
    [InlineData(AccessCodeFault.UserNotFound, "User not found in the device")]
    public async Task A_lock_refusal_is_rejected_with_the_clouds_message_and_changes_nothing(AccessCodeFault fault, string message)
    {
        var account = await Client.ReadyAccountAsync();
        Inject(fault);

        var result = await account.AddAccessCodeAsync(SimulatorFixture.EncodeId, Guest, default);

        Assert.Equal(CloudFailureKind.Rejected, result.Failure!.Kind);
        Assert.Equal(400, result.Failure.HttpStatus);
        Assert.Equal(message, result.Failure.CloudMessage);
        Assert.Single(await CodesAsync(account));
    }

    [Fact]
    public async Task Split_brain_a_code_only_on_the_lock_makes_the_add_already_in_use()
    {
        var account = await Client.ReadyAccountAsync();
        Fixture.Admin.AddCodeOnDeviceOnly(SimulatorFixture.EncodeId, "Phantom", "5678");

        var result = await account.AddAccessCodeAsync(SimulatorFixture.EncodeId, Guest, default);

        Assert.Equal(CloudFailureKind.Rejected, result.Failure!.Kind);
        Assert.Equal("Access code or code name is already in use", result.Failure.CloudMessage);
        Assert.DoesNotContain(await CodesAsync(account), c => c.Name is "Guest" or "Phantom");
    }

    [Fact]
    public async Task Split_brain_a_code_the_lock_lost_makes_update_and_delete_not_found_on_device()
    {
        var account = await Client.ReadyAccountAsync();
        var family = (await CodesAsync(account)).Single();
        Assert.True(Fixture.Admin.ForgetCodeOnDevice(SimulatorFixture.EncodeId, family.Id));

        var update = await account.UpdateAccessCodeAsync(SimulatorFixture.EncodeId, family.Id, new NewAccessCode { Name = "Family", Code = "4321" }, default);
        var delete = await account.DeleteAccessCodeAsync(SimulatorFixture.EncodeId, family.Id, default);

        Assert.Equal(CloudFailureKind.Rejected, update.Failure!.Kind);
        Assert.Equal("Access code ID not found on device", update.Failure.CloudMessage);
        Assert.Equal(CloudFailureKind.Rejected, delete.Failure!.Kind);
        Assert.Equal("Access code ID not found on device", delete.Failure.CloudMessage);
        Assert.Equal(SimulatorFixture.FamilyPin, (await CodesAsync(account)).Single().Code);
    }

    [Fact]
    public async Task A_server_error_on_update_is_outcome_unknown_and_changes_nothing()
    {
        var account = await Client.ReadyAccountAsync();
        var family = (await CodesAsync(account)).Single();
        Inject(AccessCodeFault.ServerError, command: "updateaccesscode");

        var result = await account.UpdateAccessCodeAsync(SimulatorFixture.EncodeId, family.Id, new NewAccessCode { Name = "Renamed", Code = "4321" }, default);

        Assert.True(result.IsOutcomeUnknown);
        Assert.Equal(500, result.Failure!.HttpStatus);
        Assert.Equal("Family", (await CodesAsync(account)).Single().Name);
        Assert.Equal(1, Client.Calls.Count(ApiEndpoint.PostCommand));
    }

    [Theory]
    [InlineData(502)]
    [InlineData(504)]
    public async Task A_gateway_error_on_add_while_the_code_is_created_is_outcome_unknown_and_a_read_finds_it(int status)
    {
        var account = await Client.ReadyAccountAsync();
        Inject(AccessCodeFault.GatewayErrorButApplied, statusCode: status);

        var result = await account.AddAccessCodeAsync(SimulatorFixture.EncodeId, Guest, default);

        Assert.True(result.IsOutcomeUnknown);
        Assert.Equal(status, result.Failure!.HttpStatus);
        var created = (await CodesAsync(account)).Single(c => c.Name == "Guest");
        Assert.Equal("5678", created.Code);
        Assert.Contains(created.Id, Fixture.Admin.Lock(SimulatorFixture.EncodeId).CodesOnDevice);
        Assert.Equal(1, Client.Calls.Count(ApiEndpoint.PostCommand));
    }

    [Fact]
    public async Task A_gateway_error_on_delete_while_the_code_is_deleted_is_outcome_unknown_and_a_read_shows_it_gone()
    {
        var account = await Client.ReadyAccountAsync();
        var family = (await CodesAsync(account)).Single();
        Inject(AccessCodeFault.GatewayErrorButApplied, command: "deleteaccesscode");

        var result = await account.DeleteAccessCodeAsync(SimulatorFixture.EncodeId, family.Id, default);

        Assert.True(result.IsOutcomeUnknown);
        Assert.Empty(await CodesAsync(account));
    }

    [Fact]
    public async Task A_rule_for_one_command_leaves_the_others_alone()
    {
        var account = await Client.ReadyAccountAsync();
        Inject(AccessCodeFault.Nack, command: "deleteaccesscode");

        var added = await account.AddAccessCodeAsync(SimulatorFixture.EncodeId, Guest, default);
        var deleted = await account.DeleteAccessCodeAsync(SimulatorFixture.EncodeId, added.Value!, default);

        Assert.True(added.IsSuccess, added.Failure?.ToString());
        Assert.True(deleted.IsOutcomeUnknown);
        Assert.Contains(await CodesAsync(account), c => c.Id == added.Value);
    }
}
