using System.IO.Pipelines;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Schlage2Mqtt.Mqtt.Client;
using Schlage2Mqtt.Mqtt.Protocol;
using Schlage2Mqtt.Mqtt.Transport;

namespace Schlage2Mqtt.Mqtt;

/// <summary>
/// One MQTT connection to one broker, used once: <see cref="ConnectAsync"/>, then publish/subscribe until it ends
/// (<see cref="Completion"/>, <see cref="Disconnected"/>). For automatic reconnection use <see cref="ReconnectingMqttClient"/>.
/// Incoming messages are handed to <see cref="MessageReceived"/> on a separate dispatch loop, in order, so a slow
/// handler never stalls acknowledgements or keepalive.
/// </summary>
public sealed partial class MqttConnection : IAsyncDisposable
{
    private readonly MqttClientOptions _options;
    private readonly MqttServerAddress _address;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly MqttSession _session;
    private readonly Pipe _output = new(new PipeOptions(pauseWriterThreshold: 0, resumeWriterThreshold: 0, minimumSegmentSize: 65536, useSynchronizationContext: false));
    private readonly Channel<Incoming> _inbox;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly TaskCompletionSource<ConnectResult> _connAck = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<MqttDisconnectInfo> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _delivery = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Queue<TaskCompletionSource> _pingWaiters = new();
    private readonly Queue<(OutgoingPublish Op, bool Dup)> _resendBacklog = new();
    private volatile ConnectionState _state;
    private Stream? _stream;
    private PipeReader? _input;
    private Task _writerTask = Task.CompletedTask;
    private Task _dispatchTask = Task.CompletedTask;
    private SemaphoreSlim _quota = new(0);
    private ITimer? _keepAliveTimer;
    private int _pingOutstanding;
    private long _connectedAt;
    private uint _maxOutgoingPacket;
    private MqttQualityOfService _serverMaxQos = MqttQualityOfService.ExactlyOnce;
    private bool _retainAvailable = true;
    private string?[] _topicAliases = [];
    private long _messagesSent;
    private long _messagesReceived;
    private int _disposed;

    /// <summary>Creates a connection that is opened by <see cref="ConnectAsync"/>. Options are validated here.</summary>
    /// <param name="options">Broker and session settings.</param>
    /// <param name="logger">Logger; none when <see langword="null"/>.</param>
    /// <param name="timeProvider">Clock for keepalive and timeouts; the system clock when <see langword="null"/>.</param>
    public MqttConnection(MqttClientOptions options, ILogger<MqttConnection>? logger = null, TimeProvider? timeProvider = null)
        : this(options, logger, timeProvider, new MqttSession(keepInflightAcrossConnections: false))
    {
    }

    /// <summary>Creates a connection sharing <paramref name="session"/> with the connections before it.</summary>
    /// <param name="options">Broker and session settings.</param>
    /// <param name="logger">Logger; none when <see langword="null"/>.</param>
    /// <param name="timeProvider">Clock for keepalive and timeouts; the system clock when <see langword="null"/>.</param>
    /// <param name="session">The session state (in-flight publishes, QoS 2 receipts) that outlives one connection.</param>
    /// <param name="holdDelivery">
    /// Hand no message to <see cref="MessageReceived"/> until <see cref="StartDelivery"/>: a reconnecting client first
    /// makes the connection its live one, so a handler answering a message the session queued behind CONNACK finds
    /// somewhere to publish.
    /// </param>
    internal MqttConnection(MqttClientOptions options, ILogger? logger, TimeProvider? timeProvider, MqttSession session, bool holdDelivery = false)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _address = MqttServerAddress.Parse(options.Server);
        _logger = logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _session = session;
        if (!holdDelivery)
        {
            _delivery.SetResult();
        }
        _inbox = Channel.CreateBounded<Incoming>(new BoundedChannelOptions(options.IncomingQueueCapacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    private enum ConnectionState
    {
        New,
        Connecting,
        Connected,
        Closed,
    }

    /// <summary>
    /// Handler for incoming messages, called one at a time in arrival order on a dispatch loop. Set it before
    /// <see cref="ConnectAsync"/> (a resumed session may deliver right after CONNACK). Exceptions are logged.
    /// The token is cancelled when the connection is closed or disposed.
    /// The handler returning is the acknowledgement: the PUBACK (QoS 1) or PUBREC (QoS 2) is sent once it has
    /// completed, successfully or not, in the order the messages arrived; await whatever must be durable before
    /// returning. A message whose handler has not completed when the connection ends is not acknowledged, so the
    /// broker delivers it again (DUP) on a resumed session.
    /// </summary>
    public Func<MqttMessage, CancellationToken, ValueTask>? MessageReceived { get; set; }

    /// <summary>Lets a connection created to hold delivery hand messages to <see cref="MessageReceived"/>; idempotent.</summary>
    internal void StartDelivery() => _delivery.TrySetResult();

    /// <summary>Raised once when an established connection ends, with why and how long it lasted.</summary>
    public event EventHandler<MqttDisconnectedEventArgs>? Disconnected;

    /// <summary>True between a successful CONNACK and the end of the connection.</summary>
    public bool IsConnected => _state == ConnectionState.Connected;

    /// <summary>The broker's CONNACK once connected.</summary>
    public ConnectResult? ConnectResult { get; private set; }

    /// <summary>Protocol version of this connection.</summary>
    public MqttProtocolVersion ProtocolVersion => _options.ProtocolVersion;

    /// <summary>Completes with the reason once the connection has ended (never faults).</summary>
    public Task<MqttDisconnectInfo> Completion => _completion.Task;

    /// <summary>PUBLISH packets handed to the transport (retransmissions included).</summary>
    public long MessagesSent => Interlocked.Read(ref _messagesSent);

    /// <summary>
    /// Publishes refused locally because the broker's announced limits rule them out (Maximum Packet Size, Maximum
    /// QoS, Retain Available) or because they cannot be encoded; each failed with <see cref="MqttPacketTooLargeException"/>
    /// or <see cref="MqttPublishRefusedException"/>. Shared by every connection of a reconnecting client.
    /// </summary>
    public long MessagesRefused => _session.Refused;

    /// <summary>PUBLISH packets received and handed to the message handler.</summary>
    public long MessagesReceived => Interlocked.Read(ref _messagesReceived);

    /// <summary>
    /// Opens the transport, sends CONNECT and waits for CONNACK. Returns the broker's answer, which may be a
    /// refusal (<see cref="ConnectResult.IsSuccess"/> false; the connection is then closed). Throws
    /// <see cref="MqttConnectException"/> when the broker cannot be reached or does not answer in time.
    /// </summary>
    public async Task<ConnectResult> ConnectAsync(CancellationToken cancellationToken = default)
    {
        lock (_session.Gate)
        {
            if (_state != ConnectionState.New)
            {
                throw new InvalidOperationException("An MqttConnection connects once; create a new one to reconnect.");
            }
            _state = ConnectionState.Connecting;
        }
        using var timeout = new CancellationTokenSource(_options.ConnectTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var stage = "open the transport";
        try
        {
            _stream = await MqttTransport.ConnectAsync(_address, _options, linked.Token);
            _input = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: 65536, minimumReadSize: 4096, leaveOpen: true));
            _writerTask = Task.Run(WriteLoopAsync, CancellationToken.None);
            _ = Task.Run(ReadLoopAsync, CancellationToken.None);
            _dispatchTask = Task.Run(DispatchLoopAsync, CancellationToken.None);
            stage = "receive CONNACK";
            lock (_session.Gate)
            {
                if (_state != ConnectionState.Connecting)
                {
                    throw new MqttNotConnectedException("The connection closed before CONNECT was sent.");
                }
                WriteAndFlush(BuildConnect());
            }
            var result = await _connAck.Task.WaitAsync(linked.Token);
            if (!result.IsSuccess)
            {
                _logger.LogWarning("MQTT broker {Server} refused the connection: {Reason} {ReasonString}", _address, result.ReasonCode, result.ReasonString);
            }
            return result;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            await CloseAsync(new MqttDisconnectInfo(MqttDisconnectSource.Transport, DisconnectReasonCode.UnspecifiedError, TimeSpan.Zero), sendDisconnect: false);
            throw new MqttConnectException($"Could not {stage} from {_address} within {_options.ConnectTimeout.TotalSeconds:0.#} s.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var info = Completion.IsCompleted ? Completion.Result : null;
            await CloseAsync(new MqttDisconnectInfo(MqttDisconnectSource.Transport, DisconnectReasonCode.UnspecifiedError, TimeSpan.Zero) { Exception = ex }, sendDisconnect: false);
            if (ex is MqttConnectException)
            {
                throw;
            }
            // The loop that saw the transport fail recorded the real cause (e.g. the TLS alert); prefer it to the
            // generic "connection closed" the CONNACK waiter got.
            var cause = info?.Exception ?? (ex as MqttNotConnectedException)?.InnerException ?? ex;
            var why = info?.ReasonString ?? cause.Message;
            throw new MqttConnectException($"Could not {stage} from {_address}: {why}{TlsHint(cause)}", cause);
        }
        catch
        {
            await CloseAsync(new MqttDisconnectInfo(MqttDisconnectSource.Client, DisconnectReasonCode.NormalDisconnection, TimeSpan.Zero), sendDisconnect: false);
            throw;
        }
    }

    /// <summary>Sends PINGREQ and waits for PINGRESP: a round trip through everything written before it.</summary>
    public async Task PingAsync(CancellationToken cancellationToken = default)
    {
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_session.Gate)
        {
            EnsureConnected();
            _pingWaiters.Enqueue(waiter);
            Account(MqttPacketEncoder.EncodeEmpty(_output.Writer, 0xC0));
            FlushOutput();
        }
        await waiter.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Sends DISCONNECT with <paramref name="reason"/> (MQTT 5; under 3.1.1 a plain DISCONNECT) and closes.
    /// <see cref="DisconnectReasonCode.DisconnectWithWillMessage"/> under 3.1.1 closes the socket without
    /// DISCONNECT, so the broker publishes the will as it would under 5.
    /// </summary>
    public Task DisconnectAsync(DisconnectReasonCode reason = DisconnectReasonCode.NormalDisconnection, CancellationToken cancellationToken = default)
    {
        var sendPacket = !(reason == DisconnectReasonCode.DisconnectWithWillMessage && _options.ProtocolVersion == MqttProtocolVersion.V311);
        return CloseAsync(new MqttDisconnectInfo(MqttDisconnectSource.Client, reason, ConnectedFor()), sendPacket).WaitAsync(cancellationToken);
    }

    /// <summary>Closes the connection (DISCONNECT if still open) and stops the dispatch loop.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        await CloseAsync(new MqttDisconnectInfo(MqttDisconnectSource.Client, DisconnectReasonCode.NormalDisconnection, ConnectedFor()), sendDisconnect: true);
        await _lifetime.CancelAsync();
        await _dispatchTask.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _lifetime.Dispose();
    }

    /// <summary>Drops the transport without DISCONNECT, as a crash or network failure would (tests of wills and recovery).</summary>
    internal void AbortTransportForTests() => _stream?.Dispose();

    private ConnectPacket BuildConnect()
    {
        var o = _options;
        MqttProperties? properties = null;
        if (o.ProtocolVersion == MqttProtocolVersion.V500)
        {
            properties = new MqttProperties
            {
                SessionExpiryInterval = o.SessionExpiryInterval > TimeSpan.Zero ? MqttPropertyCodec.ToSeconds(o.SessionExpiryInterval) : null,
                ReceiveMaximum = o.ReceiveMaximum != ushort.MaxValue ? o.ReceiveMaximum : null,
                MaximumPacketSize = o.MaximumPacketSize != 0 ? o.MaximumPacketSize : null,
                TopicAliasMaximum = o.TopicAliasMaximum != 0 ? o.TopicAliasMaximum : null,
                UserProperties = o.UserProperties.Count > 0 ? [.. o.UserProperties] : null,
            };
        }
        return new ConnectPacket(
            o.ProtocolVersion,
            o.ClientId,
            o.CleanStart,
            (ushort)o.KeepAlive.TotalSeconds,
            o.Username,
            o.Password is null ? null : System.Text.Encoding.UTF8.GetBytes(o.Password),
            o.Will,
            o.Will is not null && o.WillDelayInterval > TimeSpan.Zero ? MqttPropertyCodec.ToSeconds(o.WillDelayInterval) : null,
            properties);
    }

    /// <summary>
    /// For a TLS broker that drops the connection before CONNACK: the innermost TLS error, and the usual reason. With
    /// TLS 1.3 a refused client certificate is only reported after the client's handshake has completed, so it shows
    /// up as a failed read instead of a handshake error.
    /// </summary>
    private string TlsHint(Exception cause)
    {
        if (!_address.IsSecure || cause is System.Security.Authentication.AuthenticationException)
        {
            return "";
        }
        var inner = cause;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }
        var detail = ReferenceEquals(inner, cause) ? "" : $" Cause: {inner.Message.TrimEnd('.')}.";
        var hint = _options.Tls.CertFile is null
            ? " The broker may require a client certificate (TLS cert and key)."
            : " The broker may not trust the client certificate (signed by another CA, or expired).";
        return detail + hint;
    }

    private TimeSpan ConnectedFor()
    {
        var at = Interlocked.Read(ref _connectedAt);
        return at == 0 ? TimeSpan.Zero : _time.GetElapsedTime(at);
    }

    /// <summary>Caller holds the gate.</summary>
    private void EnsureConnected()
    {
        if (_state != ConnectionState.Connected)
        {
            throw new MqttNotConnectedException();
        }
    }

    /// <summary>
    /// Writes DISCONNECT within the broker's Maximum Packet Size: the diagnostic reason string is cut to fit, or
    /// left out, never allowed to make the packet too large (which would leave the close half done). Caller holds the gate.
    /// </summary>
    private void WriteDisconnectLocked(MqttDisconnectInfo info)
    {
        var reason = info.ReasonString is not null && info.Source != MqttDisconnectSource.Client && _options.ProtocolVersion == MqttProtocolVersion.V500
            ? info.ReasonString
            : null;
        if (reason is not null && MqttTopic.CheckUtf8(reason, "reason") is not null)
        {
            reason = null;
        }
        if (reason is not null && _maxOutgoingPacket != 0)
        {
            // Everything but the string at its widest: fixed header 1 + length up to 4, reason code 1, property
            // length up to 4, property id 1, string length 2.
            var budget = (int)Math.Min(_maxOutgoingPacket, int.MaxValue) - 13;
            reason = TruncateUtf8(reason, budget);
        }
        var properties = reason is not null ? new MqttProperties { ReasonString = reason } : null;
        try
        {
            WriteAndFlush(new DisconnectPacket(info.ReasonCode, properties));
        }
        catch (MqttPacketTooLargeException) when (properties is not null)
        {
            WriteAndFlush(new DisconnectPacket(info.ReasonCode));
        }
    }

    /// <summary>The longest prefix of <paramref name="value"/> within <paramref name="maxBytes"/> UTF-8 bytes (never splitting a surrogate pair), or null if none.</summary>
    private static string? TruncateUtf8(string value, int maxBytes)
    {
        if (maxBytes <= 0)
        {
            return null;
        }
        if (System.Text.Encoding.UTF8.GetByteCount(value) <= maxBytes)
        {
            return value;
        }
        var bytes = 0;
        var length = 0;
        while (length < value.Length)
        {
            var width = char.IsHighSurrogate(value[length]) && length + 1 < value.Length ? 2 : 1;
            var size = System.Text.Encoding.UTF8.GetByteCount(value.AsSpan(length, width));
            if (bytes + size > maxBytes)
            {
                break;
            }
            bytes += size;
            length += width;
        }
        return length == 0 ? null : value[..length];
    }

    /// <summary>
    /// Ends the connection once: optionally writes DISCONNECT, completes the output, fails pending requests, and
    /// (for a standalone connection) fails in-flight publishes. Safe to call from any loop.
    /// </summary>
    private async Task CloseAsync(MqttDisconnectInfo info, bool sendDisconnect)
    {
        bool wasConnected;
        List<OutgoingPublish> orphans = [];
        List<object> requests;
        TaskCompletionSource[] pings;
        lock (_session.Gate)
        {
            if (_state == ConnectionState.Closed)
            {
                return;
            }
            wasConnected = _state == ConnectionState.Connected;
            _state = ConnectionState.Closed;
            if (sendDisconnect && wasConnected)
            {
                try
                {
                    WriteDisconnectLocked(info);
                }
                catch (InvalidOperationException)
                {
                    // The output already completed because the transport failed: nothing more can be sent.
                }
                catch (Exception ex)
                {
                    // Whatever went wrong with the farewell, the close itself must complete (reconnect, stop).
                    _logger.LogDebug(ex, "MQTT: could not write DISCONNECT");
                }
            }
            _output.Writer.Complete();
            requests = _session.ReleaseRequests();
            if (!_session.KeepInflightAcrossConnections)
            {
                foreach (var op in _session.InflightInOrder())
                {
                    _session.Release(op.PacketId, op);
                    orphans.Add(op);
                }
            }
            pings = [.. _pingWaiters];
            _pingWaiters.Clear();
        }
        _keepAliveTimer?.Dispose();
        _inbox.Writer.TryComplete();
        var message = $"The MQTT connection to {_address} closed ({info.Source}: {info.ReasonCode}).";
        var closed = info.Exception is { } cause ? new MqttNotConnectedException(message, cause) : new MqttNotConnectedException(message);
        foreach (var op in orphans)
        {
            op.TryFail(closed);
        }
        foreach (var request in requests)
        {
            ((PendingRequest)request).Fail(closed);
        }
        foreach (var ping in pings)
        {
            ping.TrySetException(closed);
        }
        _connAck.TrySetException(closed);
        ReleaseDrainWaiters();
        if (sendDisconnect && wasConnected)
        {
            // Let the writer push the DISCONNECT out; bounded so a dead peer cannot hold the close.
            await _writerTask.WaitAsync(TimeSpan.FromSeconds(5), _time).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        await _lifetime.CancelAsync();
        if (_stream is not null)
        {
            try
            {
                await _stream.DisposeAsync();
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or System.Net.WebSockets.WebSocketException or OperationCanceledException)
            {
                _logger.LogDebug(ex, "Closing the MQTT transport failed");
            }
        }
        var final = info with { ConnectedFor = wasConnected ? ConnectedFor() : TimeSpan.Zero };
        if (wasConnected)
        {
            _logger.LogInformation("MQTT connection to {Server} ended after {Duration}: {Source} {Reason} {ReasonString}",
                _address, final.ConnectedFor, final.Source, final.ReasonCode, final.ReasonString ?? final.Exception?.Message);
            try
            {
                Disconnected?.Invoke(this, new MqttDisconnectedEventArgs(final));
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "A Disconnected handler threw");
            }
        }
        _completion.TrySetResult(final);
    }
}
