using System.Text.Json.Serialization;
using Schlage2Mqtt.Simulator.Json;

namespace Schlage2Mqtt.Simulator.Faults;

/// <summary>Field failures of access-code commands (reference section 4, seed 001).</summary>
public enum AccessCodeFault
{
    /// <summary>The lock never acknowledges: sync 502 "Nack ...", async Failed "Nack"; the code never reaches the lock.</summary>
    Nack,

    /// <summary>The lock never answers: sync 504 "Endpoint request timed out", async Pending until the command timeout, then Failed.</summary>
    Timeout,

    /// <summary>Split brain: the lock says the code or its name is already in use (400).</summary>
    AlreadyInUse,

    /// <summary>Split brain: the lock says the access code id is not on it (400).</summary>
    NotFoundOnDevice,

    /// <summary>The lock refuses the schedule: 400 "Schedule parameters are not valid".</summary>
    ScheduleInvalid,

    /// <summary>Lock desync: 400 "User not found in the device".</summary>
    UserNotFound,

    /// <summary>The cloud fails: 500, nothing applied (the classic "500 on update").</summary>
    ServerError,

    /// <summary>The gateway gives up (502/504) although the command is carried out (the classic "504 on add while created").</summary>
    GatewayErrorButApplied,
}

/// <summary>
/// A fault for access-code commands matching device and command, for the next <see cref="Count"/> of them. Its JSON
/// keeps the defaults of members the JSON leaves out.
/// </summary>
[JsonConverter(typeof(AccessCodeFaultRuleJsonConverter))]
public sealed record AccessCodeFaultRule
{
    /// <summary>The failure to play.</summary>
    public required AccessCodeFault Fault { get; init; }

    /// <summary>Only commands to this device; null for any.</summary>
    public string? DeviceId { get; init; }

    /// <summary>Only this command (<c>addaccesscode</c>, <c>updateaccesscode</c>, <c>deleteaccesscode</c>); null for any of them.</summary>
    public string? Command { get; init; }

    /// <summary>How many matching commands the rule affects; null until removed.</summary>
    public int? Count { get; init; }

    /// <summary>Status of <see cref="AccessCodeFault.GatewayErrorButApplied"/> (502 or 504).</summary>
    public int StatusCode { get; init; } = 504;

    /// <summary>
    /// For <see cref="AccessCodeFault.Nack"/> and <see cref="AccessCodeFault.Timeout"/>: the cloud records the change
    /// although the lock never got it (cloud and lock now disagree: split brain).
    /// </summary>
    public bool CloudKeepsChange { get; init; }
}
