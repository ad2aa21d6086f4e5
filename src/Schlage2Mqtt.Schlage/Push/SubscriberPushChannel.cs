using System.Text.Json;
using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Cloud;
using Schlage2Mqtt.Schlage.Options;

namespace Schlage2Mqtt.Schlage.Push;

/// <summary>
/// The push channel of the August/Yale-style subscriber API (seed 004, reference section 9):
/// <c>POST /websocket/subscribers {"scopes":["lock"]}</c> creates a subscriber, a Socket.IO v5 websocket with
/// <c>?subscriberID=</c> delivers <c>data</c> events <c>{lockID, lockAction, doorState}</c>, handed to
/// <see cref="UpdateReceived"/> as partial updates (no document, no timestamp). Lost connections are retried with
/// backoff and jitter, keeping the subscriber; before a reconnection the subscriber is read back, and a 4xx there, on
/// the websocket upgrade, or a Socket.IO <c>connect_error</c> re-creates it. <see cref="StopAsync"/> deletes it. A 404
/// to the creation means the API has no subscribers: <see cref="PushState.Unsupported"/>.
/// <see cref="PushState.Disabled"/> means not started (or stopped). See <see cref="SubscriberEventReader"/> for how
/// lockIDs become deviceIds.
/// </summary>
public sealed class SubscriberPushChannel : IPushChannel
{
    private readonly SubscriberApiClient _api;
    private readonly Uri _webSocketUrl;
    private readonly PushOptions _options;
    private readonly SubscriberEventReader _reader;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly PushBackoff _backoff;
    private readonly PushStateCell _state;
    private readonly object _gate = new();
    private CancellationTokenSource? _stop;
    private Task _run = Task.CompletedTask;
    private string? _subscriberId;
    private DateTimeOffset? _nextAttemptAt;
    private long _subscribersCreated;

    internal SubscriberPushChannel(
        string accountKey,
        SubscriberApiClient api,
        Uri webSocketUrl,
        SubscriberEventReader reader,
        PushOptions options,
        TimeProvider time,
        ILoggerFactory loggers,
        Func<double>? random = null)
    {
        AccountKey = accountKey;
        _api = api;
        _webSocketUrl = webSocketUrl;
        _reader = reader;
        _options = options;
        _time = time;
        _logger = loggers.CreateLogger("Schlage2Mqtt.Schlage.Push");
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

    /// <summary>How long <see cref="StopAsync"/> tries to delete the subscriber.</summary>
    internal static TimeSpan DeleteTimeout { get; } = TimeSpan.FromSeconds(10);

    /// <summary>How many subscribers this channel created (1 unless the server forgot one).</summary>
    public long SubscribersCreated => Interlocked.Read(ref _subscribersCreated);

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
            _state.Set(PushState.Connecting, "creating a websocket subscriber");
            _run = Task.Run(() => RunAsync(stop), CancellationToken.None);
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        CancellationTokenSource? stop;
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
        stop.Dispose();
        string? subscriber;
        lock (_gate)
        {
            subscriber = _subscriberId;
            _subscriberId = null;
            _nextAttemptAt = null;
        }
        if (subscriber is not null)
        {
            await DeleteSubscriberAsync(subscriber, cancellationToken);
        }
        _state.Transition(s => s == PushState.Unsupported ? null : (PushState.Disabled, "stopped"));
    }

    /// <summary>Releases what the cloud holds for us; best effort, within <see cref="DeleteTimeout"/>: shutdown must not hang on it.</summary>
    private async Task DeleteSubscriberAsync(string subscriber, CancellationToken cancellationToken)
    {
        using var bound = new CancellationTokenSource(DeleteTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, bound.Token);
        try
        {
            var deleted = await _api.DeleteAsync(subscriber, linked.Token);
            if (deleted.IsSuccess || deleted.Failure.Kind == CloudFailureKind.NotFound)
            {
                _logger.LogInformation("Schlage account {Account}: websocket subscriber deleted", AccountKey);
            }
            else
            {
                _logger.LogWarning("Schlage account {Account}: could not delete the websocket subscriber ({Failure}); the server will expire it", AccountKey, deleted.Failure.Kind);
            }
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            _logger.LogWarning("Schlage account {Account}: deleting the websocket subscriber did not finish in time; the server will expire it", AccountKey);
        }
    }

    /// <summary>Stops without waiting or deleting the subscriber (used when the owning account is disposed synchronously).</summary>
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
        var attempt = 0;
        var verify = false;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                string problem;
                try
                {
                    var subscriber = await EnsureSubscriberAsync(verify, stop);
                    if (subscriber.Unsupported)
                    {
                        return;
                    }
                    if (subscriber.Id is not { } id)
                    {
                        problem = subscriber.Problem!;
                    }
                    else
                    {
                        _state.Transition(s => s is PushState.Connecting or PushState.Disconnected ? (PushState.Connecting, "connecting the subscriber websocket") : null);
                        await using var connection = await EngineIoConnection.ConnectAsync(_webSocketUrl, id, _time, TimeSpan.FromSeconds(30), stop);
                        var connectedAt = _time.GetUtcNow();
                        _reader.NewConnection();
                        _state.Set(PushState.Connected, null);
                        _logger.LogInformation("Schlage account {Account}: subscriber websocket connected", AccountKey);
                        var why = await connection.RunAsync(OnDataAsync, stop);
                        if (_time.GetUtcNow() - connectedAt >= _options.StableConnectionTime)
                        {
                            attempt = 0;
                        }
                        problem = "connection lost: " + why;
                        verify = true;
                    }
                }
                catch (SubscriberRejectedException e)
                {
                    // The server no longer knows the subscriber: make a new one.
                    lock (_gate)
                    {
                        _subscriberId = null;
                    }
                    verify = false;
                    problem = e.Message + "; re-creating the subscriber";
                    _logger.LogInformation("Schlage account {Account}: {Problem}", AccountKey, problem);
                }
                catch (PushChannelException e)
                {
                    problem = e.Message;
                    verify = true;
                }
                catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or IOException or HttpRequestException)
                {
                    problem = $"the websocket broke ({e.GetType().Name})";
                    verify = true;
                }
                stop.ThrowIfCancellationRequested();
                var delay = _backoff.Next(++attempt);
                _state.Transition(s => s == PushState.Unsupported ? null : (PushState.Disconnected, $"{problem}; retrying in {AwsIotPushChannel.Describe(delay)}"));
                _logger.LogInformation("Schlage account {Account}: subscriber websocket: {Problem}; retrying in {Delay}", AccountKey, problem, AwsIotPushChannel.Describe(delay));
                await WaitAsync(delay, stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped.
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Schlage account {Account}: the subscriber push channel failed", AccountKey);
            _state.Set(PushState.Disconnected, "the push channel failed unexpectedly; see the log");
        }
    }

    private sealed record SubscriberOutcome(string? Id, bool Unsupported, string? Problem);

    private async Task<SubscriberOutcome> EnsureSubscriberAsync(bool verify, CancellationToken stop)
    {
        string? id;
        lock (_gate)
        {
            id = _subscriberId;
        }
        if (id is not null && verify)
        {
            var read = await _api.GetAsync(id, stop);
            if (!read.IsSuccess && read.Failure.HttpStatus is >= 400 and < 500)
            {
                _logger.LogInformation("Schlage account {Account}: the websocket subscriber is gone (HTTP {Status}); re-creating it", AccountKey, read.Failure.HttpStatus);
                lock (_gate)
                {
                    _subscriberId = id = null;
                }
            }
        }
        if (id is not null)
        {
            return new SubscriberOutcome(id, false, null);
        }
        var created = await _api.CreateAsync(stop);
        if (created.IsSuccess && created.Value!.SubscriberId is { Length: > 0 } newId)
        {
            Interlocked.Increment(ref _subscribersCreated);
            lock (_gate)
            {
                _subscriberId = newId;
            }
            _logger.LogInformation("Schlage account {Account}: websocket subscriber created (scopes {Scopes})", AccountKey, string.Join(",", created.Value.Scopes ?? []));
            return new SubscriberOutcome(newId, false, null);
        }
        if (!created.IsSuccess && created.Failure.Kind == CloudFailureKind.NotFound)
        {
            const string detail = "the subscriber API offers no websocket subscribers (POST websocket/subscribers answered 404); polling only";
            if (_state.Transition(s => s == PushState.Unsupported ? null : (PushState.Unsupported, detail)) == PushState.Unsupported)
            {
                _logger.LogInformation("Schlage account {Account}: {Detail}", AccountKey, detail);
            }
            return new SubscriberOutcome(null, true, detail);
        }
        var why = created.IsSuccess ? "the answer has no subscriberID" : $"{created.Failure.Kind}{(created.Failure.HttpStatus is { } s ? $", HTTP {s}" : "")}";
        return new SubscriberOutcome(null, false, $"could not create a websocket subscriber ({why})");
    }

    private async ValueTask OnDataAsync(JsonElement payload, CancellationToken cancellationToken)
    {
        var update = _reader.Read(payload, out var problem);
        if (update is null)
        {
            if (problem is not null)
            {
                _logger.LogWarning("Schlage account {Account}: ignored a subscriber event: {Problem}", AccountKey, problem);
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

    /// <inheritdoc />
    public override string ToString() => $"SubscriberPushChannel {{ Account = {AccountKey}, State = {State} }}";
}
