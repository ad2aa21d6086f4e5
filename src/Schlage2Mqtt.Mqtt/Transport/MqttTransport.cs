using System.Net.Security;
using System.Net.Sockets;
using System.Net.WebSockets;

namespace Schlage2Mqtt.Mqtt.Transport;

/// <summary>Opens the byte stream an MQTT connection runs over: TCP, TLS, WebSocket or secure WebSocket.</summary>
internal static class MqttTransport
{
    public static async Task<Stream> ConnectAsync(MqttServerAddress address, MqttClientOptions options, CancellationToken cancellationToken)
    {
        switch (address.Kind)
        {
            case MqttTransportKind.Tcp:
                return await ConnectTcpAsync(address, cancellationToken);
            case MqttTransportKind.Tls:
                var tcp = await ConnectTcpAsync(address, cancellationToken);
                try
                {
                    var ssl = new SslStream(tcp, leaveInnerStreamOpen: false);
                    await ssl.AuthenticateAsClientAsync(MqttTlsSetup.ClientOptions(address, options.Tls), cancellationToken);
                    return ssl;
                }
                catch
                {
                    await tcp.DisposeAsync();
                    throw;
                }
            default:
                return await ConnectWebSocketAsync(address, options, cancellationToken);
        }
    }

    private static async Task<Stream> ConnectTcpAsync(MqttServerAddress address, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(address.Host, address.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task<Stream> ConnectWebSocketAsync(MqttServerAddress address, MqttClientOptions options, CancellationToken cancellationToken)
    {
        var ws = new ClientWebSocket();
        ws.Options.AddSubProtocol("mqtt");
        ws.Options.KeepAliveInterval = TimeSpan.Zero; // MQTT keepalive does this job
        foreach (var (name, value) in options.WebSocketHeaders)
        {
            ws.Options.SetRequestHeader(name, value);
        }
        using var handler = new SocketsHttpHandler { ConnectTimeout = options.ConnectTimeout };
        if (address.IsSecure)
        {
            handler.SslOptions = MqttTlsSetup.ClientOptions(address, options.Tls);
        }
        using var invoker = new HttpMessageInvoker(handler, disposeHandler: false);
        try
        {
            await ws.ConnectAsync(address.WebSocketUri!, invoker, cancellationToken);
        }
        catch
        {
            ws.Dispose();
            throw;
        }
        if (ws.SubProtocol != "mqtt")
        {
            ws.Dispose();
            throw new MqttException($"The WebSocket server did not accept the 'mqtt' subprotocol (it answered '{ws.SubProtocol}').");
        }
        return WebSocketStream.Create(ws, WebSocketMessageType.Binary, ownsWebSocket: true);
    }
}
