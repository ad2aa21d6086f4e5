using Schlage2Mqtt.Simulator.Subscribers;

namespace Schlage2Mqtt.Simulator;

/// <summary>
/// Drives the seed-004 subscriber API (<c>/partner/websocket/subscribers</c> and its Socket.IO socket): list
/// subscribers, make the server forget them (the client's next read or join gets a 4xx), cut sockets, or turn the API
/// off (404 everywhere). Also served under <c>/admin/subscribers</c>.
/// </summary>
public sealed class SubscriberAdmin
{
    private readonly SubscriberHub _hub;

    internal SubscriberAdmin(SubscriberHub hub)
    {
        _hub = hub;
    }

    /// <summary>Whether the API offers subscribers; false answers 404 to every subscriber route and the socket.</summary>
    public bool Enabled
    {
        get => _hub.Enabled;
        set => _hub.Enabled = value;
    }

    /// <summary>The subscribers the server knows, oldest first, with their live connections and counters.</summary>
    public IReadOnlyList<SimulatedSubscriber> List() => _hub.List();

    /// <summary>The server forgets a subscriber (expired or deleted elsewhere): its sockets get a Socket.IO disconnect; false if unknown.</summary>
    public bool Expire(string subscriberId) => _hub.Delete(subscriberId);

    /// <summary>Forgets every subscriber (of one account when <paramref name="email"/> is set); returns how many.</summary>
    public int ExpireAll(string? email = null) => _hub.DeleteAll(email);

    /// <summary>Cuts every subscriber socket (of one account) without a close handshake, as a network drop does; returns how many.</summary>
    public int DropConnections(string? email = null) => _hub.DropConnections(email);
}
