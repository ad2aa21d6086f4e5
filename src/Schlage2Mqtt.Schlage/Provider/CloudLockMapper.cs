using System.Collections.Concurrent;
using System.Globalization;
using Schlage2Mqtt.Schlage.Api;
using Schlage2Mqtt.Cloud;

namespace Schlage2Mqtt.Schlage.Provider;

/// <summary>
/// Turns Schlage wire records into the provider-neutral ones. Missing stays null; nothing is guessed. Remembers the
/// last actor per lock (polled and pushed documents alike) so the cloud's own status checks do not erase it.
/// </summary>
internal sealed class CloudLockMapper(LockStateMapper lockStates)
{
    private readonly ConcurrentDictionary<string, (ChangedBy By, DateTimeOffset? At)> _lastActor = new(StringComparer.Ordinal);

    /// <summary>The <c>actionType</c>s of the cloud's own status checks: not an actor (reference section 5).</summary>
    public static bool IsStatusCheck(string? actionType) => actionType is "deepQuery" or "periodicDeepQuery";

    public CloudLock? ToLock(SchlageDevice device, DateTimeOffset fetchedAt)
    {
        if (string.IsNullOrEmpty(device.DeviceId))
        {
            return null;
        }
        var attributes = device.Attributes;
        var (state, raw) = lockStates.Map(attributes?.LockState, device.DeviceId);
        var battery = BatteryStateOf(attributes?.BatteryLowState);
        var (changedBy, statusCheck) = ActorOf(device);
        return new CloudLock
        {
            DeviceId = device.DeviceId,
            Name = device.Name,
            ModelName = device.ModelName,
            DeviceType = device.DevicetypeId,
            Family = SchlageModels.FamilyOf(device.DevicetypeId),
            Connected = device.Connected,
            State = state,
            RawState = raw,
            BatteryLevel = attributes?.BatteryLevel is { } level and >= 0 and <= 100 ? level : null,
            BatteryLow = battery switch
            {
                BatteryState.Low or BatteryState.Critical => true,
                BatteryState.Ok => false,
                _ => null,
            },
            BatteryState = battery,
            Door = attributes?.DoorState switch
            {
                0 => DoorState.Unknown,
                1 => DoorState.Open,
                2 => DoorState.Closed,
                3 => DoorState.Faulty,
                _ => null,
            },
            Beeper = attributes?.BeeperEnabled,
            LockAndLeave = attributes?.LockAndLeaveEnabled,
            AutoLockSeconds = attributes?.AutoLockTime,
            Capabilities = SchlageModels.CapabilitiesOf(device.DevicetypeId),
            KeypadDisabled = null,
            Firmware = attributes?.MainFirmwareVersion,
            WifiRssi = attributes?.WifiRssi,
            AccessCodeLength = attributes?.AccessCodeLength,
            MaxAccessCodes = attributes?.MaxUserCodes,
            VariableLengthCodes = attributes?.SupportedFeatures?.Vlac,
            ChangedBy = changedBy,
            ChangedByIsStatusCheck = statusCheck,
            LastUpdate = device.ConnectivityUpdated,
            UpdatedAt = device.LastUpdated,
            FetchedAt = fetchedAt,
        };
    }

    private (ChangedBy? By, bool StatusCheck) ActorOf(SchlageDevice device)
    {
        var id = device.DeviceId!;
        if (IsStatusCheck(device.Attributes?.LockStateMetadata?.ActionType))
        {
            return (_lastActor.TryGetValue(id, out var last) ? last.By : null, true);
        }
        var by = ChangedByOf(device);
        if (by is not null)
        {
            // An older document (a poll that raced a push) must not take the place of a newer actor.
            _lastActor.AddOrUpdate(id, (by, device.LastUpdated), (_, old) =>
                old.At is null || device.LastUpdated is null || device.LastUpdated >= old.At ? (by, device.LastUpdated) : old);
        }
        return (by, false);
    }

    // -1 is the lock saying it does not know: not low (it used to read as a true flag).
    private static BatteryState? BatteryStateOf(int? value) => value switch
    {
        null => null,
        0 => BatteryState.Ok,
        1 => BatteryState.Low,
        2 => BatteryState.Critical,
        _ => BatteryState.Unknown,
    };

    public static ChangedBy? ChangedByOf(SchlageDevice device)
    {
        if (device.Attributes?.LockStateMetadata is not { } metadata)
        {
            return null;
        }
        return metadata.ActionType switch
        {
            "thumbTurn" => new ChangedBy(ChangeMethod.Thumbturn, null),
            "1touchLocking" => new ChangedBy(ChangeMethod.OneTouch, null),
            "accesscode" => new ChangedBy(ChangeMethod.Keypad, metadata.Name),
            "virtualKey" => new ChangedBy(ChangeMethod.Mobile, device.Users?.FirstOrDefault(u => u.IdentityId is not null && u.IdentityId == metadata.Uuid)?.FriendlyName),
            "AppleHomeNFC" => new ChangedBy(ChangeMethod.AppleNfc, null),
            _ => new ChangedBy(ChangeMethod.Unknown, null),
        };
    }

    public static CloudLogEntry ToLogEntry(SchlageLogEntry entry)
    {
        var message = entry.Message;
        var time = message?.SecondsSinceEpoch is { } seconds and > 0
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : entry.Timestamp ?? entry.CreatedAt;
        return new CloudLogEntry(entry.LogId, message?.EventCode, time, NoneIfAllF(message?.AccessorUuid), NoneIfAllF(message?.KeypadUuid));
    }

    public static CloudAccessCode? ToAccessCode(SchlageAccessCode code, int? lockCodeLength)
    {
        if (string.IsNullOrEmpty(code.AccesscodeId))
        {
            return null;
        }
        return new CloudAccessCode
        {
            Id = code.AccesscodeId,
            Name = code.FriendlyName,
            Code = PadCode(code.AccessCode, code.AccessCodeLength ?? lockCodeLength),
            ActivationSecs = code.ActivationSecs,
            ExpirationSecs = code.ExpirationSecs,
            Disabled = code.Disabled,
            NotifyOnUse = code.Notification,
            Schedule1 = ToSchedule(code.Schedule1),
            Schedule2 = ToSchedule(code.Schedule2),
        };
    }

    /// <summary>The cloud stores a PIN as a number, so "0123" reads back as 123: pad to the code length.</summary>
    public static string? PadCode(string? code, int? length)
    {
        if (code is null || !code.All(char.IsAsciiDigit) || length is not ({ } n and > 0 and <= 12))
        {
            return code;
        }
        return code.Length < n ? code.PadLeft(n, '0') : code;
    }

    public static AccessCodeSchedule? ToWire(CloudSchedule? schedule) => schedule is null
        ? null
        : new AccessCodeSchedule
        {
            DaysOfWeek = schedule.DaysOfWeek,
            StartHour = schedule.StartHour,
            StartMinute = schedule.StartMinute,
            EndHour = schedule.EndHour,
            EndMinute = schedule.EndMinute,
        };

    private static CloudSchedule? ToSchedule(AccessCodeSchedule? schedule) => schedule is null
        ? null
        : new CloudSchedule(schedule.DaysOfWeek, schedule.StartHour, schedule.StartMinute, schedule.EndHour, schedule.EndMinute);

    private static string? NoneIfAllF(string? uuid) =>
        uuid is null || uuid.Length == 0 || uuid.All(c => c is 'f' or 'F' or '-') ? null : uuid;

    public static string Describe(IReadOnlyList<int> values) => string.Join(", ", values.Select(v => v.ToString(CultureInfo.InvariantCulture)));
}
