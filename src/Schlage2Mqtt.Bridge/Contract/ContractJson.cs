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
