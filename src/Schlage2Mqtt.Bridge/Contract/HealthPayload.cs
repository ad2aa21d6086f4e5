using System.Text.Json.Serialization;

namespace Schlage2Mqtt.Bridge.Contract;

/// <summary>The retained <c>&lt;base&gt;/bridge/health</c> document, also the data of the <c>health_check</c> request.</summary>
/// <param name="Healthy">True when MQTT is connected and every account is signed in and polling.</param>
/// <param name="Problems">Why not, one sentence per cause naming the fix.</param>
/// <param name="UptimeS">Seconds since the bridge started.</param>
/// <param name="Mqtt">The broker connection.</param>
/// <param name="Cloud">Cloud calls per account.</param>
/// <param name="Bridge">The bridge's own counters.</param>
/// <param name="Process">The process's memory.</param>
public sealed record HealthPayload(bool Healthy, IReadOnlyList<string> Problems, long UptimeS, MqttHealth Mqtt, IReadOnlyList<CloudHealth> Cloud, BridgeHealth Bridge,
    ProcessHealth Process);

/// <summary>The <c>mqtt</c> part of <see cref="HealthPayload"/>.</summary>
/// <param name="Connected">Connected to the broker.</param>
/// <param name="MessagesReceived">Messages received.</param>
/// <param name="MessagesPublished">Messages published.</param>
/// <param name="Reconnects">Reconnects.</param>
/// <param name="Dropped">Messages dropped (queue full).</param>
/// <param name="Refused">Publishes the broker's announced limits ruled out.</param>
/// <param name="Queued">Messages waiting to be sent.</param>
public sealed record MqttHealth(bool Connected, long MessagesReceived, long MessagesPublished, long Reconnects, long Dropped, long Refused, int Queued);

/// <summary>One account in the <c>cloud</c> part of <see cref="HealthPayload"/>.</summary>
/// <param name="Account">The account's name.</param>
/// <param name="Auth">Its sign-in state code.</param>
/// <param name="AuthMessage">Why, when it is not signed in.</param>
/// <param name="Calls">Cloud calls made.</param>
/// <param name="Errors">Calls that failed.</param>
/// <param name="Throttled">Calls throttled.</param>
/// <param name="AvgLatencyMs">Mean latency, milliseconds, one decimal.</param>
/// <param name="MaxLatencyMs">Largest latency, milliseconds, one decimal.</param>
/// <param name="CircuitOpen">True while the circuit breaker holds calls back.</param>
/// <param name="Polls">Polls made.</param>
/// <param name="LastPoll">When it was last polled.</param>
/// <param name="LastPollOk">Whether that poll succeeded.</param>
/// <param name="LastError">The last failure's message.</param>
public sealed record CloudHealth(
    string Account,
    string Auth,
    string? AuthMessage,
    long Calls,
    long Errors,
    long Throttled,
    double AvgLatencyMs,
    double MaxLatencyMs,
    bool CircuitOpen,
    long Polls,
    DateTimeOffset? LastPoll,
    bool? LastPollOk,
    string? LastError);

/// <summary>The <c>bridge</c> part of <see cref="HealthPayload"/>.</summary>
/// <param name="Locks">Locks published.</param>
/// <param name="Commands">Commands handled.</param>
/// <param name="Requests">Requests handled.</param>
/// <param name="RetainedDropped">Retained commands ignored.</param>
/// <param name="Rejected">Commands refused as invalid.</param>
/// <param name="PublishFailures">Publishes that failed.</param>
public sealed record BridgeHealth(int Locks, long Commands, long Requests, long RetainedDropped, long Rejected, long PublishFailures);

/// <summary>The <c>process</c> part of <see cref="HealthPayload"/>: what the process holds, to tell a leak from a heap that has not shrunk.</summary>
/// <param name="RssBytes">Resident memory of the process, bytes.</param>
/// <param name="GcHeapBytes">Managed heap allocated now, garbage included; right after a full collection, the live set.</param>
/// <param name="GcCommittedBytes">Memory the garbage collector had committed at its last collection (0 before the first).</param>
/// <param name="GcServer">True when the server garbage collector runs.</param>
public sealed record ProcessHealth(long RssBytes, long GcHeapBytes, long GcCommittedBytes, bool GcServer)
{
    /// <summary>
    /// Only in a <c>health_check</c> answer that asked for <c>{"full_gc": true}</c>: <c>collected</c> when the full
    /// collection ran first, <c>rate_limited</c> when one ran too recently.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? FullGc { get; init; }
}
