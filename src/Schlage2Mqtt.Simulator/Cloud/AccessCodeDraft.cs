using System.Globalization;
using System.Text.Json;

namespace Schlage2Mqtt.Simulator.Cloud;

/// <summary>The fields an add/update command carried; absent fields are null (and take the defaults of a new code).</summary>
internal sealed record AccessCodeDraft(
    string? AccesscodeId,
    string? FriendlyName,
    long? Code,
    int? CodeLength,
    long? ActivationSecs,
    long? ExpirationSecs,
    bool? Disabled,
    bool? Notification,
    WeeklySchedule? Schedule1,
    WeeklySchedule? Schedule2)
{
    public const string ScheduleInvalid = "Schedule parameters are not valid";

    /// <summary>Reads a command's <c>data</c>; wrong JSON types are a 400 naming the field.</summary>
    public static AccessCodeDraft Parse(JsonElement data)
    {
        if (data.ValueKind != JsonValueKind.Object)
        {
            throw CloudException.BadRequest("data must be an object");
        }
        return new AccessCodeDraft(
            OptionalString(data, "accesscodeId"),
            OptionalString(data, "friendlyName"),
            OptionalLong(data, "accessCode", "accessCode must be a number (the PIN as an integer)"),
            (int?)OptionalLong(data, "accessCodeLength", "accessCodeLength must be a number"),
            OptionalLong(data, "activationSecs", "activationSecs must be a number of epoch seconds"),
            OptionalLong(data, "expirationSecs", "expirationSecs must be a number of epoch seconds"),
            OptionalFlag(data, "disabled"),
            OptionalIntegerFlag(data, "notificationEnabled") ?? OptionalFlag(data, "notification"),
            OptionalSchedule(data, "schedule1"),
            OptionalSchedule(data, "schedule2"));
    }

    private static string? OptionalString(JsonElement data, string name)
    {
        if (!data.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw CloudException.BadRequest($"{name} must be a string");
    }

    private static long? OptionalLong(JsonElement data, string name, string error)
    {
        if (!data.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number)
            ? number
            : throw CloudException.BadRequest(error);
    }

    private static bool? OptionalFlag(JsonElement data, string name)
    {
        if (!data.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number when value.TryGetInt32(out var n) && n is 0 or 1 => n == 1,
            _ => throw CloudException.BadRequest($"{name} must be 0 or 1"),
        };
    }

    // The app and pyschlage send notificationEnabled as 0/1; the cloud refuses a JSON bool there.
    private static bool? OptionalIntegerFlag(JsonElement data, string name)
    {
        if (!data.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) && n is 0 or 1
            ? n == 1
            : throw CloudException.BadRequest($"{name} must be 0 or 1");
    }

    private static WeeklySchedule? OptionalSchedule(JsonElement data, string name)
    {
        if (!data.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Object
            || !value.TryGetProperty("daysOfWeek", out var days) || days.ValueKind != JsonValueKind.String)
        {
            throw CloudException.BadRequest(ScheduleInvalid);
        }
        return new WeeklySchedule(days.GetString()!, Int(value, "startHour"), Int(value, "startMinute"), Int(value, "endHour"), Int(value, "endMinute"));
    }

    private static int Int(JsonElement schedule, string name) =>
        schedule.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n)
            ? n
            : throw CloudException.BadRequest(ScheduleInvalid);
}

/// <summary>The cloud-side rules for access codes (reference section 4).</summary>
internal static class AccessCodeRules
{
    public const int MinLength = 4;
    public const int MaxLength = 8;

    /// <summary>
    /// Builds the record an add or update would store, or throws the 400 the cloud answers. Both commands carry
    /// the whole code object (reference section 4), so an update replaces the code: a field it leaves out takes
    /// the same default as on add (no second window, always valid, enabled), it does not keep the old value.
    /// </summary>
    public static AccessCodeRecord Build(string id, AccessCodeDraft draft, int lockCodeLength, bool vlac, bool lockHasNoOtherCodes)
    {
        var name = draft.FriendlyName ?? throw CloudException.BadRequest("friendlyName is required");
        // Consumer-cloud names are free text: real ones carry spaces, '/', ':' and more than 12 characters
        // ("07/19 Rob Test HA-123457"). Seed 002's 1-12 alphanumerics are the partner API's rule.
        if (string.IsNullOrWhiteSpace(name))
        {
            throw CloudException.BadRequest("friendlyName must not be empty");
        }
        var code = draft.Code ?? throw CloudException.BadRequest("accessCode is required");
        var length = draft.CodeLength ?? lockCodeLength;
        if (length is < MinLength or > MaxLength)
        {
            throw CloudException.BadRequest($"accessCodeLength must be {MinLength}-{MaxLength} digits");
        }
        if (code < 0 || code.ToString(CultureInfo.InvariantCulture).Length > length)
        {
            throw CloudException.BadRequest($"accessCode must be a number of at most {length} digits");
        }
        // The length is the lock's unless it takes variable lengths or is empty (deleting all codes is how the length changes).
        if (!vlac && length != lockCodeLength && !lockHasNoOtherCodes)
        {
            throw CloudException.BadRequest($"Access code length must be {lockCodeLength} digits on this lock");
        }
        var activation = draft.ActivationSecs ?? 0;
        var expiration = draft.ExpirationSecs ?? uint.MaxValue;
        var schedule1 = draft.Schedule1 ?? WeeklySchedule.Always;
        var schedule2 = draft.Schedule2;
        if (!ValidWindow(activation, expiration) || !ValidSchedule(schedule1) || (schedule2 is not null && !ValidSchedule(schedule2)))
        {
            throw CloudException.BadRequest(AccessCodeDraft.ScheduleInvalid);
        }
        return new AccessCodeRecord(id, name, code, length, activation, expiration,
            draft.Disabled ?? false,
            draft.Notification ?? false,
            schedule1, schedule2);
    }

    /// <summary>Duplicate names (case-insensitive) and PINs are refused per lock.</summary>
    public static void CheckUnique(AccessCodeRecord candidate, IEnumerable<AccessCodeRecord> others)
    {
        foreach (var other in others)
        {
            if (other.AccesscodeId == candidate.AccesscodeId)
            {
                continue;
            }
            if (string.Equals(other.FriendlyName, candidate.FriendlyName, StringComparison.OrdinalIgnoreCase))
            {
                throw CloudException.BadRequest("An access code with this name already exists");
            }
            if (other.Pin == candidate.Pin)
            {
                throw CloudException.BadRequest("This access code already exists");
            }
        }
    }

    public static bool ValidWindow(long activation, long expiration) =>
        activation is >= 0 and <= uint.MaxValue && expiration is >= 0 and <= uint.MaxValue && activation < expiration;

    public static bool ValidSchedule(WeeklySchedule s)
    {
        if (s.DaysOfWeek.Length is < 1 or > 2 || !s.DaysOfWeek.All(char.IsAsciiHexDigit))
        {
            return false;
        }
        var days = int.Parse(s.DaysOfWeek, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        return days is >= 1 and <= 0x7F
            && s.StartHour is >= 0 and <= 23 && s.EndHour is >= 0 and <= 23
            && s.StartMinute is >= 0 and <= 59 && s.EndMinute is >= 0 and <= 59
            && (s.StartHour * 60) + s.StartMinute < (s.EndHour * 60) + s.EndMinute;
    }

    /// <summary>Whether the keypad accepts the code at <paramref name="now"/> (windows read in UTC: the simulated lock keeps UTC).</summary>
    public static bool IsActive(AccessCodeRecord code, DateTimeOffset now)
    {
        if (code.Disabled)
        {
            return false;
        }
        var epoch = now.ToUnixTimeSeconds();
        if (epoch < code.ActivationSecs || epoch >= code.ExpirationSecs)
        {
            return false;
        }
        return InWindow(code.Schedule1, now) || (code.Schedule2 is { } s2 && InWindow(s2, now));
    }

    private static bool InWindow(WeeklySchedule s, DateTimeOffset now)
    {
        var days = int.Parse(s.DaysOfWeek, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        var bit = 0x40 >> (int)now.UtcDateTime.DayOfWeek; // Sunday 0x40 ... Saturday 0x01
        var minute = (now.UtcDateTime.Hour * 60) + now.UtcDateTime.Minute;
        return (days & bit) != 0 && minute >= (s.StartHour * 60) + s.StartMinute && minute <= (s.EndHour * 60) + s.EndMinute;
    }
}
