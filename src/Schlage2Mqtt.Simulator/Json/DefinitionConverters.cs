using System.Text.Json;
using System.Text.Json.Serialization;
using Schlage2Mqtt.Simulator.Faults;

namespace Schlage2Mqtt.Simulator.Json;

// Each public definition record names its converter with [JsonConverter], so any serializer (the caller's
// source-generated context, reflection, the admin API) reads it through an all-nullable wire form and a
// member the JSON leaves out keeps the record's default instead of becoming 0 or null. Property names are
// camelCase (any letter case is read), enums are names (numbers are read too), durations "hh:mm:ss".

/// <summary>JSON for <see cref="LockDefinition"/> that keeps the defaults of members the JSON leaves out.</summary>
public sealed class LockDefinitionJsonConverter : JsonConverter<LockDefinition>
{
    /// <inheritdoc />
    public override LockDefinition Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DefinitionJson.Read(ref reader, SimulatorJsonContext.Default.LockDefinitionJson).ToDefinition();

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, LockDefinition value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(value);
        JsonSerializer.Serialize(writer, LockDefinitionJson.From(value), SimulatorJsonContext.Default.LockDefinitionJson);
    }
}

/// <summary>JSON for <see cref="AccessCodeDefinition"/> that keeps the defaults of members the JSON leaves out.</summary>
public sealed class AccessCodeDefinitionJsonConverter : JsonConverter<AccessCodeDefinition>
{
    /// <inheritdoc />
    public override AccessCodeDefinition Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DefinitionJson.Read(ref reader, SimulatorJsonContext.Default.AccessCodeDefinitionJson).ToDefinition();

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, AccessCodeDefinition value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(value);
        JsonSerializer.Serialize(writer, AccessCodeDefinitionJson.From(value), SimulatorJsonContext.Default.AccessCodeDefinitionJson);
    }
}

/// <summary>JSON for <see cref="AccountDefinition"/> that keeps the defaults of members the JSON leaves out.</summary>
public sealed class AccountDefinitionJsonConverter : JsonConverter<AccountDefinition>
{
    /// <inheritdoc />
    public override AccountDefinition Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DefinitionJson.Read(ref reader, SimulatorJsonContext.Default.AccountDefinitionJson).ToDefinition();

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, AccountDefinition value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(value);
        JsonSerializer.Serialize(writer, AccountDefinitionJson.From(value), SimulatorJsonContext.Default.AccountDefinitionJson);
    }
}

/// <summary>JSON for <see cref="SimulatorOptions"/> that keeps the defaults of members the JSON leaves out.</summary>
public sealed class SimulatorOptionsJsonConverter : JsonConverter<SimulatorOptions>
{
    /// <inheritdoc />
    public override SimulatorOptions Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DefinitionJson.Read(ref reader, SimulatorJsonContext.Default.SimulatorOptionsJson).ToOptions();

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, SimulatorOptions value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(value);
        JsonSerializer.Serialize(writer, SimulatorOptionsJson.From(value), SimulatorJsonContext.Default.SimulatorOptionsJson);
    }
}

/// <summary>JSON for <see cref="SimulatorHostOptions"/> that keeps the defaults of members the JSON leaves out.</summary>
public sealed class SimulatorHostOptionsJsonConverter : JsonConverter<SimulatorHostOptions>
{
    /// <inheritdoc />
    public override SimulatorHostOptions Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DefinitionJson.Read(ref reader, SimulatorJsonContext.Default.SimulatorHostOptionsJson).ToOptions();

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, SimulatorHostOptions value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(value);
        JsonSerializer.Serialize(writer, SimulatorHostOptionsJson.From(value), SimulatorJsonContext.Default.SimulatorHostOptionsJson);
    }
}

/// <summary>JSON for <see cref="FaultRule"/> that keeps the defaults of members the JSON leaves out.</summary>
public sealed class FaultRuleJsonConverter : JsonConverter<FaultRule>
{
    /// <inheritdoc />
    public override FaultRule Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DefinitionJson.Read(ref reader, SimulatorJsonContext.Default.FaultRuleJson).ToRule();

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, FaultRule value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(value);
        JsonSerializer.Serialize(writer, FaultRuleJson.From(value), SimulatorJsonContext.Default.FaultRuleJson);
    }
}

/// <summary>JSON for <see cref="AccessCodeFaultRule"/> that keeps the defaults of members the JSON leaves out.</summary>
public sealed class AccessCodeFaultRuleJsonConverter : JsonConverter<AccessCodeFaultRule>
{
    /// <inheritdoc />
    public override AccessCodeFaultRule Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DefinitionJson.Read(ref reader, SimulatorJsonContext.Default.AccessCodeFaultRuleJson).ToRule();

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, AccessCodeFaultRule value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(value);
        JsonSerializer.Serialize(writer, AccessCodeFaultRuleJson.From(value), SimulatorJsonContext.Default.AccessCodeFaultRuleJson);
    }
}
