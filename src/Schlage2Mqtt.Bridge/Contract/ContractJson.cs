using System.Text.Json;
using System.Text.Json.Serialization;

namespace Schlage2Mqtt.Bridge.Contract;

/// <summary>
/// Source-generated JSON for the public MQTT payloads: snake_case, nulls written (the contract says
/// "missing values as null"), ISO-8601 UTC times.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(LockStatePayload))]
[JsonSerializable(typeof(BridgeLogPayload))]
[JsonSerializable(typeof(BridgeError))]
public sealed partial class ContractJson : JsonSerializerContext;

/// <summary>The response envelope omits absent optional members (<c>error</c>, <c>transaction</c>) rather than writing null.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BridgeResponse))]
[JsonSerializable(typeof(JsonElement))]
public sealed partial class ResponseJson : JsonSerializerContext;
