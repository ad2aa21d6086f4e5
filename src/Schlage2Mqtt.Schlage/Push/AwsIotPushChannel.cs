using System.Globalization;
using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Mqtt;
using Schlage2Mqtt.Schlage.Api;
using Schlage2Mqtt.Cloud;
using Schlage2Mqtt.Schlage.Options;

namespace Schlage2Mqtt.Schlage.Push;

/// <summary>
/// The consumer cloud's push channel (reference section 8): <c>GET users/wss</c> answers a client id, a presigned AWS
/// IoT MQTT-over-WebSocket URL and topics; this channel connects MQTT 3.1.1 with a clean session and that client id,
/// subscribes QoS 0 to the topics after every CONNACK, and hands each <c>{"reported": &lt;device document&gt;}</c> to
/// <see cref="UpdateReceived"/>, mapped like a polled document.
/// <list type="bullet">
/// <item>Every connection attempt fetches fresh details: the presigned URL expires, and is never logged.</item>
/// <item>The cloud's spurious 400 is retried (<see cref="PushOptions.DetailsRetries"/>, with backoff); a 404 means the
/// account has no push channel: <see cref="PushState.Unsupported"/>, said once, and no more attempts.</item>
/// <item>The phone app connects with the same client id, and the broker keeps only one of the two. When
/// <see cref="PushOptions.EvictionConnections"/> connections in a row each end within
/// <see cref="PushOptions.StableConnectionTime"/> (within <see cref="PushOptions.EvictionWindow"/>), the channel is
/// <see cref="PushState.Evicted"/> and waits <see cref="PushOptions.EvictedBackoffMin"/> to
/// <see cref="PushOptions.EvictedBackoffMax"/> between attempts instead of fighting the app; it is
/// <see cref="PushState.Connected"/> again once a connection holds for <see cref="PushOptions.StableConnectionTime"/>.</item>
/// <item>Retained deliveries (replays of old state) and duplicates (the same device document again) are dropped. The
/// subscriptions are QoS 0, so the broker never sets the DUP flag: a redelivery is recognised by its content.</item>
/// </list>
/// <see cref="PushState.Disabled"/> means not started (or stopped). <see cref="StateChanged"/> handlers run
/// synchronously under the channel's state lock: keep them short.
/// </summary>
public sealed class AwsIotPushChannel : IPushChannel
{
    private readonly Func<CancellationToken, Task<CloudResult<SchlagePushDetails>>> _fetchDetails;
    private readonly PushOptions _options;
    private readonly ConsumerCloudUpdateReader _reader;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ILogger<ReconnectingMqttClient> _mqttLogger;
    private readonly PushBackoff _backoff;
    private readonly PushStateCell _state;
    private readonly object _gate = new();
    private readonly Queue<DateTimeOffset> _shortConnections = new();
    private readonly HashSet<string> _topics = new(StringComparer.Ordinal);
    private CancellationTokenSource? _stop;
    private Task _run = Task.CompletedTask;
    private ReconnectingMqttClient? _client;
    private SchlagePushDetails? _prefetched;
    private DateTimeOffset? _connectedAt;
    private long _connection;
    private ITimer? _stableTimer;
    private string _server = "";
    private long _detailsFetched;
    private long _dropped;
    private DateTimeOffset? _nextAttemptAt;
    private int _unsupportedLogged;

    internal AwsIotPushChannel(
        string accountKey,
        Func<CancellationToken, Task<CloudResult<SchlagePushDetails>>> fetchDetails,
        ConsumerCloudUpdateReader reader,
        PushOptions options,
        TimeProvider time,
        ILoggerFactory loggers,
        Func<double>? random = null)
    {
        AccountKey = accountKey;
        _fetchDetails = fetchDetails;
        _reader = reader;
        _options = options;
        _time = time;
        _logger = loggers.CreateLogger("Schlage2Mqtt.Schlage.Push");
        _mqttLogger = new ForwardingLogger<ReconnectingMqttClient>(loggers.CreateLogger("Schlage2Mqtt.Schlage.Push.Mqtt"));
        _backoff = new PushBackoff(options, random ?? Random.Shared.NextDouble);
        _state = new PushStateCell(this);
        _state.Changed += (sender, e) => StateChanged?.Invoke(sender, e);
    }

    /// <inheritdoc />
    public string AccountKey { get; }

    /// <inheritdoc />
    public PushState State => _state.State;

    /// <inheritdoc />
    public string? StateDetail => _state.Detail;

    /// <inheritdoc />
    public event EventHandler<PushStateChangedEventArgs>? StateChanged;

    /// <inheritdoc />
    public Func<PushedUpdate, CancellationToken, ValueTask>? UpdateReceived { get; set; }

    /// <summary>When the next connection attempt is due, while waiting between attempts; null otherwise.</summary>
    public DateTimeOffset? NextAttemptAt
    {
        get { lock (_gate) { return _nextAttemptAt; } }
    }

    /// <summary>How many times the channel fetched <c>users/wss</c> successfully.</summary>
    public long DetailsFetched => Interlocked.Read(ref _detailsFetched);

    /// <summary>Retained or duplicate deliveries dropped so far.</summary>
    public long DroppedMessages => Interlocked.Read(ref _dropped);

    /// <summary>Raised with the wait before each new attempt (tests use it to move a manual clock).</summary>
    internal event Action<TimeSpan>? RetryScheduled;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_stop is not null)
            {
                return Task.CompletedTask;
            }
            _stop = new CancellationTokenSource();
            var stop = _stop.Token;
            _state.Set(PushState.Connecting, "fetching the push channel's details (users/wss)");
            _run = Task.Run(() => RunAsync(stop), CancellationToken.None);
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        CancellationTokenSource? stop;
        ReconnectingMqttClient? client;
        Task run;
        lock (_gate)
        {
            stop = _stop;
            _stop = null;
            run = _run;
        }
        if (stop is null)
        {
            return;
        }
        await stop.CancelAsync();
        await run.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        lock (_gate)
        {
            client = _client;
            _client = null;
            _stableTimer?.Dispose();
            _stableTimer = null;
            _nextAttemptAt = null;
            _topics.Clear();
        }
        if (client is not null)
        {
            await client.DisposeAsync();
        }
        stop.Dispose();
        _state.Transition(s => s == PushState.Unsupported ? null : (PushState.Disabled, "stopped"));
    }

    /// <summary>Stops without waiting (used when the owning account is disposed synchronously).</summary>
    internal void Abort()
    {
        lock (_gate)
        {
            _stop?.Cancel();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None);

    private async Task RunAsync(CancellationToken stop)
    {
        try
        {
            // The first details are fetched here, so an account without push (404) ends before any MQTT client exists.
            var attempt = 0;
            SchlagePushDetails details;
            while (true)
            {
                var fetched = await FetchAsync(stop);
                if (fetched.Details is { } ok)
                {
                    details = ok;
                    break;
                }
                if (fetched.Unsupported)
                {
                    return;
                }
                var delay = _backoff.Next(++attempt);
                _state.Transition(s => s == PushState.Unsupported ? null : (PushState.Disconnected, $"{fetched.Problem}; trying again in {Describe(delay)}"));
                await WaitAsync(delay, stop);
                _state.Set(PushState.Connecting, "fetching the push channel's details (users/wss)");
            }

            var reconnect = new MqttReconnectOptions
            {
                InitialDelay = _options.ReconnectDelay,
                MaxDelay = _options.MaxReconnectDelay,
                Jitter = _options.Jitter,
                StableConnectionTime = _options.StableConnectionTime,
                QueueCapacity = 0,
                DelayOverride = NextDelay,
            };
            var client = new ReconnectingMqttClient(OptionsAsync, reconnect, _mqttLogger, _time);
            client.StateChanged += OnConnectionStateChanged;
            client.MessageReceived = OnMessageAsync;
            lock (_gate)
            {
                if (stop.IsCancellationRequested)
                {
                    return;
                }
                _prefetched = details;
                _client = client;
            }
            await client.StartAsync(stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped.
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Schlage account {Account}: the push channel failed", AccountKey);
            _state.Set(PushState.Disconnected, "the push channel failed unexpectedly; see the log");
        }
    }

    private async ValueTask<MqttClientOptions> OptionsAsync(CancellationToken cancellationToken)
    {
        SchlagePushDetails? details;
        ReconnectingMqttClient? client;
        lock (_gate)
        {
            details = _prefetched;
            _prefetched = null;
            client = _client;
        }
        if (details is null)
        {
            var fetched = await FetchAsync(cancellationToken);
            if (fetched.Unsupported && client is not null)
            {
                // Turned off while running: stop reconnecting; the attempt in progress ends with the exception below.
                _ = Task.Run(() => client.StopAsync(CancellationToken.None), CancellationToken.None);
            }
            details = fetched.Details ?? throw new PushChannelException(fetched.Problem ?? "no push channel details");
        }
        Subscribe(client, details.Topics!);
        lock (_gate)
        {
            _server = details.SafeUri;
        }
        return new MqttClientOptions
        {
            Server = details.WssUri!,
            ClientId = details.ClientId!,
            ProtocolVersion = MqttProtocolVersion.V311,
            CleanStart = true,
            KeepAlive = _options.KeepAlive,
        };
    }

    /// <summary>Keeps the client's subscriptions equal to the latest topics; the client subscribes after each CONNACK.</summary>
    private void Subscribe(ReconnectingMqttClient? client, IReadOnlyList<string> topics)
    {
        if (client is null)
        {
            return;
        }
        List<string> added;
        List<string> removed;
        lock (_gate)
        {
            added = [.. topics.Where(t => !_topics.Contains(t))];
            removed = [.. _topics.Where(t => !topics.Contains(t, StringComparer.Ordinal))];
            _topics.ExceptWith(removed);
            _topics.UnionWith(added);
        }
        if (removed.Count > 0)
        {
            _ = ObserveAsync(client.UnsubscribeAsync(removed));
        }
        if (added.Count > 0)
        {
            // Not connected yet: the client makes this subscription right after the coming CONNACK.
            _ = ObserveAsync(client.SubscribeAsync([.. added.Select(t => new MqttSubscription(t, MqttQualityOfService.AtMostOnce))]));
        }
    }

    private async Task ObserveAsync(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception e) when (e is MqttException or OperationCanceledException)
        {
            _logger.LogDebug("Schlage account {Account}: push subscription change not confirmed: {Error}", AccountKey, e.Message);
        }
    }

    private sealed record FetchOutcome(SchlagePushDetails? Details, bool Unsupported, string? Problem);

    /// <summary>
    /// <c>GET users/wss</c>, retrying the cloud's spurious 400. A 404 turns the channel <see cref="PushState.Unsupported"/>
    /// (logged once); other failures are a problem sentence for the state detail.
    /// </summary>
    private async Task<FetchOutcome> FetchAsync(CancellationToken cancellationToken)
    {
        for (var retry = 0; ; retry++)
        {
            var result = await _fetchDetails(cancellationToken);
            if (result.IsSuccess)
            {
                if (Problem(result.Value) is { } bad)
                {
                    _logger.LogWarning("Schlage account {Account}: users/wss answered {Problem}", AccountKey, bad);
                    return new FetchOutcome(null, false, "users/wss answered " + bad);
                }
                Interlocked.Increment(ref _detailsFetched);
                _logger.LogDebug("Schlage account {Account}: push channel details {Details}", AccountKey, result.Value);
                return new FetchOutcome(result.Value, false, null);
            }
            var failure = result.Failure;
            if (failure.Kind == CloudFailureKind.NotFound)
            {
                var detail = "the Schlage cloud offers no push channel for this account (users/wss answered 404); polling only";
                if (_state.Transition(s => s == PushState.Unsupported ? null : (PushState.Unsupported, detail)) == PushState.Unsupported)
                {
                    lock (_gate)
                    {
                        _nextAttemptAt = null;
                    }
                }
                if (Interlocked.Exchange(ref _unsupportedLogged, 1) == 0)
                {
                    _logger.LogInformation("Schlage account {Account}: {Detail}", AccountKey, detail);
                }
                return new FetchOutcome(null, true, detail);
            }
            if (failure.HttpStatus == 400 && retry < _options.DetailsRetries)
            {
                // The cloud answers users/wss with a 400 now and then; asking again works (reference section 8).
                var delay = _backoff.DetailsRetry(retry + 1);
                _logger.LogInformation("Schlage account {Account}: users/wss answered 400 (known to happen); retry {Retry} of {Retries} in {Delay}",
                    AccountKey, retry + 1, _options.DetailsRetries, Describe(delay));
                await WaitAsync(delay, cancellationToken);
                continue;
            }
            _logger.LogWarning("Schlage account {Account}: could not get the push channel's details: {Failure}", AccountKey, failure.Kind);
            return new FetchOutcome(null, false, $"could not get the push channel's details ({failure.Kind}{(failure.HttpStatus is { } s ? $", HTTP {s}" : "")})");
        }
    }

    private static string? Problem(SchlagePushDetails? details)
    {
        if (details is null)
        {
            return "nothing";
        }
        if (string.IsNullOrWhiteSpace(details.ClientId))
        {
            return "no clientId";
        }
        if (!Uri.TryCreate(details.WssUri, UriKind.Absolute, out var uri) || (uri.Scheme != "wss" && uri.Scheme != "ws") || string.IsNullOrEmpty(uri.Host))
        {
            return "a wssUri that is not a ws(s):// URL";
        }
        if (details.Topics is not { Count: > 0 } topics || topics.Any(t => MqttTopic.CheckTopicFilter(t) is not null))
        {
            return "no usable topics";
        }
        return null;
    }

    private TimeSpan NextDelay(MqttReconnectAttempt attempt)
    {
        var delay = State == PushState.Evicted ? _backoff.Evicted() : attempt.ComputedDelay;
        lock (_gate)
        {
            _nextAttemptAt = _time.GetUtcNow() + delay;
        }
        _state.Transition(s => s == PushState.Disconnected ? (s, $"{StateDetail}; reconnecting in {Describe(delay)}") : null);
        if (State == PushState.Evicted)
        {
            _logger.LogInformation("Schlage account {Account}: push channel evicted; next attempt in {Delay}", AccountKey, Describe(delay));
        }
        RetryScheduled?.Invoke(delay);
        return delay;
    }

    private void OnConnectionStateChanged(object? sender, MqttConnectionStateChangedEventArgs e)
    {
        var now = _time.GetUtcNow();
        switch (e.State)
        {
            case MqttConnectionState.Connecting:
                lock (_gate)
                {
                    _nextAttemptAt = null;
                }
                _state.Transition(s => s is PushState.Disconnected or PushState.Connecting ? (PushState.Connecting, "connecting to the push channel") : null);
                break;
            case MqttConnectionState.Connected:
                OnConnected(now);
                break;
            case MqttConnectionState.Disconnected:
                OnDisconnected(now, e);
                break;
            default:
                break;
        }
    }

    private void OnConnected(DateTimeOffset now)
    {
        long connection;
        string server;
        lock (_gate)
        {
            _connectedAt = now;
            connection = ++_connection;
            server = _server;
            _stableTimer?.Dispose();
            _stableTimer = _time.CreateTimer(static s => ((Stable)s!).Owner.OnStable(((Stable)s).Connection),
                new Stable(this, connection), _options.StableConnectionTime, Timeout.InfiniteTimeSpan);
        }
        var evicted = _state.Transition(s => s switch
        {
            PushState.Unsupported or PushState.Disabled => null,
            PushState.Evicted => (PushState.Evicted,
                $"connected again after an eviction; trusted once the connection holds for {Describe(_options.StableConnectionTime)}"),
            _ => (PushState.Connected, null),
        }) == PushState.Evicted;
        _logger.LogInformation("Schlage account {Account}: push channel connected to {Server}{Evicted}", AccountKey, server,
            evicted ? " (after an eviction; checking that it holds)" : "");
    }

    private sealed record Stable(AwsIotPushChannel Owner, long Connection);

    private void OnStable(long connection)
    {
        lock (_gate)
        {
            if (connection != _connection || _connectedAt is null)
            {
                return;
            }
            _shortConnections.Clear();
        }
        var recovered = false;
        _state.Transition(s =>
        {
            if (s != PushState.Evicted)
            {
                return null;
            }
            recovered = true;
            return (PushState.Connected, null);
        });
        if (recovered)
        {
            _logger.LogInformation("Schlage account {Account}: push channel connection holds again; no longer evicted", AccountKey);
        }
    }

    private void OnDisconnected(DateTimeOffset now, MqttConnectionStateChangedEventArgs e)
    {
        TimeSpan? lasted = null;
        var shortOnes = 0;
        lock (_gate)
        {
            _stableTimer?.Dispose();
            _stableTimer = null;
            if (_connectedAt is { } at)
            {
                lasted = now - at;
                _connectedAt = null;
                if (lasted < _options.StableConnectionTime)
                {
                    _shortConnections.Enqueue(now);
                }
            }
            while (_shortConnections.TryPeek(out var oldest) && now - oldest > _options.EvictionWindow)
            {
                _shortConnections.Dequeue();
            }
            shortOnes = _shortConnections.Count;
        }
        if (lasted is { } duration)
        {
            var why = e.Disconnect?.ReasonString is { Length: > 0 } reason ? reason : e.Disconnect?.Source.ToString() ?? "closed";
            var becameEvicted = false;
            _state.Transition(s =>
            {
                if (s is PushState.Unsupported or PushState.Disabled)
                {
                    return null;
                }
                if (s == PushState.Evicted)
                {
                    return (PushState.Evicted, EvictedDetail());
                }
                if (shortOnes >= _options.EvictionConnections)
                {
                    becameEvicted = true;
                    return (PushState.Evicted, EvictedDetail());
                }
                return (PushState.Disconnected, $"connection lost after {Describe(duration)} ({why})");
            });
            if (becameEvicted)
            {
                _logger.LogWarning(
                    "Schlage account {Account}: push channel evicted: {Count} connections in a row ended within {Stable} (the Schlage Home app uses the same client id, and the cloud keeps one connection); waiting {Min}-{Max} between attempts instead of fighting it. Polling carries on.",
                    AccountKey, shortOnes, Describe(_options.StableConnectionTime), Describe(_options.EvictedBackoffMin), Describe(_options.EvictedBackoffMax));
            }
        }
        else
        {
            var why = e.Error is PushChannelException pushError ? pushError.Message : $"could not connect ({e.Error?.GetType().Name ?? "unknown error"})";
            _state.Transition(s => s is PushState.Disconnected or PushState.Connecting ? (PushState.Disconnected, why) : null);
        }
    }

    private string EvictedDetail() =>
        $"another client with the same client id (the Schlage Home app) keeps taking the connection; retrying every {Describe(_options.EvictedBackoffMin)}-{Describe(_options.EvictedBackoffMax)}, polling meanwhile";

    private async ValueTask OnMessageAsync(MqttMessage message, CancellationToken cancellationToken)
    {
        if (message.Retain)
        {
            // A replay of an old state from the broker's store, not news.
            Interlocked.Increment(ref _dropped);
            _logger.LogDebug("Schlage account {Account}: dropped a retained push message on {Topic}", AccountKey, message.Topic);
            return;
        }
        var update = _reader.Read(message.Topic, message.Payload.Span, _time.GetUtcNow(), out var problem);
        if (update is null)
        {
            if (problem is not null)
            {
                _logger.LogWarning("Schlage account {Account}: ignored a push message on {Topic}: {Problem}", AccountKey, message.Topic, problem);
            }
            else
            {
                Interlocked.Increment(ref _dropped);
                _logger.LogDebug("Schlage account {Account}: dropped a duplicate push message on {Topic}", AccountKey, message.Topic);
            }
            return;
        }
        if (UpdateReceived is not { } handler)
        {
            return;
        }
        try
        {
            await handler(update, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogError(e, "Schlage account {Account}: the push update handler failed for lock {DeviceId}", AccountKey, update.DeviceId);
        }
    }

    private async Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _nextAttemptAt = _time.GetUtcNow() + delay;
        }
        RetryScheduled?.Invoke(delay);
        try
        {
            await Task.Delay(delay, _time, cancellationToken);
        }
        finally
        {
            lock (_gate)
            {
                _nextAttemptAt = null;
            }
        }
    }

    internal static string Describe(TimeSpan span) => span switch
    {
        { TotalMinutes: >= 2 } => string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes:0.#} min"),
        { TotalSeconds: >= 1 } => string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.#} s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{span.TotalMilliseconds:0} ms"),
    };

    /// <inheritdoc />
    public override string ToString() => $"AwsIotPushChannel {{ Account = {AccountKey}, State = {State} }}";
}
