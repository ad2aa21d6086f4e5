using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Schlage2Mqtt.Simulator.Subscribers;

/// <summary>
/// One Socket.IO v5 session over an Engine.IO v4 websocket (no polling transport), as a socket.io server with
/// <c>transports: ["websocket"]</c> speaks it: the server opens with <c>0{sid, upgrades, pingInterval, pingTimeout,
/// maxPayload}</c>; the client joins the default namespace with <c>40</c> and gets <c>40{"sid"}</c>, or
/// <c>44{"message"}</c> (connect_error) when its <c>?subscriberID=</c> is unknown; events go out as
/// <c>42["data",{...}]</c>. The server pings (<c>2</c>) every pingInterval and closes the websocket when no pong
/// (<c>3</c>) comes within pingTimeout; the next ping is due pingInterval after the pong, as engine.io schedules it.
/// Every send goes through one queue and one writer. After the server closes, the client has pingTimeout to answer
/// the close frame before the connection is cut.
/// </summary>
internal sealed class SocketIoSession : IDisposable
{
    private const int MaxPayload = 1_000_000;
    private readonly HttpContext _context;
    private readonly WebSocket _ws;
    private readonly SubscriberHub _hub;
    private readonly TimeProvider _time;
    private readonly TimeSpan _pingInterval;
    private readonly TimeSpan _pingTimeout;
    private readonly string? _subscriberId;
    private readonly ILogger _logger;
    private readonly Channel<string> _outbox = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _end;
    private TaskCompletionSource? _pong;
    private volatile SubscriberState? _subscriber;
    private volatile bool _done;
    private volatile bool _aborted;

    public SocketIoSession(HttpContext context, WebSocket ws, SubscriberHub hub, SimulatorRuntime runtime, string? subscriberId)
    {
        _context = context;
        _ws = ws;
        _hub = hub;
        _time = runtime.Time;
        _pingInterval = runtime.Options.SubscriberPingInterval;
        _pingTimeout = runtime.Options.SubscriberPingTimeout;
        _subscriberId = subscriberId;
        _logger = runtime.LoggerFactory.CreateLogger<SocketIoSession>();
        _end = new CancellationTokenSource(Timeout.InfiniteTimeSpan, runtime.Time);
        Sid = hub.NewSid();
    }

    /// <summary>The Engine.IO session id.</summary>
    public string Sid { get; }

    /// <summary>The subscriber this session joined with; null before the join or after a disconnect.</summary>
    public SubscriberState? Subscriber
    {
        get => _subscriber;
        set => _subscriber = value;
    }

    /// <summary>Queues <c>42["name", payload]</c>; false when the session is closing.</summary>
    public bool SendEvent(string name, SubscriberEvent payload) =>
        _outbox.Writer.TryWrite("42[" + JsonSerializer.Serialize(name, SubscriberJsonContext.Default.String) + "," + JsonSerializer.Serialize(payload, SubscriberJsonContext.Default.SubscriberEvent) + "]");

    /// <summary>The server forgot the subscriber: a Socket.IO disconnect (<c>41</c>), then the websocket closes.</summary>
    public void DisconnectFromServer()
    {
        _subscriber = null;
        _outbox.Writer.TryWrite("41");
        _outbox.Writer.TryComplete();
    }

    /// <summary>The network drops the connection: no close handshake, the TCP connection is reset.</summary>
    public void Abort()
    {
        _subscriber = null;
        // Flagged and cut before the outbox completes: a completed outbox ends the write loop, which would otherwise
        // send a close frame, and a dropped connection has no close handshake.
        _aborted = true;
        if (!_done)
        {
            // Before the request ends the context is still this connection's (Kestrel reuses it afterwards).
            _context.Abort();
            try
            {
                _end.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The session ended already.
            }
        }
        _outbox.Writer.TryComplete();
    }

    public void Dispose() => _end.Dispose();

    public async Task RunAsync(CancellationToken requestAborted)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, _end.Token);
        var ct = linked.Token;
        var open = new EngineIoOpen(Sid, [], (long)_pingInterval.TotalMilliseconds, (long)_pingTimeout.TotalMilliseconds, MaxPayload);
        _outbox.Writer.TryWrite("0" + JsonSerializer.Serialize(open, SubscriberJsonContext.Default.EngineIoOpen));
        var writer = WriteLoopAsync(ct);
        // Arms the first ping before any packet is read, so a session that has joined always has its next ping armed.
        var pinger = PingLoopAsync(ct);
        try
        {
            await ReadLoopAsync(ct);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException or ConnectionAbortedException)
        {
            // Cut, aborted or stopped: the session is over.
        }
        finally
        {
            _subscriber = null;
            _outbox.Writer.TryComplete();
            _done = true;
            await writer.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await _end.CancelAsync();
            await pinger.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task ReadLoopAsync(CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(8192);
        try
        {
            using var message = new MemoryStream();
            while (true)
            {
                message.SetLength(0);
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await _ws.ReceiveAsync(buffer.AsMemory(), ct);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }
                    message.Write(buffer, 0, result.Count);
                    if (message.Length > MaxPayload)
                    {
                        _logger.LogDebug("Session {Sid}: message over maxPayload; closing", Sid);
                        return;
                    }
                }
                while (!result.EndOfMessage);
                // Binary frames are Engine.IO attachments, which this API never uses.
                if (result.MessageType == WebSocketMessageType.Text && !Handle(Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length)))
                {
                    return;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Handles one Engine.IO packet; false ends the session.</summary>
    private bool Handle(string packet)
    {
        if (packet.Length == 0)
        {
            return true;
        }
        switch (packet[0])
        {
            case '1':
                // The client closes the Engine.IO session.
                return false;
            case '2':
                // An Engine.IO v3 client pings; answer anyway.
                _outbox.Writer.TryWrite("3" + packet[1..]);
                return true;
            case '3':
                Volatile.Read(ref _pong)?.TrySetResult();
                return true;
            case '4':
                HandleSocketIo(packet.AsSpan(1));
                return true;
            default:
                // 5 (upgrade) and 6 (noop) have no meaning on a websocket-only session.
                return true;
        }
    }

    private void HandleSocketIo(ReadOnlySpan<char> packet)
    {
        if (packet.Length == 0)
        {
            return;
        }
        var type = packet[0];
        var body = packet[1..];
        var custom = body.Length > 0 && body[0] == '/' ? body[..Math.Max(body.IndexOf(','), 0)].ToString() : null;
        switch (type)
        {
            case '0' when custom is { Length: > 0 } ns:
                _outbox.Writer.TryWrite("44" + ns + "," + Message("Invalid namespace"));
                break;
            case '0':
                if (_hub.Join(this, _subscriberId) is null)
                {
                    _outbox.Writer.TryWrite("44" + Message("Invalid subscriberID"));
                }
                else
                {
                    _outbox.Writer.TryWrite("40" + JsonSerializer.Serialize(new SocketIoConnected(_hub.NewSid()), SubscriberJsonContext.Default.SocketIoConnected));
                }
                break;
            case '1':
                // The client leaves the namespace: no more events, the Engine.IO session stays.
                _subscriber = null;
                break;
            default:
                // Events and acks from the client mean nothing to this API.
                break;
        }
    }

    private static string Message(string text) => JsonSerializer.Serialize(new SubscriberMessage(text), SubscriberJsonContext.Default.SubscriberMessage);

    private async Task PingLoopAsync(CancellationToken ct)
    {
        var next = Task.Delay(_pingInterval, _time, ct);
        while (true)
        {
            await next;
            var pong = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _pong, pong);
            var subscriber = _subscriber;
            if (!_outbox.Writer.TryWrite("2"))
            {
                return;
            }
            subscriber?.CountPing();
            try
            {
                await pong.Task.WaitAsync(_pingTimeout, _time, ct);
            }
            catch (TimeoutException)
            {
                _logger.LogDebug("Session {Sid}: no pong within {Timeout}; closing", Sid, _pingTimeout);
                _subscriber = null;
                _outbox.Writer.TryComplete();
                return;
            }
            next = Task.Delay(_pingInterval, _time, ct);
            // Counted only once the next ping is armed, so a test that saw the pong can move the clock to it.
            subscriber?.CountPong();
        }
    }

    private async Task WriteLoopAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var packet in _outbox.Reader.ReadAllAsync(ct))
            {
                await _ws.SendAsync(Encoding.UTF8.GetBytes(packet), WebSocketMessageType.Text, endOfMessage: true, ct);
            }
            if (!_aborted && _ws.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await _ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException)
        {
            // The connection is gone already.
        }
        finally
        {
            // After a server-side close the client has pingTimeout to answer with its close frame (ws waits likewise).
            _end.CancelAfter(_pingTimeout);
        }
    }
}
