using System.Text.Json.Nodes;

namespace Schlage2Mqtt.Bridge.Contract;

/// <summary>The retained <c>&lt;base&gt;/bridge/info</c> document.</summary>
/// <param name="Version">The bridge's version.</param>
/// <param name="BaseTopic">The base topic.</param>
/// <param name="RetainedCommandGuard"><c>full</c> (MQTT 5) or <c>replay_only</c> (3.1.1): how much of a retained command the bridge can see.</param>
/// <param name="Accounts">Every configured account.</param>
/// <param name="PushSummary">The push state of all accounts in one word (the bridge device's sensor shows it), or per account when they differ.</param>
/// <param name="Locks">Every lock the bridge publishes.</param>
/// <param name="Config">The configuration summary, without secrets.</param>
public sealed record BridgeInfoPayload(
    string Version,
    string BaseTopic,
    string RetainedCommandGuard,
    IReadOnlyList<AccountSummary> Accounts,
    string PushSummary,
    IReadOnlyList<LockSummary> Locks,
    JsonObject? Config);

/// <summary>An account in <see cref="BridgeInfoPayload"/>.</summary>
/// <param name="Name">The account's configured name.</param>
/// <param name="Provider">The cloud it signs in to.</param>
/// <param name="Auth">Its sign-in state code.</param>
/// <param name="AuthMessage">Why, when it is not signed in.</param>
/// <param name="Push">Its push channel's state.</param>
/// <param name="PushDetail">More on the push state, when there is any.</param>
/// <param name="Locks">How many of the bridge's locks belong to it.</param>
public sealed record AccountSummary(string Name, string Provider, string Auth, string? AuthMessage, string Push, string? PushDetail, int Locks);

/// <summary>A lock in <see cref="BridgeInfoPayload"/>.</summary>
/// <param name="TopicId">Its topic id.</param>
/// <param name="DeviceId">The cloud's device id.</param>
/// <param name="Name">Its name.</param>
/// <param name="Model">Its model, when known.</param>
/// <param name="Account">The account it belongs to.</param>
public sealed record LockSummary(string TopicId, string DeviceId, string Name, string? Model, string Account);
