namespace Schlage2Mqtt.Simulator;

/// <summary>A websocket subscriber of the seed-004 subscriber API, for tests and <c>GET /admin/subscribers</c>.</summary>
/// <param name="SubscriberId">The id the websocket's <c>?subscriberID=</c> names.</param>
/// <param name="AccountEmail">The account it belongs to.</param>
/// <param name="Scopes">Its scopes (<c>lock</c>).</param>
/// <param name="Connections">Socket.IO sessions joined with it right now.</param>
/// <param name="PingsSent">Engine.IO pings the server sent on those sessions (and earlier ones of this subscriber).</param>
/// <param name="PongsReceived">Pongs the server received for them.</param>
/// <param name="EventsSent">`data` events sent to it.</param>
public sealed record SimulatedSubscriber(
    string SubscriberId,
    string AccountEmail,
    IReadOnlyList<string> Scopes,
    int Connections,
    long PingsSent,
    long PongsReceived,
    long EventsSent);
