using System.Globalization;
using System.Text;
using System.Text.Json;
using Schlage2Mqtt.Simulator.Faults;

namespace Schlage2Mqtt.Simulator.Api;

/// <summary>The non-secret gist of a request for the call log (never a PIN or token), and the command name faults match on.</summary>
internal static class CallDetail
{
    public static (string? Detail, string? Command) Describe(ApiEndpoint endpoint, byte[] body)
    {
        if (body.Length == 0 || endpoint is not (ApiEndpoint.PutDevice or ApiEndpoint.PostCommand))
        {
            return (null, null);
        }
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, null);
            }
            if (endpoint == ApiEndpoint.PutDevice)
            {
                if (!root.TryGetProperty("attributes", out var attributes) || attributes.ValueKind != JsonValueKind.Object)
                {
                    return (null, null);
                }
                var text = new StringBuilder();
                foreach (var property in attributes.EnumerateObject())
                {
                    text.Append(text.Length == 0 ? string.Empty : ",").Append(property.Name).Append('=').Append(property.Value.GetRawText());
                }
                return (text.ToString(), null);
            }
            var name = root.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
            var detail = name;
            if (root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object)
            {
                if (data.TryGetProperty("accesscodeId", out var id) && id.ValueKind == JsonValueKind.String)
                {
                    detail += " accesscodeId=" + id.GetString();
                }
                if (data.TryGetProperty("state", out var state) && state.ValueKind == JsonValueKind.Number)
                {
                    detail += " state=" + state.GetRawText();
                }
                if (data.TryGetProperty("friendlyName", out var fn) && fn.ValueKind == JsonValueKind.String)
                {
                    detail += string.Create(CultureInfo.InvariantCulture, $" friendlyName={fn.GetString()}");
                }
            }
            return (detail, name);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }
}
