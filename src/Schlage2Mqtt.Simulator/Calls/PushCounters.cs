namespace Schlage2Mqtt.Simulator.Calls;

/// <summary>What the simulator's push channel has done since it started (a <see cref="SimulatorAdmin.Reset"/> zeroes it).</summary>
/// <param name="BrokerUrl">The broker clients are sent to (<see cref="SimulatorOptions.PushBrokerUrl"/>), or null when push is off.</param>
/// <param name="PublisherConnected">Whether the simulator's publishing client is connected to the broker now.</param>
/// <param name="Published">Push messages handed to the broker.</param>
/// <param name="Dropped">Push messages given up (the queue overflowed while the broker was away, or publishing kept failing).</param>
/// <param name="PhoneAppConnections">Connections the simulated phone app made (each one takes the client id from whoever held it).</param>
/// <param name="Accounts">Per account: client id, topic, whether push is on, and any eviction in progress.</param>
public sealed record PushCounters(
    Uri? BrokerUrl,
    bool PublisherConnected,
    long Published,
    long Dropped,
    long PhoneAppConnections,
    IReadOnlyList<PushAccountStatus> Accounts);

/// <summary>One account's push channel as the simulator sees it.</summary>
/// <param name="Email">The account.</param>
/// <param name="ClientId">The MQTT client id <c>users/wss</c> answers (stable, shared with the phone app).</param>
/// <param name="Topic">The topic filter <c>users/wss</c> answers.</param>
/// <param name="Enabled">False when push is disabled for the account (<c>users/wss</c> answers 404).</param>
/// <param name="Eviction"><c>once</c> or <c>persistent</c> while the phone app is playing, else null.</param>
public sealed record PushAccountStatus(string Email, string ClientId, string Topic, bool Enabled, string? Eviction);
