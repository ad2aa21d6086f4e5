using System.Text.Json.Serialization;

namespace Schlage2Mqtt.Bridge.Contract;

/// <summary>
/// Source-generated JSON for the public MQTT payloads: snake_case, nulls written (the contract says
/// "missing values as null") unless a member says otherwise, times as <see cref="ContractTime"/> writes them.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    Converters = [typeof(ContractTimeConverter)])]
[JsonSerializable(typeof(LockStatePayload))]
[JsonSerializable(typeof(BridgeLogPayload))]
[JsonSerializable(typeof(BridgeError))]
[JsonSerializable(typeof(ActivityEvent))]
[JsonSerializable(typeof(ResponseEnvelope))]
[JsonSerializable(typeof(BridgeInfoPayload))]
[JsonSerializable(typeof(HealthPayload))]
[JsonSerializable(typeof(AccessCodesDocument))]
[JsonSerializable(typeof(AccessCodeView))]
[JsonSerializable(typeof(LockListing))]
[JsonSerializable(typeof(IReadOnlyList<LockListing>))]
public sealed partial class ContractJson : JsonSerializerContext;
