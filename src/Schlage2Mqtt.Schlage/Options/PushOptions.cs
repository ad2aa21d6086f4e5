using Schlage2Mqtt.Cloud;

namespace Schlage2Mqtt.Schlage.Options;

/// <summary>Which real-time channel an account's push updates come from.</summary>
public enum PushMode
{
    /// <summary>No push: polling only.</summary>
    Off,

    /// <summary>The consumer cloud's AWS IoT MQTT-over-WebSocket channel (<c>GET users/wss</c>, reference section 8). The default.</summary>
    ConsumerCloud,

    /// <summary>The August/Yale-style subscriber API of seed 004 (<c>POST /websocket/subscribers</c> and a Socket.IO websocket).</summary>
    Subscribers,
}

/// <summary>
/// Push settings shared by every account. Field paths in validation errors use the config spelling under
/// <c>schlage.push</c> (e.g. <c>push.subscriber_api_url</c>). Push complements polling: whatever happens here,
/// polling goes on.
/// </summary>
public sealed record PushOptions
{
    // The lifecycle defaults are the neutral channel's (Schlage2Mqtt.Cloud): stated once, so the two cannot drift.
    private static readonly PushChannelOptions Lifecycle = new();
    private static readonly PushEvictionOptions Eviction = new();

    /// <summary>Which channel to use (default the consumer cloud's).</summary>
    public PushMode Mode { get; init; } = PushMode.ConsumerCloud;

    /// <summary>Base URL of the subscriber API (seed 004), e.g. <c>https://host/api</c>; required when <see cref="Mode"/> is <see cref="PushMode.Subscribers"/>.</summary>
    public Uri? SubscriberApiBaseUrl { get; init; }

    /// <summary>
    /// The Socket.IO endpoint of the subscriber API; null derives it from <see cref="SubscriberApiBaseUrl"/>
    /// (<c>http</c> becomes <c>ws</c>, <c>https</c> <c>wss</c>, and <c>/socket.io/</c> is appended to the path).
    /// </summary>
    public Uri? SubscriberWebSocketUrl { get; init; }

    /// <summary>First reconnect delay after a lost connection (grows exponentially, with jitter).</summary>
    public TimeSpan ReconnectDelay { get; init; } = Lifecycle.ReconnectDelay;

    /// <summary>Longest reconnect delay in ordinary backoff.</summary>
    public TimeSpan MaxReconnectDelay { get; init; } = Lifecycle.MaxReconnectDelay;

    /// <summary>Random spread of every delay, as a fraction (0.2 = ±20%).</summary>
    public double Jitter { get; init; } = Lifecycle.Jitter;

    /// <summary>A connection that lasts this long is stable: it resets the backoff, ends an eviction, and does not count as short.</summary>
    public TimeSpan StableConnectionTime { get; init; } = Lifecycle.StableConnectionTime;

    /// <summary>This many short connections (each under <see cref="StableConnectionTime"/>) within <see cref="EvictionWindow"/> mean another client (the phone app) keeps taking the connection.</summary>
    public int EvictionConnections { get; init; } = Eviction.Connections;

    /// <summary>The window in which <see cref="EvictionConnections"/> short connections mean eviction.</summary>
    public TimeSpan EvictionWindow { get; init; } = Eviction.Window;

    /// <summary>Shortest wait before trying again once evicted (the actual wait is random between this and <see cref="EvictedBackoffMax"/>).</summary>
    public TimeSpan EvictedBackoffMin { get; init; } = Eviction.BackoffMin;

    /// <summary>Longest wait before trying again once evicted.</summary>
    public TimeSpan EvictedBackoffMax { get; init; } = Eviction.BackoffMax;

    /// <summary>How often the consumer cloud's spurious 400 to <c>users/wss</c> is retried before the attempt counts as failed.</summary>
    public int DetailsRetries { get; init; } = 3;

    /// <summary>First delay between those retries (doubling, with jitter).</summary>
    public TimeSpan DetailsRetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>MQTT keepalive of the AWS IoT connection (AWS IoT accepts 30-1200 s).</summary>
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The Socket.IO endpoint actually used (null when no base URL is set).</summary>
    public Uri? EffectiveSubscriberWebSocketUrl
    {
        get
        {
            if (SubscriberWebSocketUrl is not null)
            {
                return SubscriberWebSocketUrl;
            }
            if (SubscriberApiBaseUrl is not { IsAbsoluteUri: true } api)
            {
                return null;
            }
            var builder = new UriBuilder(api)
            {
                Scheme = api.Scheme == Uri.UriSchemeHttps ? "wss" : "ws",
                Path = api.AbsolutePath.TrimEnd('/') + "/socket.io/",
                Query = "",
            };
            return builder.Uri;
        }
    }
}
