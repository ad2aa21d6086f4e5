using System.Text.Json.Serialization;
using Schlage2Mqtt.Simulator.Calls;
using Schlage2Mqtt.Simulator.Faults;

namespace Schlage2Mqtt.Simulator.Admin;

/// <summary>The bag of optional fields admin routes read (each route uses the few it needs).</summary>
internal sealed record AdminRequest(
    bool? Locked = null,
    bool? Motor = null,
    int? Level = null,
    int? StatusCode = null,
    int? DoorState = null,
    string? Code = null,
    string? Name = null,
    string? AccesscodeId = null,
    string? Email = null,
    CognitoUserError? Error = null,
    int? Count = null,
    bool? Persistent = null,
    bool? Enabled = null,
    double? Probability = null);

/// <summary>The bag admin routes answer with.</summary>
internal sealed record AdminResult(
    string? DeviceId = null,
    string? Id = null,
    string? Result = null,
    bool? Done = null,
    int? Count = null);

/// <summary>What <c>GET /admin/calls</c> answers.</summary>
internal sealed record CallsDocument(CallCounters Counters, IReadOnlyList<CallRecord> Records);

/// <summary>Admin error body.</summary>
internal sealed record AdminError(string Message);

/// <summary>Source-generated serializers for the admin surface (camelCase, enums as names).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    PropertyNameCaseInsensitive = true,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AdminRequest))]
[JsonSerializable(typeof(AdminResult))]
[JsonSerializable(typeof(AdminError))]
[JsonSerializable(typeof(CallsDocument))]
[JsonSerializable(typeof(CallCounters))]
[JsonSerializable(typeof(PushCounters))]
[JsonSerializable(typeof(IReadOnlyList<SimulatedLockInfo>))]
[JsonSerializable(typeof(SimulatedLockInfo))]
[JsonSerializable(typeof(IReadOnlyList<SimulatedAccount>))]
// The definitions carry their own converters, which keep the defaults of members a request leaves out.
[JsonSerializable(typeof(LockDefinition))]
[JsonSerializable(typeof(FaultRule))]
[JsonSerializable(typeof(AccessCodeFaultRule))]
[JsonSerializable(typeof(IReadOnlyList<ActiveFault>))]
internal sealed partial class AdminJsonContext : JsonSerializerContext;
