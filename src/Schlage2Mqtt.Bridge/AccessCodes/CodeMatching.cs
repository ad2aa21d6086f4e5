using System.Text.Json;
using Schlage2Mqtt.Cloud;

namespace Schlage2Mqtt.Bridge.AccessCodes;

/// <summary>How a stored operation relates to the cloud's codes: its schedule, its write, and what counts as its result.</summary>
internal static class CodeMatching
{
    /// <summary>True when <paramref name="a"/> and <paramref name="b"/> address the same code (by id, or by name in any case).</summary>
    public static bool SameCode(CodeOperation a, CodeOperation b) =>
        (a.CodeId is not null && a.CodeId == b.CodeId) || string.Equals(a.Name, b.Name, StringComparison.OrdinalIgnoreCase);

    /// <summary>A listed code is the operation's result when name, schedule and (if the cloud shows it) PIN agree.</summary>
    public static bool Matches(CloudAccessCode code, CodeOperation operation)
    {
        if (!string.Equals(code.Name, operation.Name, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        if (operation.Pin is not null && code.Code is not null && code.Code.All(char.IsAsciiDigit) && code.Code != operation.Pin)
        {
            return false;
        }
        var wanted = Schedule(operation.ScheduleJson);
        var actual = ScheduleMapper.FromCloud(code.ActivationSecs, code.ExpirationSecs, code.Schedule1, code.Schedule2);
        return wanted.Equals(actual);
    }

    /// <summary>The write an add or update sends.</summary>
    public static NewAccessCode ToCloud(CodeOperation operation)
    {
        var (activation, expiration, schedule1, schedule2) = ScheduleMapper.ToCloud(Schedule(operation.ScheduleJson));
        return new NewAccessCode
        {
            Name = operation.Name!,
            Code = operation.Pin!,
            ActivationSecs = activation,
            ExpirationSecs = expiration,
            Schedule1 = schedule1,
            Schedule2 = schedule2,
            NotifyOnUse = operation.NotifyOnUse ?? false,
        };
    }

    /// <summary>A stored schedule (Always when none is stored).</summary>
    public static CodeSchedule Schedule(string? json)
    {
        if (json is null)
        {
            return new CodeSchedule.Always();
        }
        using var document = JsonDocument.Parse(json);
        // Stored schedules were valid when accepted; "now" only guards against expired ones, which are not re-checked.
        return ScheduleJson.Parse(document.RootElement, DateTimeOffset.MinValue).Schedule ?? new CodeSchedule.Always();
    }

    /// <summary>A stored schedule, or null when none is stored.</summary>
    public static CodeSchedule? ScheduleOrNull(string? json) => json is null ? null : Schedule(json);
}
