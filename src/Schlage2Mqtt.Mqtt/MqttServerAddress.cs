namespace Schlage2Mqtt.Mqtt;

/// <summary>The kind of connection a server URL asks for.</summary>
public enum MqttTransportKind
{
    /// <summary><c>mqtt://</c> (also <c>tcp://</c>): plain TCP.</summary>
    Tcp,

    /// <summary><c>mqtts://</c> (also <c>ssl://</c>, <c>tls://</c>): TLS over TCP.</summary>
    Tls,

    /// <summary><c>ws://</c>: WebSocket.</summary>
    WebSocket,

    /// <summary><c>wss://</c>: WebSocket over TLS.</summary>
    SecureWebSocket,
}

/// <summary>A parsed broker URL with defaults applied.</summary>
/// <param name="Kind">Transport.</param>
/// <param name="Host">Host name or address.</param>
/// <param name="Port">TCP port (default 1883, 8883, 80 or 443 by scheme).</param>
/// <param name="WebSocketUri">For WebSocket kinds, the full <c>ws(s)://</c> URI to open (path defaults to <c>/mqtt</c>); otherwise <see langword="null"/>.</param>
public sealed record MqttServerAddress(MqttTransportKind Kind, string Host, int Port, Uri? WebSocketUri)
{
    /// <summary>True for <c>mqtts://</c> and <c>wss://</c>.</summary>
    public bool IsSecure => Kind is MqttTransportKind.Tls or MqttTransportKind.SecureWebSocket;

    /// <summary>Parses a server URL; throws <see cref="ArgumentException"/> naming the <c>Server</c> field when invalid.</summary>
    public static MqttServerAddress Parse(string? server)
    {
        if (string.IsNullOrWhiteSpace(server))
        {
            throw new ArgumentException("MQTT option Server: must be set, for example mqtt://localhost:1883.", nameof(server));
        }
        if (!Uri.TryCreate(server, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new ArgumentException($"MQTT option Server: '{server}' is not a URL such as mqtt://host:1883, mqtts://host:8883, ws://host/mqtt or wss://host/mqtt.", nameof(server));
        }
        var (kind, defaultPort) = uri.Scheme.ToLowerInvariant() switch
        {
            "mqtt" or "tcp" => (MqttTransportKind.Tcp, 1883),
            "mqtts" or "ssl" or "tls" => (MqttTransportKind.Tls, 8883),
            "ws" => (MqttTransportKind.WebSocket, 80),
            "wss" => (MqttTransportKind.SecureWebSocket, 443),
            _ => throw new ArgumentException($"MQTT option Server: scheme '{uri.Scheme}' is not supported; use mqtt, mqtts, ws or wss.", nameof(server)),
        };
        var port = uri.IsDefaultPort || uri.Port <= 0 ? defaultPort : uri.Port;
        Uri? wsUri = null;
        if (kind is MqttTransportKind.WebSocket or MqttTransportKind.SecureWebSocket)
        {
            var builder = new UriBuilder(uri) { Port = port };
            if (string.IsNullOrEmpty(uri.AbsolutePath) || uri.AbsolutePath == "/")
            {
                builder.Path = "/mqtt";
            }
            wsUri = builder.Uri;
        }
        return new MqttServerAddress(kind, uri.IdnHost, port, wsUri);
    }

    /// <inheritdoc />
    public override string ToString() => WebSocketUri is { } ws
        ? $"{ws.Scheme}://{ws.Authority}{ws.AbsolutePath}"
        : $"{(Kind == MqttTransportKind.Tls ? "mqtts" : "mqtt")}://{Host}:{Port}";
}
