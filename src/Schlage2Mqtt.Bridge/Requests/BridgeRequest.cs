using System.Text.Json;
using System.Text.Json.Nodes;
using Schlage2Mqtt.Bridge.Contract;

namespace Schlage2Mqtt.Bridge.Requests;

/// <summary>A request from <c>&lt;base&gt;/bridge/request/&lt;op&gt;</c>: its operation and JSON body (an object).</summary>
public sealed record BridgeRequest(string Operation, JsonElement Body)
{
    /// <summary>The id the request was journalled under before it was acknowledged (access-code writes), else null.</summary>
    public string? RequestId { get; init; }

    /// <summary>A required string field, or an error naming it.</summary>
    public (string? Value, BridgeError? Error) RequiredString(string field, string hint)
    {
        if (!Body.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return (null, BridgeErrors.InvalidRequest(field, "is missing", hint));
        }
        if (value.ValueKind != JsonValueKind.String || value.GetString()!.Length == 0)
        {
            return (null, BridgeErrors.InvalidRequest(field, $"must be a non-empty string, not {value.ValueKind.ToString().ToLowerInvariant()}", hint));
        }
        return (value.GetString(), null);
    }

    /// <summary>An optional string field (null when absent), or an error when it has the wrong type.</summary>
    public (string? Value, BridgeError? Error) OptionalString(string field, string hint)
    {
        if (!Body.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return (null, null);
        }
        return value.ValueKind == JsonValueKind.String
            ? (value.GetString(), null)
            : (null, BridgeErrors.InvalidRequest(field, $"must be a string, not {value.ValueKind.ToString().ToLowerInvariant()}", hint));
    }
}

/// <summary>What a request handler answers: data on success, or an error (data may accompany it).</summary>
public sealed record RequestResult(JsonNode? Data, BridgeError? Error)
{
    /// <summary>Success.</summary>
    public static RequestResult Ok(JsonNode? data) => new(data, null);

    /// <summary>Failure.</summary>
    public static RequestResult Fail(BridgeError error, JsonNode? data = null) => new(data, error);
}

/// <summary>Handles one request operation (<c>lock</c>, <c>access_code/add</c>, ...).</summary>
public interface IBridgeRequestHandler
{
    /// <summary>The operation: the topic after <c>bridge/request/</c>.</summary>
    string Operation { get; }

    /// <summary>Carries the request out. Expected failures are results, not exceptions.</summary>
    Task<RequestResult> HandleAsync(BridgeRequest request, CancellationToken cancellationToken);
}
