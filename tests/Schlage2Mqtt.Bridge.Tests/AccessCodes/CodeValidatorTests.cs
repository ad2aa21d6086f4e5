using Schlage2Mqtt.Bridge.AccessCodes;
using Schlage2Mqtt.Cloud;

namespace Schlage2Mqtt.Bridge.Tests.AccessCodes;

public sealed class CodeValidatorTests
{
    private static readonly CloudLock Lock = new() { DeviceId = "d", AccessCodeLength = 4, MaxAccessCodes = 3, VariableLengthCodes = false };
    private static readonly IReadOnlyList<CodeValidator.Existing> TwoCodes = [new("1", "Family", "2580"), new("2", "Guest", "1357")];

    private static string? Code(CodeChanges changes, CloudLock? lockInfo = null, IReadOnlyList<CodeValidator.Existing>? existing = null, bool add = true, string? self = null) =>
        CodeValidator.Validate(changes, add, lockInfo ?? Lock, existing ?? TwoCodes, self)?.Code;

    [Theory]
    [InlineData("", "invalid_name")]
    [InlineData("   ", "invalid_name")]
    [InlineData("A name of thirty-three characters", "invalid_name")]
    [InlineData("Tab\there", "invalid_name")]
    [InlineData("Line\nbreak", "invalid_name")]
    [InlineData("family", "duplicate_name")]
    [InlineData("FAMILY", "duplicate_name")]
    public void Names(string name, string code) => Assert.Equal(code, Code(new CodeChanges(name, "4444", null, null, null)));

    [Theory]
    [InlineData("07/19 Rob Test HA-123457")]
    [InlineData("1: Test")]
    [InlineData("Thirteenchars")]
    [InlineData("Émile")]
    [InlineData("A name of thirty-two characters.")]
    public void Consumer_cloud_names_are_free_text_up_to_32_characters(string name) =>
        Assert.Null(Code(new CodeChanges(name, "4444", null, null, null)));

    [Theory]
    [InlineData("With space")]
    [InlineData("Thirteenchars")]
    [InlineData("07/19")]
    public void A_lock_with_the_partner_rule_takes_only_1_to_12_letters_or_digits(string name)
    {
        var partnerLock = Lock with { Capabilities = Lock.Capabilities with { AccessCodes = new AccessCodeCapability(AccessCodeNameRule.Alphanumeric12) } };
        var error = CodeValidator.Validate(new CodeChanges(name, "4444", null, null, null), true, partnerLock, TwoCodes, null)!;
        Assert.Equal("invalid_name", error.Code);
        Assert.Contains("1-12 letters or digits", error.Hint, StringComparison.Ordinal);
        Assert.Null(Code(new CodeChanges("Guest1", "4444", null, null, null), partnerLock));
    }

    [Fact]
    public void An_invalid_name_error_says_the_rule_and_shows_control_characters_escaped()
    {
        var error = CodeValidator.Validate(new CodeChanges("Line\nbreak", "4444", null, null, null), true, Lock, TwoCodes, null)!;
        Assert.Contains("Line\\u000abreak", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", error.Message, StringComparison.Ordinal);
        Assert.Contains("1-32 characters", error.Hint, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("12a4", "invalid_code")]
    [InlineData("123", "invalid_code")]
    [InlineData("123456789", "invalid_code")]
    [InlineData("12345", "code_length_mismatch")]
    [InlineData("2580", "duplicate_code")]
    public void Pins(string pin, string code) => Assert.Equal(code, Code(new CodeChanges("Kid", pin, null, null, null)));

    [Fact]
    public void Variable_length_locks_take_any_length_from_4_to_8()
    {
        Assert.Null(Code(new CodeChanges("Kid", "123456", null, null, null), Lock with { VariableLengthCodes = true }));
    }

    [Fact]
    public void A_full_lock_refuses_an_add()
    {
        IReadOnlyList<CodeValidator.Existing> full = [.. TwoCodes, new("3", "Third", "9999")];
        Assert.Equal("capacity_reached", Code(new CodeChanges("Kid", "4444", null, null, null), existing: full));
    }

    [Fact]
    public void An_update_may_keep_its_own_name_and_pin()
    {
        Assert.Null(Code(new CodeChanges("Family", "2580", null, null, null), add: false, self: "1"));
        Assert.Null(Code(new CodeChanges(null, null, new CodeSchedule.Always(), null, null), add: false, self: "1"));
    }

    [Fact]
    public void A_custom_schedule_cannot_be_set()
    {
        Assert.Equal("invalid_schedule", Code(new CodeChanges("Kid", "4444", new CodeSchedule.Custom(1, 2, "3E", null, null), null, null)));
    }

    [Fact]
    public void The_pin_is_never_in_an_error_message()
    {
        var error = CodeValidator.Validate(new CodeChanges("Kid", "98765", null, null, null), true, Lock, TwoCodes, null)!;
        Assert.DoesNotContain("98765", error.Message + error.Hint, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(CloudFailureKind.Rejected, "Access code or code name is already in use", "split_brain")]
    [InlineData(CloudFailureKind.Rejected, "Access code ID not found on device", "split_brain")]
    [InlineData(CloudFailureKind.Rejected, "Schedule parameters are not valid", "invalid_schedule")]
    [InlineData(CloudFailureKind.Rejected, "User not found in the device", "user_not_found")]
    [InlineData(CloudFailureKind.Rejected, "Something else", "cloud_error")]
    [InlineData(CloudFailureKind.LockOffline, "Device is offline", "lock_offline")]
    [InlineData(CloudFailureKind.NotFound, "Access code not found", "unknown_code")]
    [InlineData(CloudFailureKind.OutcomeUnknown, "Nack: lock did not acknowledge", null)]
    [InlineData(CloudFailureKind.Throttled, "slow down", null)]
    public void Cloud_refusals_map_to_the_taxonomy(CloudFailureKind kind, string message, string? code) =>
        Assert.Equal(code, AccessCodeErrorCodes.Classify(new CloudFailure(kind, message, 400, message)));

    [Theory]
    [InlineData("Nack: lock did not acknowledge", 502, "no_ack")]
    [InlineData("Endpoint request timed out", 504, "timeout")]
    [InlineData("Internal server error", 500, "cloud_error")]
    public void Unconfirmed_writes_are_named_by_what_the_cloud_said(string message, int status, string code) =>
        Assert.Equal(code, AccessCodeErrorCodes.Unconfirmed(new CloudFailure(CloudFailureKind.OutcomeUnknown, message, status, message)));
}
