using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Schlage2Mqtt.Mqtt.Client;

namespace Schlage2Mqtt.Mqtt;

/// <summary>
/// A long-lived MQTT client that reconnects with exponential backoff and jitter, restores subscriptions, keeps
/// unacknowledged QoS 1/2 messages across connections and queues new ones (bounded) while disconnected.
/// Connection options come from a factory called before every attempt, so expiring credentials or presigned
/// URLs are fetched fresh each time.
/// </summary>
public sealed partial class ReconnectingMqttClient : IMqttClient
{
    private readonly Func<CancellationToken, ValueTask<MqttClientOptions>> _optionsFactory;
    private readonly MqttReconnectOptions _reconnect;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly MqttSession _session = new(keepInflightAcrossConnections: true);
    private readonly object _gate = new();
    private readonly LinkedList<OutgoingPublish> _queue = new();
    private readonly Dictionary<string, MqttSubscription> _subscriptions = new(StringComparer.Ordinal);
    private readonly HashSet<string> _unconfirmed = new(StringComparer.Ordinal);
    private TaskCompletionSource<IReadOnlyDictionary<string, SubscribeReasonCode>> _nextResubscribe = NewResubscribeSignal();
    private CancellationTokenSource? _stop;
    private Task _loop = Task.CompletedTask;
    private MqttConnection? _live;
    private bool _draining;
    private volatile MqttConnectionState _state = MqttConnectionState.Disconnected;
    private long _received;
    private long _published;
    private long _reconnects;
    private long _dropped;
    private bool _everConnected;
    private volatile MqttWillAdjustments _willAdjustments;

    /// <summary>Creates a client that always connects with the same <paramref name="options"/> (validated here).</summary>
    public ReconnectingMqttClient(MqttClientOptions options, MqttReconnectOptions? reconnect = null, ILogger<ReconnectingMqttClient>? logger = null, TimeProvider? timeProvider = null)
        : this(Fixed(Validated(options)), reconnect, logger, timeProvider)
    {
    }

    /// <summary>
    /// Creates a client that asks <paramref name="optionsFactory"/> for the options before every connection
    /// attempt (a fresh presigned URL or client id each time). A factory failure counts as a failed attempt.
    /// </summary>
    public ReconnectingMqttClient(Func<CancellationToken, ValueTask<MqttClientOptions>> optionsFactory, MqttReconnectOptions? reconnect = null, ILogger<ReconnectingMqttClient>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(optionsFactory);
        _optionsFactory = optionsFactory;
        _reconnect = reconnect ?? new MqttReconnectOptions();
        _reconnect.Validate();
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public MqttConnectionState State => _state;

    /// <inheritdoc />
    public event EventHandler<MqttConnectionStateChangedEventArgs>? StateChanged;

    /// <inheritdoc />
    public Func<MqttMessage, CancellationToken, ValueTask>? MessageReceived { get; set; }

    /// <inheritdoc />
    public MqttWillAdjustments WillAdjustments => _willAdjustments;

    /// <summary>The CONNACK of the current connection, or <see langword="null"/> while disconnected.</summary>
    public ConnectResult? ConnectResult => _live?.ConnectResult;

    /// <inheritdoc />
    public MqttClientCounters Counters
    {
        get
        {
            int queued;
            lock (_gate)
            {
                queued = _queue.Count;
            }
            return new MqttClientCounters(Interlocked.Read(ref _received), Interlocked.Read(ref _published), Interlocked.Read(ref _reconnects), Interlocked.Read(ref _dropped), queued)
            {
                Refused = _session.Refused,
            };
        }
    }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_stop is not null)
            {
                throw new InvalidOperationException("The client was already started.");
            }
            _stop = new CancellationTokenSource();
            var stop = _stop.Token;
            _loop = Task.Run(() => RunAsync(stop), CancellationToken.None);
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        CancellationTokenSource? stop;
        lock (_gate)
        {
            stop = _stop;
            if (stop is null || _state == MqttConnectionState.Stopped)
            {
                _state = MqttConnectionState.Stopped;
                return;
            }
        }
        await stop.CancelAsync();
        await _loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        List<OutgoingPublish> abandoned;
        lock (_gate)
        {
            abandoned = [.. _queue];
            _queue.Clear();
        }
        lock (_session.Gate)
        {
            foreach (var op in _session.InflightInOrder())
            {
                _session.Release(op.PacketId, op);
                abandoned.Add(op);
            }
        }
        var stopped = new MqttPublishDroppedException("The MQTT client stopped before the message was acknowledged.");
        foreach (var op in abandoned)
        {
            if (op.TryFail(stopped))
            {
                Interlocked.Increment(ref _dropped);
            }
        }
        if (abandoned.Count > 0)
        {
            _logger.LogWarning("MQTT client stopped with {Count} unacknowledged messages; they are dropped", abandoned.Count);
        }
        _nextResubscribe.TrySetException(new MqttNotConnectedException("The MQTT client stopped."));
        SetState(new MqttConnectionStateChangedEventArgs(MqttConnectionState.Stopped));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop?.Dispose();
    }

    /// <inheritdoc />
    public ValueTask<PublishResult> PublishAsync(MqttMessage message, CancellationToken cancellationToken = default)
    {
        MqttValidation.ValidateMessage(message, nameof(message));
        message = MqttValidation.ForSending(message);
        if (message.QualityOfService == MqttQualityOfService.AtMostOnce)
        {
            return PublishQos0(message, cancellationToken);
        }
        OutgoingPublish op;
        MqttConnection? live;
        lock (_gate)
        {
            if (_state == MqttConnectionState.Stopped)
            {
                throw new MqttNotConnectedException("The MQTT client is stopped.");
            }
            op = _session.Rent(message);
            live = _queue.Count == 0 && !_draining ? _live : null;
            if (live is null)
            {
                EnqueueLocked(op);
                return op.Task;
            }
        }
        var accepted = live.SendAsync(op, cancellationToken);
        if (!accepted.IsCompletedSuccessfully)
        {
            return PublishAfterAcceptAsync(accepted, op);
        }
        if (accepted.Result)
        {
            Interlocked.Increment(ref _published);
        }
        else
        {
            lock (_gate)
            {
                EnqueueLocked(op, atFront: true);
            }
        }
        return op.Task;
    }

    private async ValueTask<PublishResult> PublishAfterAcceptAsync(ValueTask<bool> accepted, OutgoingPublish op)
    {
        try
        {
            if (await accepted)
            {
                Interlocked.Increment(ref _published);
            }
            else
            {
                lock (_gate)
                {
                    EnqueueLocked(op, atFront: true);
                }
            }
        }
        catch (Exception ex)
        {
            op.TryFail(ex);
        }
        return await op.Task;
    }

    private ValueTask<PublishResult> PublishQos0(MqttMessage message, CancellationToken cancellationToken)
    {
        var live = _live;
        if (live is not null)
        {
            try
            {
                Interlocked.Increment(ref _published);
                return live.PublishAsync(message, cancellationToken);
            }
            catch (MqttNotConnectedException)
            {
                Interlocked.Decrement(ref _published);
                // Lost the race with a disconnect: treated like any QoS 0 message while disconnected.
            }
        }
        Interlocked.Increment(ref _dropped);
        return ValueTask.FromException<PublishResult>(new MqttNotConnectedException("Not connected: a QoS 0 message is not queued."));
    }

    /// <summary>Queues a QoS 1/2 publish until a connection takes it. Caller holds <see cref="_gate"/>.</summary>
    private void EnqueueLocked(OutgoingPublish op, bool atFront = false)
    {
        if (_state == MqttConnectionState.Stopped)
        {
            Interlocked.Increment(ref _dropped);
            op.TryFail(new MqttPublishDroppedException("The MQTT client is stopped."));
            return;
        }
        if (_queue.Count >= _reconnect.QueueCapacity && !atFront)
        {
            var dropped = op;
            if (_reconnect.OverflowPolicy == MqttQueueOverflowPolicy.DropOldest && _queue.First is { } oldest)
            {
                dropped = oldest.Value;
                _queue.RemoveFirst();
                _queue.AddLast(op);
            }
            var total = Interlocked.Increment(ref _dropped);
            if (total == 1 || total % 1000 == 0)
            {
                _logger.LogWarning("MQTT outgoing queue is full ({Capacity}); dropping the {Which} message (on '{Topic}'), {Total} dropped so far",
                    _reconnect.QueueCapacity, _reconnect.OverflowPolicy == MqttQueueOverflowPolicy.DropOldest ? "oldest" : "newest", dropped.Message.Topic, total);
            }
            dropped.TryFail(new MqttPublishDroppedException($"The outgoing queue is full ({_reconnect.QueueCapacity} messages); the message to '{dropped.Message.Topic}' was dropped."));
            return;
        }
        if (atFront)
        {
            _queue.AddFirst(op);
        }
        else
        {
            _queue.AddLast(op);
        }
    }

    /// <summary>Drops the current connection's transport without DISCONNECT (tests of recovery).</summary>
    internal void AbortTransportForTests() => _live?.AbortTransportForTests();

    private static MqttClientOptions Validated(MqttClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return options;
    }

    private static Func<CancellationToken, ValueTask<MqttClientOptions>> Fixed(MqttClientOptions options) => _ => ValueTask.FromResult(options);

    private static TaskCompletionSource<IReadOnlyDictionary<string, SubscribeReasonCode>> NewResubscribeSignal() =>
        new(TaskCreationOptions.RunContinuationsAsynchronously);
}
