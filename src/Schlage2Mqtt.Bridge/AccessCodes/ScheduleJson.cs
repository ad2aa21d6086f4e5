using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Schlage2Mqtt.Bridge.Contract;

namespace Schlage2Mqtt.Bridge.AccessCodes;

/// <summary>
/// Reads and writes schedules in the contract's shape (<c>{"type": "Temporary", "start", "end"}</c>,
/// <c>{"type": "Recurring", "days": [...], "start": "HH:mm", "end": "HH:mm"}</c>), also accepting seed 002's names
/// (<c>startDateTime</c>/<c>endDateTime</c>, <c>daysOfWeek</c>, <c>startTime</c>/<c>endTime</c>).
/// </summary>
public static partial class ScheduleJson
{
    private const string Hint = "Use {\"type\": \"Always\"}, {\"type\": \"Temporary\", \"start\": \"2026-12-24T15:00:00+01:00\", \"end\": \"2026-12-27T11:00:00+01:00\"} or {\"type\": \"Recurring\", \"days\": [\"Monday\", \"Friday\"], \"start\": \"09:00\", \"end\": \"17:30\"}.";

    /// <summary>Parses a schedule; <paramref name="now"/> lets an already-expired Temporary be refused.</summary>
    public static (CodeSchedule? Schedule, BridgeError? Error) Parse(JsonElement json, DateTimeOffset now)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            return Invalid("schedule must be an object");
        }
        var type = Text(json, "type");
        switch (type?.ToUpperInvariant())
        {
            case "ALWAYS":
                return (new CodeSchedule.Always(), null);
            case "TEMPORARY":
                var startText = Text(json, "start") ?? Text(json, "startDateTime");
                var endText = Text(json, "end") ?? Text(json, "endDateTime");
                if (startText is null || endText is null)
                {
                    return Invalid("a Temporary schedule needs start and end");
                }
                if (!TryInstant(startText, out var start) || !TryInstant(endText, out var end))
                {
                    return Invalid($"start and end must be ISO-8601 date-times with an offset and whole seconds (e.g. 2026-12-24T15:00:00+01:00), not '{Short(startText)}' / '{Short(endText)}'");
                }
                if (start == end)
                {
                    return Invalid("start and end are the same instant");
                }
                if (start > end)
                {
                    return Invalid("start is after end");
                }
                if (end <= now)
                {
                    return Invalid("end is in the past: the code would never work");
                }
                return (new CodeSchedule.Temporary(start, end), null);
            case "RECURRING":
                var days = json.TryGetProperty("days", out var d) ? d : json.TryGetProperty("daysOfWeek", out d) ? d : default;
                if (days.ValueKind != JsonValueKind.Array || days.GetArrayLength() == 0)
                {
                    return Invalid("a Recurring schedule needs days: a non-empty list such as [\"Monday\", \"Tuesday\"]");
                }
                var mask = WeekDays.None;
                foreach (var day in days.EnumerateArray())
                {
                    var name = day.ValueKind == JsonValueKind.String ? day.GetString() : null;
                    var match = ScheduleMapper.DayNames.FirstOrDefault(n => string.Equals(n.Name, name, StringComparison.OrdinalIgnoreCase));
                    if (match.Name is null)
                    {
                        return Invalid($"'{Short(day.ToString())}' is not a day; use Monday ... Sunday");
                    }
                    mask |= match.Day;
                }
                var from = Text(json, "start") ?? Text(json, "startTime");
                var to = Text(json, "end") ?? Text(json, "endTime");
                if (from is null || to is null || !Clock().IsMatch(from) || !Clock().IsMatch(to))
                {
                    return Invalid($"start and end must be HH:mm times such as 09:00 and 17:30, not '{Short(from ?? "")}' / '{Short(to ?? "")}'");
                }
                var startTime = TimeOnly.ParseExact(from, "HH:mm", CultureInfo.InvariantCulture);
                var endTime = TimeOnly.ParseExact(to, "HH:mm", CultureInfo.InvariantCulture);
                if (startTime == endTime)
                {
                    return Invalid("start and end are the same time");
                }
                if (startTime > endTime)
                {
                    return Invalid("start is after end; a window cannot cross midnight, use two codes for a night window");
                }
                return (new CodeSchedule.Recurring(mask, startTime, endTime), null);
            default:
                return Invalid($"type must be Always, Temporary or Recurring, not '{Short(type ?? "(missing)")}'");
        }
    }

    /// <summary>The contract's JSON of a schedule.</summary>
    public static JsonObject Write(CodeSchedule schedule) => schedule switch
    {
        CodeSchedule.Always => new JsonObject { ["type"] = "Always" },
        CodeSchedule.Temporary t => new JsonObject
        {
            ["type"] = "Temporary",
            ["start"] = t.Start.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            ["end"] = t.End.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
        },
        CodeSchedule.Recurring r => new JsonObject
        {
            ["type"] = "Recurring",
            ["days"] = new JsonArray(ScheduleMapper.DayNames.Where(n => r.Days.HasFlag(n.Day)).Select(n => (JsonNode)JsonValue.Create(n.Name)).ToArray()),
            ["start"] = r.Start.ToString("HH:mm", CultureInfo.InvariantCulture),
            ["end"] = r.End.ToString("HH:mm", CultureInfo.InvariantCulture),
        },
        CodeSchedule.Custom c => new JsonObject
        {
            ["type"] = "Custom",
            ["activation_secs"] = c.ActivationSecs,
            ["expiration_secs"] = c.ExpirationSecs,
            ["window"] = c.Window,
            ["second_window"] = c.SecondWindow,
        },
        _ => throw new ArgumentOutOfRangeException(nameof(schedule)),
    };

    private static bool TryInstant(string text, out DateTimeOffset value)
    {
        // An offset is required: a bare local time would mean something different on the bridge and at the door.
        value = default;
        if (!Offset().IsMatch(text) || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out value))
        {
            return false;
        }
        return value.Ticks % TimeSpan.TicksPerSecond == 0;
    }

    private static string? Text(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static (CodeSchedule?, BridgeError?) Invalid(string problem) =>
        (null, new BridgeError(AccessCodeErrorCodes.InvalidSchedule, $"The schedule is not valid: {problem}.", Hint));

    private static string Short(string s) => InputText.Shorten(s, 40);

    [GeneratedRegex(@"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    private static partial Regex Clock();

    [GeneratedRegex(@"T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$", RegexOptions.IgnoreCase)]
    private static partial Regex Offset();
}
