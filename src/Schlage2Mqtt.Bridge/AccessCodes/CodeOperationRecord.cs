using System.Text.Json;

namespace Schlage2Mqtt.Bridge.AccessCodes;

/// <summary>
/// Checks a stored operation before the manager resumes it: a record it could not act on (an unknown kind, an add
/// without its PIN, a schedule that no longer parses) is dropped at load instead of failing later in a worker.
/// </summary>
internal static class CodeOperationRecord
{
    /// <summary>Why <paramref name="operation"/> cannot be resumed, or null.</summary>
    public static string? Problem(CodeOperation operation)
    {
        if (string.IsNullOrWhiteSpace(operation.DeviceId))
        {
            return "device_id is empty";
        }
        if (!Enum.IsDefined(operation.Kind))
        {
            return "kind must be add, update or delete";
        }
        if (!Enum.IsDefined(operation.Phase))
        {
            return "phase must be queued, sending, sent or settled";
        }
        if (!Enum.IsDefined(operation.Status))
        {
            // A number in the file: the converter takes it, but only the named statuses mean anything.
            return $"status must be one of {string.Join(", ", Enum.GetValues<CodeStatus>().Select(s => s.ToWire()))}";
        }
        if (operation.Attempts < 0 || operation.Checks < 0)
        {
            return "attempts and checks must not be negative";
        }
        if (!operation.IsSettled && operation.Kind != CodeOperationKind.Delete && operation.Name is null)
        {
            return "an unfinished add or update needs its name";
        }
        if (!operation.IsSettled && operation.Kind == CodeOperationKind.Add && operation.Pin is null)
        {
            return "an unfinished add needs its code";
        }
        if (operation.ScheduleJson is { } schedule && !ScheduleParses(schedule))
        {
            return "schedule_json is not a valid schedule";
        }
        return null;
    }

    private static bool ScheduleParses(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return ScheduleJson.Parse(document.RootElement, DateTimeOffset.MinValue).Error is null;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
