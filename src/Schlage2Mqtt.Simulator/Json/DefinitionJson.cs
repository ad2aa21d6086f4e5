using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Schlage2Mqtt.Simulator.Faults;

namespace Schlage2Mqtt.Simulator.Json;

// The wire forms of the simulator's public definition records. Source-generated deserialization sets every
// init-only member of a record, absent ones to default(T), so a record read directly would lose its
// initializers (LockState 1 read as 0, StatusCode 504 as 0). These forms are all-nullable instead: what the
// JSON leaves out stays null and the mapping keeps the record's own default.

/// <summary>Reads one wire form, with a message naming the type when the JSON is not an object of it.</summary>
internal static class DefinitionJson
{
    public static T Read<T>(ref Utf8JsonReader reader, JsonTypeInfo<T> typeInfo) =>
        JsonSerializer.Deserialize(ref reader, typeInfo) ?? throw new JsonException($"Expected a JSON object for {typeof(T).Name}, got null.");

    public static JsonException Missing(string what, string field, string example) =>
        new($"{what} needs \"{field}\", e.g. {example}.");
}

/// <summary>Wire form of <see cref="LockDefinition"/>.</summary>
internal sealed record LockDefinitionJson(
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
    bool? Connected = null,
    IReadOnlyList<AccessCodeDefinition>? AccessCodes = null)
{
    public LockDefinition ToDefinition()
    {
        var d = new LockDefinition { Name = Name ?? throw DefinitionJson.Missing("A lock", "name", """{"name": "Shed", "model": "Encode"}""") };
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
            AccessCodes = AccessCodes ?? d.AccessCodes,
        };
    }

    public static LockDefinitionJson From(LockDefinition d) =>
        new(d.DeviceId, d.Name, d.Model, d.LockState, d.BatteryLevel, d.BeeperEnabled, d.LockAndLeaveEnabled, d.AutoLockTime,
            d.AccessCodeLength, d.VariableLengthCodes, d.MaxUserCodes, d.Connected, d.AccessCodes);
}

/// <summary>Wire form of <see cref="AccessCodeDefinition"/>.</summary>
internal sealed record AccessCodeDefinitionJson(
    string? Name = null,
    string? Code = null,
    long? ActivationSecs = null,
    long? ExpirationSecs = null,
    string? DaysOfWeek = null,
    int? StartHour = null,
    int? StartMinute = null,
    int? EndHour = null,
    int? EndMinute = null,
    bool? Disabled = null)
{
    private const string Example = """{"name": "Family", "code": "2580"}""";

    public AccessCodeDefinition ToDefinition()
    {
        var d = new AccessCodeDefinition
        {
            Name = Name ?? throw DefinitionJson.Missing("An access code", "name", Example),
            Code = Code ?? throw DefinitionJson.Missing("An access code", "code", Example),
        };
        return d with
        {
            ActivationSecs = ActivationSecs ?? d.ActivationSecs,
            ExpirationSecs = ExpirationSecs ?? d.ExpirationSecs,
            DaysOfWeek = DaysOfWeek ?? d.DaysOfWeek,
            StartHour = StartHour ?? d.StartHour,
            StartMinute = StartMinute ?? d.StartMinute,
            EndHour = EndHour ?? d.EndHour,
            EndMinute = EndMinute ?? d.EndMinute,
            Disabled = Disabled ?? d.Disabled,
        };
    }

    public static AccessCodeDefinitionJson From(AccessCodeDefinition d) =>
        new(d.Name, d.Code, d.ActivationSecs, d.ExpirationSecs, d.DaysOfWeek, d.StartHour, d.StartMinute, d.EndHour, d.EndMinute, d.Disabled);
}

/// <summary>Wire form of <see cref="AccountDefinition"/>.</summary>
internal sealed record AccountDefinitionJson(
    string? Email = null,
    string? Password = null,
    string? UserIdForSrp = null,
    string? IdentityId = null,
    string? FriendlyName = null,
    bool? Confirmed = null,
    IReadOnlyList<LockDefinition>? Locks = null)
{
    private const string Example = """{"email": "me@example.com", "password": "..."}""";

    public AccountDefinition ToDefinition()
    {
        var d = new AccountDefinition
        {
            Email = Email ?? throw DefinitionJson.Missing("An account", "email", Example),
            Password = Password ?? throw DefinitionJson.Missing("An account", "password", Example),
        };
        return d with
        {
            UserIdForSrp = UserIdForSrp,
            IdentityId = IdentityId,
            FriendlyName = FriendlyName ?? d.FriendlyName,
            Confirmed = Confirmed ?? d.Confirmed,
            Locks = Locks ?? d.Locks,
        };
    }

    public static AccountDefinitionJson From(AccountDefinition d) =>
        new(d.Email, d.Password, d.UserIdForSrp, d.IdentityId, d.FriendlyName, d.Confirmed, d.Locks);
}

/// <summary>Wire form of <see cref="SimulatorOptions"/>.</summary>
internal sealed record SimulatorOptionsJson(
    int? Seed = null,
    int? Port = null,
    string? ApiKey = null,
    string? UserPoolId = null,
    IReadOnlyList<AppClientDefinition>? AppClients = null,
    IReadOnlyList<AccountDefinition>? Accounts = null,
    TimeSpan? TokenLifetime = null,
    TimeSpan? RefreshTokenLifetime = null,
    TimeSpan? SrpChallengeLifetime = null,
    TimeSpan? TimestampTolerance = null,
    TimeSpan? CommandLatency = null,
    TimeSpan? SyncCommandLatency = null,
    TimeSpan? CommandTimeout = null,
    int? KeypadLockoutAttempts = null,
    TimeSpan? KeypadLockoutDuration = null,
    TimeSpan? LogRetention = null,
    int? CallLogCapacity = null,
    TimeSpan? SubscriberPingInterval = null,
    TimeSpan? SubscriberPingTimeout = null,
    Uri? PushBrokerUrl = null,
    Uri? PushPublishUrl = null,
    TimeSpan? PhoneAppReconnectDelay = null)
{
    public SimulatorOptions ToOptions()
    {
        var d = new SimulatorOptions();
        return d with
        {
            Seed = Seed ?? d.Seed,
            Port = Port ?? d.Port,
            ApiKey = ApiKey ?? d.ApiKey,
            UserPoolId = UserPoolId ?? d.UserPoolId,
            AppClients = AppClients ?? d.AppClients,
            Accounts = Accounts ?? d.Accounts,
            TokenLifetime = TokenLifetime ?? d.TokenLifetime,
            RefreshTokenLifetime = RefreshTokenLifetime ?? d.RefreshTokenLifetime,
            SrpChallengeLifetime = SrpChallengeLifetime ?? d.SrpChallengeLifetime,
            TimestampTolerance = TimestampTolerance ?? d.TimestampTolerance,
            CommandLatency = CommandLatency ?? d.CommandLatency,
            SyncCommandLatency = SyncCommandLatency ?? d.SyncCommandLatency,
            CommandTimeout = CommandTimeout ?? d.CommandTimeout,
            KeypadLockoutAttempts = KeypadLockoutAttempts ?? d.KeypadLockoutAttempts,
            KeypadLockoutDuration = KeypadLockoutDuration ?? d.KeypadLockoutDuration,
            LogRetention = LogRetention ?? d.LogRetention,
            CallLogCapacity = CallLogCapacity ?? d.CallLogCapacity,
            SubscriberPingInterval = SubscriberPingInterval ?? d.SubscriberPingInterval,
            SubscriberPingTimeout = SubscriberPingTimeout ?? d.SubscriberPingTimeout,
            PushBrokerUrl = PushBrokerUrl,
            PushPublishUrl = PushPublishUrl,
            PhoneAppReconnectDelay = PhoneAppReconnectDelay ?? d.PhoneAppReconnectDelay,
        };
    }

    public static SimulatorOptionsJson From(SimulatorOptions o) =>
        new(o.Seed, o.Port, o.ApiKey, o.UserPoolId, o.AppClients, o.Accounts, o.TokenLifetime, o.RefreshTokenLifetime, o.SrpChallengeLifetime,
            o.TimestampTolerance, o.CommandLatency, o.SyncCommandLatency, o.CommandTimeout, o.KeypadLockoutAttempts, o.KeypadLockoutDuration,
            o.LogRetention, o.CallLogCapacity, o.SubscriberPingInterval, o.SubscriberPingTimeout,
            o.PushBrokerUrl, o.PushPublishUrl, o.PhoneAppReconnectDelay);
}

/// <summary>Wire form of <see cref="SimulatorHostOptions"/>.</summary>
internal sealed record SimulatorHostOptionsJson(int? Port = null, int? Seed = null, TimeSpan? CommandLatency = null, SimulatorOptions? World = null,
    Uri? PushBrokerUrl = null, Uri? PushPublishUrl = null)
{
    public SimulatorHostOptions ToOptions()
    {
        var d = new SimulatorHostOptions();
        return d with
        {
            Port = Port ?? d.Port,
            Seed = Seed ?? d.Seed,
            CommandLatency = CommandLatency ?? d.CommandLatency,
            World = World,
            PushBrokerUrl = PushBrokerUrl,
            PushPublishUrl = PushPublishUrl,
        };
    }

    public static SimulatorHostOptionsJson From(SimulatorHostOptions o) => new(o.Port, o.Seed, o.CommandLatency, o.World, o.PushBrokerUrl, o.PushPublishUrl);
}

/// <summary>Wire form of <see cref="FaultRule"/>.</summary>
internal sealed record FaultRuleJson(
    FaultAction? Action = null,
    ApiEndpoint? Endpoint = null,
    string? DeviceId = null,
    string? Command = null,
    int? Count = null,
    int? StatusCode = null,
    string? Message = null,
    TimeSpan? Delay = null,
    TimeSpan? RetryAfter = null,
    double? Probability = null)
{
    public FaultRule ToRule()
    {
        var r = new FaultRule
        {
            Action = Action ?? throw DefinitionJson.Missing("A fault rule", "action",
                """{"action": "Error", "endpoint": "GetDevice", "statusCode": 503} (Latency, Error, AppliedButError, TokenExpired or TooManyRequests)"""),
        };
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
            Probability = Probability,
        };
    }

    public static FaultRuleJson From(FaultRule r) =>
        new(r.Action, r.Endpoint, r.DeviceId, r.Command, r.Count, r.StatusCode, r.Message, r.Delay, r.RetryAfter, r.Probability);
}

/// <summary>Wire form of <see cref="AccessCodeFaultRule"/>.</summary>
internal sealed record AccessCodeFaultRuleJson(
    AccessCodeFault? Fault = null,
    string? DeviceId = null,
    string? Command = null,
    int? Count = null,
    int? StatusCode = null,
    bool? CloudKeepsChange = null)
{
    public AccessCodeFaultRule ToRule()
    {
        var r = new AccessCodeFaultRule
        {
            Fault = Fault ?? throw DefinitionJson.Missing("An access-code fault rule", "fault", """{"fault": "Nack", "count": 1}"""),
        };
        return r with
        {
            DeviceId = DeviceId,
            Command = Command,
            Count = Count,
            StatusCode = StatusCode ?? r.StatusCode,
            CloudKeepsChange = CloudKeepsChange ?? r.CloudKeepsChange,
        };
    }

    public static AccessCodeFaultRuleJson From(AccessCodeFaultRule r) => new(r.Fault, r.DeviceId, r.Command, r.Count, r.StatusCode, r.CloudKeepsChange);
}
