using System.Text.Json.Serialization;
using Schlage2Mqtt.Simulator.Json;

namespace Schlage2Mqtt.Simulator;

/// <summary>
/// Everything a <see cref="SchlageCloudSimulator"/> is built from. Defaults mirror the real cloud. Its JSON
/// (any serializer, source-generated included) keeps the defaults of members the JSON leaves out.
/// </summary>
[JsonConverter(typeof(SimulatorOptionsJsonConverter))]
public sealed record SimulatorOptions
{
    /// <summary>Seed for every id, salt and key the simulator generates: same seed and same script give the same world.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>TCP port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>The required <c>X-Api-Key</c> value.</summary>
    public string ApiKey { get; init; } = SimulatorDefaults.ApiKey;

    /// <summary>Cognito user pool id (<c>region_poolName</c>).</summary>
    public string UserPoolId { get; init; } = SimulatorDefaults.UserPoolId;

    /// <summary>App clients allowed to log in. Default: the pyschlage client (with secret) and the seed-000 client (without).</summary>
    public IReadOnlyList<AppClientDefinition> AppClients { get; init; } =
    [
        new(SimulatorDefaults.ClientId, SimulatorDefaults.ClientSecret),
        new(SimulatorDefaults.PublicClientId, null),
    ];

    /// <summary>Accounts (Cognito users) and their locks.</summary>
    public IReadOnlyList<AccountDefinition> Accounts { get; init; } = [];

    /// <summary>Lifetime of access and id tokens (Cognito's default: one hour).</summary>
    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Lifetime of refresh tokens.</summary>
    public TimeSpan RefreshTokenLifetime { get; init; } = TimeSpan.FromDays(30);

    /// <summary>How long a PASSWORD_VERIFIER challenge stays answerable.</summary>
    public TimeSpan SrpChallengeLifetime { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>How far a challenge TIMESTAMP may be from the simulator's clock.</summary>
    public TimeSpan TimestampTolerance { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long after a remote lock/unlock (or an async command) the lock acts.</summary>
    public TimeSpan CommandLatency { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a synchronous <c>POST devices/{id}/commands</c> holds the response (0 answers at once).</summary>
    public TimeSpan SyncCommandLatency { get; init; } = TimeSpan.Zero;

    /// <summary>How long an async command whose lock never answers stays Pending before it is Failed.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Wrong keypad codes in a row that disable the keypad (event 11).</summary>
    public int KeypadLockoutAttempts { get; init; } = 5;

    /// <summary>How long the keypad stays disabled after too many wrong codes.</summary>
    public TimeSpan KeypadLockoutDuration { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How long activity-log entries are kept (about 30 days on the real cloud).</summary>
    public TimeSpan LogRetention { get; init; } = TimeSpan.FromDays(30);

    /// <summary>How many call records the call log keeps (counters keep counting past it).</summary>
    public int CallLogCapacity { get; init; } = 100_000;

    /// <summary>Engine.IO pingInterval of the subscriber socket (socket.io's default: 25 s).</summary>
    public TimeSpan SubscriberPingInterval { get; init; } = TimeSpan.FromSeconds(25);

    /// <summary>Engine.IO pingTimeout of the subscriber socket: no pong within it closes the socket (socket.io's default: 20 s).</summary>
    public TimeSpan SubscriberPingTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// The push channel's broker as clients reach it: a <c>ws://</c> (or <c>wss://</c>) URL of an MQTT-over-WebSocket
    /// listener, e.g. mosquitto's <c>listener 9001</c> + <c>protocol websockets</c> (<c>ws://127.0.0.1:9001/mqtt</c>).
    /// <c>GET users/wss</c> answers it as <c>wssUri</c> with a fake presigned query appended, and the simulator publishes
    /// <c>{"reported": ...}</c> there on every device change. Null: no push channel; <c>users/wss</c> answers 404, as the
    /// real cloud does for an account without push.
    /// </summary>
    public Uri? PushBrokerUrl { get; init; }

    /// <summary>
    /// Where the simulator itself connects to publish and to play the phone app (<c>mqtt://</c>, <c>ws://</c>, ...); it
    /// must be the same broker as <see cref="PushBrokerUrl"/>. Null: <see cref="PushBrokerUrl"/>.
    /// </summary>
    public Uri? PushPublishUrl { get; init; }

    /// <summary>How long the simulated phone app waits before it reconnects after being kicked, during a persistent eviction (real time).</summary>
    public TimeSpan PhoneAppReconnectDelay { get; init; } = TimeSpan.FromSeconds(1);
}

/// <summary>A Cognito app client.</summary>
/// <param name="ClientId">The app client id.</param>
/// <param name="ClientSecret">Its secret; when set, every auth call must carry a matching SECRET_HASH.</param>
public sealed record AppClientDefinition(string ClientId, string? ClientSecret);

/// <summary>A Schlage Home account: a Cognito user plus the cloud user and the locks they own. Its JSON keeps the defaults of members the JSON leaves out.</summary>
[JsonConverter(typeof(AccountDefinitionJsonConverter))]
public sealed record AccountDefinition
{
    /// <summary>Login email; stored lower case, and looked up case-sensitively as Cognito does.</summary>
    public required string Email { get; init; }

    /// <summary>The password the SRP verifier is derived from.</summary>
    public required string Password { get; init; }

    /// <summary>Cognito's internal username (USER_ID_FOR_SRP, the token <c>sub</c>); generated from the seed when null.</summary>
    public string? UserIdForSrp { get; init; }

    /// <summary>The cloud user id (<c>identityId</c>); generated from the seed when null.</summary>
    public string? IdentityId { get; init; }

    /// <summary>Display name (<c>friendlyName</c>).</summary>
    public string FriendlyName { get; init; } = "Schlage User";

    /// <summary>Whether the Cognito user is confirmed (UserNotConfirmedException otherwise).</summary>
    public bool Confirmed { get; init; } = true;

    /// <summary>Locks on this account, in listing order.</summary>
    public IReadOnlyList<LockDefinition> Locks { get; init; } = [];
}
