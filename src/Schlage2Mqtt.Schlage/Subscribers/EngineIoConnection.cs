using System.Buffers;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Schlage2Mqtt.Cloud;

namespace Schlage2Mqtt.Schlage.Subscribers;

/// <summary>
/// A minimal Socket.IO v5 client over an Engine.IO v4 websocket (no polling transport, default namespace only):
/// the server opens with <c>0{"sid", "pingInterval", "pingTimeout", ...}</c>, the client joins with <c>40</c> and the server
/// confirms with <c>40{...}</c> (or refuses with <c>44{...}</c>); events arrive as <c>42["name", payload]</c>; the server
/// pings with <c>2</c> and the client answers <c>3</c>. A server silent for longer than pingInterval + pingTimeout is
/// taken as gone. All time is the given <see cref="TimeProvider"/>.
/// </summary>
internal sealed class EngineIoConnection : IAsyncDisposable
{
    private const int MaxMessageBytes = 1 << 20;
    private readonly ClientWebSocket _ws;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _sendGate = new(1, 1);

    private EngineIoConnection(ClientWebSocket ws, TimeProvider time)
    {
        _ws = ws;
        _time = time;
    }

    /// <summary>The server's ping interval (from its open packet).</summary>
    public TimeSpan PingInterval { get; private set; } = TimeSpan.FromSeconds(25);

    /// <summary>How long the server waits for a pong (from its open packet).</summary>
    public TimeSpan PingTimeout { get; private set; } = TimeSpan.FromSeconds(20);

    /// <summary>The websocket URL with the Engine.IO query and the subscriber id.</summary>
    public static Uri EndpointFor(Uri endpoint, string subscriberId) =>
        new UriBuilder(endpoint) { Query = "EIO=4&transport=websocket&subscriberID=" + Uri.EscapeDataString(subscriberId) }.Uri;

    /// <summary>Opens the websocket and joins the default namespace.</summary>
    /// <exception cref="SubscriberRejectedException">The server does not know the subscriber (4xx, connect_error).</exception>
    public static async Task<EngineIoConnection> ConnectAsync(Uri endpoint, string subscriberId, TimeProvider time, TimeSpan handshakeTimeout, CancellationToken cancellationToken)
    {
        var ws = new ClientWebSocket();
        ws.Options.CollectHttpResponseDetails = true;
        // Engine.IO has its own heartbeat.
        ws.Options.KeepAliveInterval = TimeSpan.Zero;
        using var timeout = new CancellationTokenSource(handshakeTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await ws.ConnectAsync(EndpointFor(endpoint, subscriberId), linked.Token);
        }
        catch (WebSocketException) when ((int)ws.HttpStatusCode is >= 400 and < 500)
        {
            var status = (int)ws.HttpStatusCode;
            ws.Dispose();
            throw new SubscriberRejectedException(status, $"the subscriber websocket was refused with HTTP {status}");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            ws.Dispose();
            throw new PushChannelException("the subscriber websocket did not open in time");
        }
        catch (Exception e) when (e is WebSocketException or HttpRequestException)
        {
            var status = (int)ws.HttpStatusCode;
            ws.Dispose();
            throw new PushChannelException(status > 0
                ? string.Create(CultureInfo.InvariantCulture, $"the subscriber websocket answered HTTP {status}")
                : $"could not open the subscriber websocket ({e.GetType().Name})");
        }
        catch
        {
            ws.Dispose();
            throw;
        }

        var connection = new EngineIoConnection(ws, time);
        try
        {
            await connection.HandshakeAsync(linked.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            await connection.DisposeAsync();
            throw new PushChannelException("the subscriber websocket did not complete the Socket.IO handshake in time");
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        return connection;
    }

    private async Task HandshakeAsync(CancellationToken cancellationToken)
    {
        var open = await ReceiveAsync(cancellationToken) ?? throw new PushChannelException("the subscriber websocket closed during the handshake");
        if (open.Length == 0 || open[0] != '0')
        {
            throw new PushChannelException("the subscriber websocket did not start with an Engine.IO open packet");
        }
        ReadOpen(open.AsSpan(1));
        await SendAsync("40", cancellationToken);
        while (true)
        {
            var packet = await ReceiveAsync(cancellationToken) ?? throw new PushChannelException("the subscriber websocket closed during the handshake");
            if (packet == "2")
            {
                await SendAsync("3", cancellationToken);
            }
            else if (packet.StartsWith("40", StringComparison.Ordinal))
            {
                return;
            }
            else if (packet.StartsWith("44", StringComparison.Ordinal))
            {
                throw new SubscriberRejectedException(null, "the server refused the subscriber (Socket.IO connect_error)");
            }
        }
    }

    private void ReadOpen(ReadOnlySpan<char> json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json.ToString());
            if (doc.RootElement.TryGetProperty("pingInterval", out var interval) && interval.TryGetInt32(out var ms) && ms > 0)
            {
                PingInterval = TimeSpan.FromMilliseconds(ms);
            }
            if (doc.RootElement.TryGetProperty("pingTimeout", out var timeout) && timeout.TryGetInt32(out var tms) && tms > 0)
            {
                PingTimeout = TimeSpan.FromMilliseconds(tms);
            }
        }
        catch (JsonException)
        {
            throw new PushChannelException("the subscriber websocket's open packet is not JSON");
        }
    }

    /// <summary>Reads packets until the session ends; returns why it ended. Each <c>data</c> event goes to <paramref name="onData"/>.</summary>
    /// <exception cref="SubscriberRejectedException">The server refused the subscriber mid-session.</exception>
    public async Task<string> RunAsync(Func<JsonElement, CancellationToken, ValueTask> onData, CancellationToken cancellationToken)
    {
        var silence = PingInterval + PingTimeout;
        while (true)
        {
            string? packet;
            using (var watchdog = new CancellationTokenSource(silence, _time))
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, watchdog.Token))
            {
                try
                {
                    packet = await ReceiveAsync(linked.Token);
                }
                catch (OperationCanceledException) when (watchdog.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    return $"the server sent no ping within {PushChannelBase.Describe(silence)}";
                }
                catch (WebSocketException e)
                {
                    return $"the websocket broke ({e.WebSocketErrorCode})";
                }
            }
            switch (packet)
            {
                case null:
                    return "the server closed the websocket";
                case "2":
                    await SendAsync("3", cancellationToken);
                    continue;
                case "1":
                    return "the server closed the Engine.IO session";
                case "3" or "6":
                    continue;
            }
            if (packet.StartsWith("42", StringComparison.Ordinal))
            {
                if (ReadEvent(packet.AsSpan(2)) is ("data", { } payload))
                {
                    await onData(payload, cancellationToken);
                }
            }
            else if (packet.StartsWith("41", StringComparison.Ordinal))
            {
                return "the server disconnected the subscriber";
            }
            else if (packet.StartsWith("44", StringComparison.Ordinal))
            {
                throw new SubscriberRejectedException(null, "the server refused the subscriber (Socket.IO connect_error)");
            }
        }
    }

    /// <summary>Reads <c>["name", payload]</c> after the packet type, skipping a namespace (<c>/ns,</c>) and an ack id.</summary>
    internal static (string? Name, JsonElement? Payload) ReadEvent(ReadOnlySpan<char> body)
    {
        if (body.Length > 0 && body[0] == '/')
        {
            var comma = body.IndexOf(',');
            body = comma < 0 ? [] : body[(comma + 1)..];
        }
        var digits = 0;
        while (digits < body.Length && char.IsAsciiDigit(body[digits]))
        {
            digits++;
        }
        body = body[digits..];
        try
        {
            using var doc = JsonDocument.Parse(body.ToString());
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Array || root.GetArrayLength() == 0 || root[0].ValueKind != JsonValueKind.String)
            {
                return (null, null);
            }
            return (root[0].GetString(), root.GetArrayLength() > 1 ? root[1].Clone() : null);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    private async Task<string?> ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(8192);
        try
        {
            using var message = new MemoryStream();
            while (true)
            {
                var result = await _ws.ReceiveAsync(buffer.AsMemory(), cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return null;
                }
                message.Write(buffer, 0, result.Count);
                if (message.Length > MaxMessageBytes)
                {
                    throw new PushChannelException("the subscriber websocket sent a message larger than 1 MB");
                }
                if (result.EndOfMessage)
                {
                    // Binary frames are Engine.IO binary attachments, which the subscriber API does not use.
                    return result.MessageType == WebSocketMessageType.Text ? Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length) : "";
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task SendAsync(string packet, CancellationToken cancellationToken)
    {
        await _sendGate.WaitAsync(cancellationToken);
        try
        {
            await _ws.SendAsync(Encoding.UTF8.GetBytes(packet), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        finally
        {
            _sendGate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_ws.State == WebSocketState.Open)
        {
            try
            {
                await SendAsync("41", CancellationToken.None);
                await _ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            }
            catch (Exception e) when (e is WebSocketException or ObjectDisposedException or InvalidOperationException)
            {
                // Closing politely failed; the socket goes anyway.
            }
        }
        _ws.Dispose();
        _sendGate.Dispose();
    }
}
