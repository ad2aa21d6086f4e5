using System.Text.Json;
using Schlage2Mqtt.Schlage.Api;
using Schlage2Mqtt.Cloud;
using Schlage2Mqtt.Schlage.Provider;
using Schlage2Mqtt.Schlage.Tests.Support;

namespace Schlage2Mqtt.Schlage.Tests.Api;

/// <summary>Reading device documents: tolerant of odd, missing and unknown fields.</summary>
public class DeviceDocumentTests
{
    private static SchlageDevice Parse(string json) => JsonSerializer.Deserialize(json, SchlageJsonContext.Default.SchlageDevice)!;

    [Fact]
    public void Numbers_as_strings_flags_as_booleans_and_unknown_fields_are_accepted()
    {
        var device = Parse("""
            {"deviceId":"d1","devicetypeId":"be489wifi","connected":"true","CAT":12345,"brandNew":{"a":1},
             "attributes":{"lockState":"1","batteryLevel":"64","beeperEnabled":true,"lockAndLeaveEnabled":"0",
               "autoLockTime":60.0,"mainFirmwareVersion":10.5,"wifiRssi":"-60","doorState":1,
               "supportedFeatures":{"vlac":"1"},"mystery":[1,2]}}
            """);

        Assert.True(device.Connected);
        Assert.Equal("12345", device.Cat);
        Assert.True(device.Extra!.ContainsKey("brandNew"));
        var a = device.Attributes!;
        Assert.Equal(64, a.BatteryLevel);
        Assert.True(a.BeeperEnabled);
        Assert.False(a.LockAndLeaveEnabled);
        Assert.Equal(60, a.AutoLockTime);
        Assert.Equal("10.5", a.MainFirmwareVersion);
        Assert.Equal(-60, a.WifiRssi);
        Assert.True(a.SupportedFeatures!.Vlac);
        Assert.True(a.Extra!.ContainsKey("mystery"));
    }

    [Fact]
    public void Unreadable_values_become_null_instead_of_failing_the_document()
    {
        var device = Parse("""
            {"deviceId":"d1","connected":"maybe","connectivityUpdated":"yesterday",
             "attributes":{"batteryLevel":{"weird":true},"beeperEnabled":"perhaps","autoLockTime":"soon","doorState":null,"wifiRssi":[1]}}
            """);

        Assert.Null(device.Connected);
        Assert.Null(device.ConnectivityUpdated);
        Assert.Null(device.Attributes!.BatteryLevel);
        Assert.Null(device.Attributes.BeeperEnabled);
        Assert.Null(device.Attributes.AutoLockTime);
        Assert.Null(device.Attributes.DoorState);
        Assert.Null(device.Attributes.WifiRssi);
    }

    [Fact]
    public void A_document_without_attributes_maps_to_unknowns()
    {
        var mapper = new CloudLockMapper(new LockStateMapper(new CapturingLoggerProvider().CreateLogger("t")));

        var mapped = mapper.ToLock(Parse("""{"deviceId":"d1"}"""), DateTimeOffset.UnixEpoch)!;

        Assert.Equal(LockState.Unknown, mapped.State);
        Assert.Null(mapped.Connected);
        Assert.Null(mapped.BatteryLevel);
        Assert.Null(mapped.Door);
        Assert.Null(mapped.AllowedAutoLockSeconds);
        Assert.Equal(LockFamily.Bridge, mapped.Family);
        Assert.Equal(SchlageModels.CapabilitiesOf(null), mapped.Capabilities);
        Assert.Null(mapper.ToLock(Parse("""{"name":"no id"}"""), DateTimeOffset.UnixEpoch));
    }

    [Theory]
    [InlineData("-1", LockState.Unknown)]
    [InlineData("0", LockState.Unlocked)]
    [InlineData("1", LockState.Locked)]
    [InlineData("2", LockState.Jammed)]
    [InlineData("3", LockState.Unknown)]
    [InlineData("4", LockState.Jammed)]
    [InlineData("5", LockState.Unlocked)]
    [InlineData("6", LockState.Locked)]
    [InlineData("\"locked\"", LockState.Locked)]
    [InlineData("\"UNLOCKED\"", LockState.Unlocked)]
    [InlineData("\"6\"", LockState.Locked)]
    [InlineData("7", LockState.Unknown)]
    [InlineData("\"ajar\"", LockState.Unknown)]
    [InlineData("null", LockState.Unknown)]
    public void LockState_maps_to_the_closed_enum(string raw, LockState expected)
    {
        var mapper = new LockStateMapper(new CapturingLoggerProvider().CreateLogger("t"));

        Assert.Equal(expected, mapper.Map(JsonDocument.Parse(raw).RootElement.Clone(), "d1").State);
    }

    [Fact]
    public void An_unknown_lockState_is_logged_once_per_value()
    {
        var logs = new CapturingLoggerProvider();
        var mapper = new LockStateMapper(logs.CreateLogger("t"));

        for (var i = 0; i < 5; i++)
        {
            mapper.Map(JsonDocument.Parse("9").RootElement.Clone(), "d1");
            mapper.Map(JsonDocument.Parse("\"ajar\"").RootElement.Clone(), "d1");
            mapper.Map(JsonDocument.Parse("1").RootElement.Clone(), "d1");
        }

        Assert.Equal(2, logs.Lines.Count);
        Assert.Contains(logs.Lines, l => l.Text.Contains("lockState 9", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, l => l.Text.Contains("lockState ajar", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("thumbTurn", null, ChangeMethod.Thumbturn, null, "thumbturn")]
    [InlineData("1touchLocking", null, ChangeMethod.OneTouch, null, "1-touch")]
    [InlineData("accesscode", "Alice", ChangeMethod.Keypad, "Alice", "keypad: Alice")]
    [InlineData("virtualKey", null, ChangeMethod.Mobile, "Bob", "mobile: Bob")]
    [InlineData("AppleHomeNFC", null, ChangeMethod.AppleNfc, null, "apple nfc")]
    [InlineData("somethingElse", null, ChangeMethod.Unknown, null, "unknown")]
    public void Changed_by_follows_the_reference_mapping(string actionType, string? name, ChangeMethod method, string? who, string text)
    {
        var nameJson = name is null ? "null" : $"\"{name}\"";
        var device = Parse(
            """{"deviceId":"d1","users":[{"identityId":"u-bob","friendlyName":"Bob"}],"attributes":{"lockStateMetadata":{"actionType":"""
            + $"\"{actionType}\",\"UUID\":\"u-bob\",\"name\":{nameJson}" + "}}}");

        var changedBy = CloudLockMapper.ChangedByOf(device)!;

        Assert.Equal(new ChangedBy(method, who), changedBy);
        Assert.Equal(text, changedBy.Describe());
    }

    [Theory]
    [InlineData("123", 4, "0123")]
    [InlineData("123456", 4, "123456")]
    [InlineData("7", null, "7")]
    [InlineData("****", 4, "****")]
    public void PINs_read_back_as_numbers_are_padded_to_the_code_length(string raw, int? length, string expected)
    {
        Assert.Equal(expected, CloudLockMapper.PadCode(raw, length));
    }

    [Theory]
    [InlineData("be459wifi", LockFamily.WiFi)]
    [InlineData("be489WIFI", LockFamily.WiFi)]
    [InlineData("be499wifi", LockFamily.WiFi)]
    [InlineData("fe789wifi", LockFamily.WiFi)]
    [InlineData("be889wifi", LockFamily.WiFi)]
    [InlineData("be479", LockFamily.Bridge)]
    [InlineData(null, LockFamily.Bridge)]
    public void Family_follows_the_device_type(string? type, LockFamily family)
    {
        Assert.Equal(family, SchlageModels.FamilyOf(type));
    }

    [Theory]
    [InlineData("be889wifi", new[] { 0, 30, 60, 120, 300, 600, 900, 1800 })]
    [InlineData("be479", new[] { 0, 15, 30, 60, 120, 240 })]
    [InlineData("be499wifi", new[] { 0, 15, 30, 60, 120, 240, 300 })]
    [InlineData("fe789wifi", new[] { 0, 5, 15, 30, 60, 120, 240, 360, 600 })]
    [InlineData("be489wifi", new[] { 0, 15, 30, 60, 120, 240, 360, 600 })]
    [InlineData("BE459WIFI", new[] { 0, 15, 30, 60, 120, 240, 360, 600 })]
    public void Allowed_auto_lock_values_follow_the_device_type(string type, int[] expected)
    {
        Assert.Equal(expected, SchlageModels.AllowedAutoLockSeconds(type));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("xx123")]
    public void An_unknown_device_type_has_no_auto_lock_list(string? type) => Assert.Null(SchlageModels.AllowedAutoLockSeconds(type));

    [Theory]
    [InlineData("be889wifi")]
    [InlineData("be479")]
    [InlineData("be499wifi")]
    [InlineData("fe789wifi")]
    [InlineData("be489wifi")]
    [InlineData(null)]
    public void Every_schlage_lock_has_the_full_set_with_its_models_auto_lock_list(string? type)
    {
        var capabilities = SchlageModels.CapabilitiesOf(type);
        Assert.Equal(LockFeatures.All, capabilities.Features);
        Assert.Equal(SchlageModels.AllowedAutoLockSeconds(type), capabilities.AutoLock!.AllowedSeconds);
        Assert.Equal(AccessCodeNameRule.FreeText, capabilities.AccessCodes!.Names);
        Assert.Equal((4, 8), (capabilities.AccessCodes.MinPinLength, capabilities.AccessCodes.MaxPinLength));
    }

    [Fact]
    public void Capabilities_of_one_model_are_equal_across_documents()
    {
        // Value equality (not the list's reference) keeps a re-read lock from looking changed.
        Assert.Equal(SchlageModels.CapabilitiesOf("be499wifi"), SchlageModels.CapabilitiesOf("be499wifi") with { AutoLock = new AutoLockCapability([0, 15, 30, 60, 120, 240, 300]) });
        Assert.NotEqual(SchlageModels.CapabilitiesOf("be499wifi"), SchlageModels.CapabilitiesOf("be479"));
    }

    [Fact]
    public void Log_entries_fall_back_to_the_cloud_timestamp()
    {
        var entry = new SchlageLogEntry { LogId = "l", CreatedAt = DateTimeOffset.UnixEpoch, Message = new SchlageLogMessage { EventCode = 21, AccessorUuid = "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF" } };

        var mapped = CloudLockMapper.ToLogEntry(entry);

        Assert.Equal(new CloudLogEntry("l", 21, DateTimeOffset.UnixEpoch, null, null), mapped);
    }

    [Fact]
    public void A_log_message_with_a_numeric_action_reads_and_a_non_object_message_does_not_fail_the_log()
    {
        var entries = JsonSerializer.Deserialize("""
            [{"logId":"a","message":{"eventCode":2,"action":1,"accessorUuid":"ffffffff-ffff-ffff-ffff-ffffffffffff","keypadUuid":"k1","secondsSinceEpoch":1700000000}},
             {"logId":"b","createdAt":"2026-01-01T00:00:00Z","message":"RESET_LOGS"}]
            """, SchlageJsonContext.Default.ListSchlageLogEntry)!;

        Assert.Equal("1", entries[0].Message!.Action);
        Assert.Equal(new CloudLogEntry("a", 2, DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), null, "k1"), CloudLockMapper.ToLogEntry(entries[0]));
        Assert.Null(entries[1].Message);
        Assert.Equal(new CloudLogEntry("b", null, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), null, null), CloudLockMapper.ToLogEntry(entries[1]));
    }
}
