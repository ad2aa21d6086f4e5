using System.Text.Json;
using System.Text.Json.Serialization;

namespace Schlage2Mqtt.Bridge.Contract;

/// <summary>The envelope on <c>&lt;base&gt;/bridge/response/&lt;op&gt;</c>: <c>{status, data, error?, transaction?}</c>.</summary>
public sealed record BridgeResponse(
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] JsonElement? Data, BridgeError? Error, JsonElement? Transaction)
{
    /// <summary>A success carrying <paramref name="data"/>.</summary>
    public static BridgeResponse Ok(JsonElement data, JsonElement? transaction) => new("ok", data, null, transaction);

    /// <summary>A failure carrying <paramref name="error"/>.</summary>
    public static BridgeResponse Fail(BridgeError error, JsonElement? transaction, JsonElement? data = null) => new("error", data, error, transaction);
}

/// <summary>A line on <c>&lt;base&gt;/bridge/log</c>.</summary>
public sealed record BridgeLogPayload(string Level, string Message, string? Lock, string? Code, string? Hint);
