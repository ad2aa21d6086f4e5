using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Schlage2Mqtt.Bridge.Contract;

/// <summary>
/// The answer to every request on <c>bridge/response/&lt;op&gt;</c> and to a command that carried an MQTT 5 Response
/// Topic: <c>{"status": "ok"|"error", "data", "error", "transaction"}</c>. <c>error</c> is there only on failure and
/// <c>transaction</c> only when the request had one, as the README shows.
/// </summary>
/// <param name="Status"><see cref="ResponseStatus.Ok"/> or <see cref="ResponseStatus.Error"/>.</param>
/// <param name="Data">The answer; null when there is none.</param>
public sealed record ResponseEnvelope(string Status, JsonNode? Data)
{
    /// <summary>Why it failed.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public BridgeError? Error { get; init; }

    /// <summary>The request's <c>transaction</c>, echoed.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonNode? Transaction { get; init; }

    /// <summary>A success (no error) or a failure, with the data either way.</summary>
    public static ResponseEnvelope Of(JsonNode? data, BridgeError? error, JsonNode? transaction = null) =>
        new(error is null ? ResponseStatus.Ok : ResponseStatus.Error, data) { Error = error, Transaction = transaction };

    /// <summary>A failure without data.</summary>
    public static ResponseEnvelope Failure(BridgeError error, JsonNode? transaction = null) => Of(null, error, transaction);
}

/// <summary>The <c>status</c> values of <see cref="ResponseEnvelope"/>.</summary>
public static class ResponseStatus
{
    /// <summary>The request succeeded.</summary>
    public const string Ok = "ok";

    /// <summary>The request failed; <c>error</c> says why.</summary>
    public const string Error = "error";
}
