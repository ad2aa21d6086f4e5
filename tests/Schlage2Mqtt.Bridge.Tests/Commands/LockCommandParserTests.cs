using System.Text;
using Schlage2Mqtt.Bridge.Commands;

namespace Schlage2Mqtt.Bridge.Tests.Commands;

public sealed class LockCommandParserTests
{
    private static (LockCommand? Command, string? ErrorCode, string? Message) Set(string payload)
    {
        var (command, error) = LockCommandParser.ParseSet(Encoding.UTF8.GetBytes(payload));
        return (command, error?.Code, error?.Message);
    }

    [Theory]
    [InlineData("LOCK", LockAction.Lock)]
    [InlineData("unlock", LockAction.Unlock)]
    [InlineData("  Unlock\n", LockAction.Unlock)]
    [InlineData("\"LOCK\"", LockAction.Lock)]
    [InlineData("{\"state\":\"unlock\"}", LockAction.Unlock)]
    public void Plain_and_json_actions(string payload, LockAction expected)
    {
        var (command, code, _) = Set(payload);
        Assert.Null(code);
        Assert.Equal(expected, command!.Action);
        Assert.Null(command.Settings);
    }

    [Fact]
    public void Json_settings_and_action_together()
    {
        var (command, code, _) = Set("{\"state\":\"LOCK\",\"beeper\":false,\"lock_and_leave\":true,\"auto_lock_time\":30}");
        Assert.Null(code);
        Assert.Equal(new LockCommand(LockAction.Lock, new LockSettingsChange(false, true, 30)), command);
    }

    [Theory]
    [InlineData("OPEN", "invalid_request", "must be LOCK or UNLOCK")]
    [InlineData("", "invalid_request", "must be LOCK or UNLOCK")]
    [InlineData("{\"state\":1}", "invalid_request", "must be the string")]
    [InlineData("{\"state\":\"LOCKED\"}", "invalid_request", "must be LOCK or UNLOCK, not 'LOCKED'")]
    [InlineData("{\"beeper\":\"maybe\"}", "invalid_request", "must be true or false")]
    [InlineData("{\"auto_lock_time\":-5}", "invalid_request", "whole number of seconds")]
    [InlineData("{\"auto_lock_time\":1.5}", "invalid_request", "whole number of seconds")]
    [InlineData("{\"color\":\"red\"}", "invalid_request", "is not a command field")]
    [InlineData("{}", "invalid_request", "holds no command")]
    [InlineData("{\"state\":", "invalid_json", "not valid JSON")]
    [InlineData("[1,2]", "invalid_request", "must be LOCK or UNLOCK")]
    public void Bad_set_payloads_name_the_problem(string payload, string code, string fragment)
    {
        var (command, actual, message) = Set(payload);
        Assert.Null(command);
        Assert.Equal(code, actual);
        Assert.Contains(fragment, message, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_array_at_top_level_is_rejected()
    {
        Assert.NotNull(LockCommandParser.ParseSet("[\"LOCK\"]"u8).Error);
    }

    [Fact]
    public void Invalid_utf8_is_rejected()
    {
        var (command, error) = LockCommandParser.ParseSet([0xff, 0xfe, 0x4c]);
        Assert.Null(command);
        Assert.Contains("not UTF-8", error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Huge_payload_is_refused_without_parsing()
    {
        var (command, error) = LockCommandParser.ParseSet(new byte[LockCommandParser.MaxPayloadBytes + 1]);
        Assert.Null(command);
        Assert.Equal("payload_too_large", error!.Code);
    }

    [Theory]
    [InlineData("beeper", "ON", true)]
    [InlineData("beeper", "off", false)]
    [InlineData("lock_and_leave", "true", true)]
    [InlineData("lock_and_leave", "0", false)]
    public void Attribute_switches(string attribute, string value, bool expected)
    {
        var (command, error) = LockCommandParser.ParseAttribute(attribute, Encoding.UTF8.GetBytes(value));
        Assert.Null(error);
        Assert.Equal(expected, attribute == "beeper" ? command!.Settings!.Beeper : command!.Settings!.LockAndLeave);
    }

    [Fact]
    public void Attribute_auto_lock_time_and_state()
    {
        Assert.Equal(60, LockCommandParser.ParseAttribute("auto_lock_time", "60"u8).Command!.Settings!.AutoLockTime);
        Assert.Equal(LockAction.Unlock, LockCommandParser.ParseAttribute("state", "UNLOCK"u8).Command!.Action);
    }

    [Theory]
    [InlineData("beeper", "loud")]
    [InlineData("auto_lock_time", "soon")]
    [InlineData("auto_lock_time", "-1")]
    [InlineData("colour", "red")]
    public void Bad_attribute_values_are_refused(string attribute, string value)
    {
        var (command, error) = LockCommandParser.ParseAttribute(attribute, Encoding.UTF8.GetBytes(value));
        Assert.Null(command);
        Assert.Equal("invalid_request", error!.Code);
        Assert.NotNull(error.Hint);
    }

    [Fact]
    public void Random_bytes_never_throw()
    {
        var random = new Random(1234);
        for (var i = 0; i < 2000; i++)
        {
            var bytes = new byte[random.Next(0, 200)];
            random.NextBytes(bytes);
            var (command, error) = LockCommandParser.ParseSet(bytes);
            Assert.True(command is not null ^ error is not null);
            LockCommandParser.ParseAttribute(LockCommandParser.Attributes[i % 4], bytes);
        }
    }
}
