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
    int? Count = null);

// Init-only defaults do not survive source-generated deserialization, so requests arrive as
// nullable bags and are mapped onto the public records, whose defaults then apply.

/// <summary><c>POST /admin/locks</c>: a lock definition, absent fields taking the defaults.</summary>
internal sealed record AdminLockRequest(
    string? DeviceId = null,
    string? Name = null,
    LockModel? Model = null,
    int? LockState = null,
    int? BatteryLevel = null,
    int? BeeperEnabled = null,
    int? LockAndLeaveEnabled = null,
    int? AutoLockTime = null,
    int? AccessCodeLength = null,
    bool? VariableLengthCodes = null,
    int? MaxUserCodes = null,
    bool? Connected = null)
{
    public LockDefinition ToDefinition()
    {
        var d = new LockDefinition { Name = Name ?? throw new ArgumentException("A lock needs a name, e.g. {\"name\": \"Shed\", \"model\": \"Encode\"}.") };
        return d with
        {
            DeviceId = DeviceId,
            Model = Model ?? d.Model,
            LockState = LockState ?? d.LockState,
            BatteryLevel = BatteryLevel ?? d.BatteryLevel,
            BeeperEnabled = BeeperEnabled ?? d.BeeperEnabled,
            LockAndLeaveEnabled = LockAndLeaveEnabled ?? d.LockAndLeaveEnabled,
            AutoLockTime = AutoLockTime ?? d.AutoLockTime,
            AccessCodeLength = AccessCodeLength ?? d.AccessCodeLength,
            VariableLengthCodes = VariableLengthCodes ?? d.VariableLengthCodes,
            MaxUserCodes = MaxUserCodes ?? d.MaxUserCodes,
            Connected = Connected ?? d.Connected,
        };
    }
}

/// <summary><c>POST /admin/faults</c>: a <see cref="FaultRule"/> with optional fields.</summary>
internal sealed record AdminFaultRequest(
    FaultAction? Action = null,
    ApiEndpoint? Endpoint = null,
    string? DeviceId = null,
    string? Command = null,
    int? Count = null,
    int? StatusCode = null,
    string? Message = null,
    TimeSpan? Delay = null,
    TimeSpan? RetryAfter = null)
{
    public FaultRule ToRule()
    {
        var r = new FaultRule { Action = Action ?? throw new ArgumentException("A fault rule needs an action: Latency, Error, AppliedButError, TokenExpired or TooManyRequests.") };
        return r with
        {
            Endpoint = Endpoint,
            DeviceId = DeviceId,
            Command = Command,
            Count = Count,
            StatusCode = StatusCode ?? r.StatusCode,
            Message = Message,
            Delay = Delay ?? r.Delay,
            RetryAfter = RetryAfter ?? r.RetryAfter,
        };
    }
}

/// <summary><c>POST /admin/faults/access-codes</c>: an <see cref="AccessCodeFaultRule"/> with optional fields.</summary>
internal sealed record AdminAccessCodeFaultRequest(
    AccessCodeFault? Fault = null,
    string? DeviceId = null,
    string? Command = null,
    int? Count = null,
    int? StatusCode = null,
    bool? CloudKeepsChange = null)
{
    public AccessCodeFaultRule ToRule()
    {
        var r = new AccessCodeFaultRule { Fault = Fault ?? throw new ArgumentException("An access-code fault rule needs a fault, e.g. Nack.") };
        return r with
        {
            DeviceId = DeviceId,
            Command = Command,
            Count = Count,
            StatusCode = StatusCode ?? r.StatusCode,
            CloudKeepsChange = CloudKeepsChange ?? r.CloudKeepsChange,
        };
    }
}

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
[JsonSerializable(typeof(IReadOnlyList<SimulatedLockInfo>))]
[JsonSerializable(typeof(SimulatedLockInfo))]
[JsonSerializable(typeof(IReadOnlyList<SimulatedAccount>))]
[JsonSerializable(typeof(AdminLockRequest))]
[JsonSerializable(typeof(AdminFaultRequest))]
[JsonSerializable(typeof(AdminAccessCodeFaultRequest))]
[JsonSerializable(typeof(IReadOnlyList<ActiveFault>))]
internal sealed partial class AdminJsonContext : JsonSerializerContext;
