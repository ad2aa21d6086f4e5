using System.Text.Json.Serialization;

namespace Schlage2Mqtt.Simulator.Json;

/// <summary>Source-generated serializers of the definitions' wire forms: camelCase, any letter case read, enums as names.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    PropertyNameCaseInsensitive = true,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(LockDefinitionJson))]
[JsonSerializable(typeof(AccessCodeDefinitionJson))]
[JsonSerializable(typeof(AccountDefinitionJson))]
[JsonSerializable(typeof(SimulatorOptionsJson))]
[JsonSerializable(typeof(SimulatorHostOptionsJson))]
[JsonSerializable(typeof(FaultRuleJson))]
[JsonSerializable(typeof(AccessCodeFaultRuleJson))]
internal sealed partial class SimulatorJsonContext : JsonSerializerContext;
