using System.Text.Json.Serialization;

namespace Schlage2Mqtt.Simulator.Api;

// Wire shapes of the consumer cloud (reference sections 3-5), written by the simulator.
// Property names follow the camelCase policy of ApiJsonContext unless spelled out.

/// <summary><c>{"message": "..."}</c>, the body of every REST error.</summary>
internal sealed record ErrorBody(string Message);

/// <summary><c>GET users/@me</c>.</summary>
internal sealed record CurrentUserDocument(string IdentityId, string Email, string FriendlyName, string Created, string LastUpdated);

/// <summary>A user as <c>GET users</c> and a device's <c>users[]</c> list them.</summary>
internal sealed record UserDocument(
    IReadOnlyList<string> ConsentRecords,
    string Created,
    string Email,
    string FriendlyName,
    string IdentityId,
    string Role,
    string LastUpdated);

/// <summary>An entry of a device's <c>relatedDevices[]</c> (the bridge of a Sense).</summary>
internal sealed record RelatedDevice(string DeviceId);

/// <summary>The device document of <c>GET devices/{id}</c>.</summary>
internal sealed record DeviceDocument(
    string DeviceId,
    string DevicetypeId,
    string Name,
    string ModelName,
    string SerialNumber,
    string MacAddress,
    string PhysicalId,
    bool Connected,
    string ConnectivityUpdated,
    string Created,
    string LastUpdated,
    string Role,
    [property: JsonPropertyName("CAT")] string Cat,
    [property: JsonPropertyName("SAT")] string Sat,
    int Timezone,
    IReadOnlyList<UserDocument> Users,
    IReadOnlyList<RelatedDevice> RelatedDevices,
    DeviceAttributes Attributes);

/// <summary><c>attributes</c> of a device; null members are left out, which is how an offline lock's sparse document is made.</summary>
internal sealed record DeviceAttributes
{
    [JsonPropertyName("CAT")]
    public string? Cat { get; init; }

    [JsonPropertyName("SAT")]
    public string? Sat { get; init; }

    public int? AccessCodeLength { get; init; }

    public int? AlarmSelection { get; init; }

    public int? AlarmSensitivity { get; init; }

    public int? AlarmState { get; init; }

    public int? AutoLockTime { get; init; }

    public int? BatteryLevel { get; init; }

    public int? BatteryLowState { get; init; }

    public int? BeeperEnabled { get; init; }

    public int? DoorState { get; init; }

    public string? LastTalkedTime { get; init; }

    public int? LockAndLeaveEnabled { get; init; }

    public int? LockState { get; init; }

    public LockStateMetadataDocument? LockStateMetadata { get; init; }

    public string? MacAddress { get; init; }

    public string? MainFirmwareVersion { get; init; }

    public int? MaxUserCodes { get; init; }

    public string? ModelName { get; init; }

    public string? SerialNumber { get; init; }

    public SupportedFeatures? SupportedFeatures { get; init; }

    public int? Timezone { get; init; }

    public string? WifiFirmwareVersion { get; init; }

    public int? WifiRssi { get; init; }
}

/// <summary><c>lockStateMetadata</c>: who moved the bolt last. Nulls are written, as the cloud does.</summary>
internal sealed record LockStateMetadataDocument(
    [property: JsonPropertyName("actionType"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] string ActionType,
    [property: JsonPropertyName("UUID"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Uuid,
    [property: JsonPropertyName("name"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Name,
    [property: JsonPropertyName("clientId"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? ClientId);

/// <summary><c>supportedFeatures</c> (int booleans).</summary>
internal sealed record SupportedFeatures(int ActivityAlarm, int ScheduledLocking, int Vlac, int WifiUpdateCommand);

/// <summary>An access code of <c>GET devices/{id}/storage/accesscode</c>; <c>accessCode</c> is a number.</summary>
internal sealed record AccessCodeDocument(
    [property: JsonPropertyName("accesscodeId")] string AccesscodeId,
    string FriendlyName,
    long AccessCode,
    int AccessCodeLength,
    long ActivationSecs,
    long ExpirationSecs,
    int Disabled,
    int Notification,
    ScheduleDocument Schedule1,
    ScheduleDocument? Schedule2);

/// <summary>A weekly window; <c>daysOfWeek</c> is a hex bitmask string.</summary>
internal sealed record ScheduleDocument(string DaysOfWeek, int StartHour, int StartMinute, int EndHour, int EndMinute);

/// <summary>An activity-log entry.</summary>
internal sealed record LogDocument(
    string LogId,
    string DeviceId,
    string Type,
    string CreatedAt,
    string UpdatedAt,
    string Timestamp,
    string Ttl,
    LogMessageDocument Message);

/// <summary>The <c>message</c> of a log entry. <c>clientId</c> is written as null, as the cloud does.</summary>
internal sealed record LogMessageDocument(
    int EventCode,
    int Action,
    string AccessorUuid,
    string KeypadUuid,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? ClientId,
    long SecondsSinceEpoch);

/// <summary>A notify-on-use (or other) notification.</summary>
internal sealed record NotificationDocument(
    string NotificationId,
    string UserId,
    string DeviceId,
    string DevicetypeId,
    string NotificationDefinitionId,
    bool Active,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? FilterValue,
    string CreatedAt,
    string UpdatedAt);

/// <summary>The synchronous answer of a command: <c>{"accesscodeId": ...}</c> for access-code commands, <c>{}</c> otherwise.</summary>
internal sealed record CommandResultDocument([property: JsonPropertyName("accesscodeId")] string? AccesscodeId);

/// <summary>The answer of <c>POST devices/{id}/commands?async=true</c>.</summary>
internal sealed record AsyncCommandDocument(string Id);

/// <summary>A polled async command (<c>POST devices/{id}/commands/{commandId}</c>).</summary>
internal sealed record CommandStatusDocument(
    string Id,
    string DeviceId,
    string Name,
    string State,
    CommandResultDocument? Result,
    CommandErrorDocument? Error,
    string CreatedAt,
    string UpdatedAt);

/// <summary>Why an async command failed.</summary>
internal sealed record CommandErrorDocument(int StatusCode, string Message);
