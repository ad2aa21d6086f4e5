using System.Text.Json;
using Schlage2Mqtt.Bridge.Contract;
using Schlage2Mqtt.Bridge.Requests;

namespace Schlage2Mqtt.Bridge.AccessCodes;

/// <summary>The desired fields of an add or update request (null: not given).</summary>
public sealed record CodeChanges(string? Name, string? Pin, CodeSchedule? Schedule, bool? NotifyOnUse, string? AccessorType);

/// <summary>Reads the fields of <c>access_code/add</c> and <c>access_code/update</c> requests, naming the bad field.</summary>
public static class CodeRequest
{
    /// <summary>Parses name, code, schedule, notify_on_use and accessor_type; each optional here, required-ness is the caller's.</summary>
    public static (CodeChanges? Changes, BridgeError? Error) Parse(BridgeRequest request, DateTimeOffset now)
    {
        var body = request.Body;
        string? name = null, pin = null, accessor = null;
        CodeSchedule? schedule = null;
        bool? notify = null;
        if (body.TryGetProperty("name", out var n) && n.ValueKind != JsonValueKind.Null)
        {
            if (n.ValueKind != JsonValueKind.String)
            {
                return (null, AccessCodeErrorCodes.Error(AccessCodeErrorCodes.InvalidName, $"name must be a string, not {n.ValueKind.ToString().ToLowerInvariant()}."));
            }
            name = n.GetString();
        }
        if (body.TryGetProperty("code", out var c) && c.ValueKind != JsonValueKind.Null)
        {
            // A number is accepted, but a leading zero only survives as a string.
            pin = c.ValueKind switch
            {
                JsonValueKind.String => c.GetString(),
                JsonValueKind.Number => c.GetRawText(),
                _ => null,
            };
            if (pin is null)
            {
                return (null, AccessCodeErrorCodes.Error(AccessCodeErrorCodes.InvalidCode, "code must be a string of digits, e.g. \"0426\"."));
            }
        }
        if (body.TryGetProperty("schedule", out var s) && s.ValueKind != JsonValueKind.Null)
        {
            var (parsed, error) = ScheduleJson.Parse(s, now);
            if (error is not null)
            {
                return (null, error);
            }
            schedule = parsed;
        }
        if (body.TryGetProperty("notify_on_use", out var notifyJson) && notifyJson.ValueKind != JsonValueKind.Null)
        {
            if (notifyJson.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return (null, BridgeErrors.InvalidRequest("notify_on_use", "must be true or false", "Send \"notify_on_use\": true to be told when the code is used."));
            }
            notify = notifyJson.GetBoolean();
        }
        if (body.TryGetProperty("accessor_type", out var a) && a.ValueKind == JsonValueKind.String)
        {
            accessor = a.GetString();
        }
        return (new CodeChanges(name, pin, schedule, notify, accessor), null);
    }
}
