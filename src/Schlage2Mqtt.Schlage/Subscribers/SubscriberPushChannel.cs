using System.Text.Json;
using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Cloud;
using Schlage2Mqtt.Schlage.Options;
using Schlage2Mqtt.Schlage.Push;

namespace Schlage2Mqtt.Schlage.Subscribers;

/// <summary>
/// The push channel of the August/Yale-style subscriber API (seed 004, reference section 9):
/// <c>POST /websocket/subscribers {"scopes":["lock"]}</c> creates a subscriber, a Socket.IO v5 websocket with
/// <c>?subscriberID=</c> delivers <c>data</c> events <c>{lockID, lockAction, doorState}</c>, handed to
/// <see cref="PushChannelBase.UpdateReceived"/> as partial updates (no document, no timestamp). Lost connections are
/// retried with backoff and jitter (<see cref="PushChannelBase"/>), keeping the subscriber; before a reconnection the
/// subscriber is read back, and a 4xx there, on the websocket upgrade, or a Socket.IO <c>connect_error</c> re-creates
/// it. <see cref="PushChannelBase.StopAsync"/> deletes it. A 404 to the creation means the API has no subscribers:
/// <see cref="PushState.Unsupported"/>. No other client shares a subscriber, so this channel is never evicted.
/// See <see cref="SubscriberEventReader"/> for how lockIDs become deviceIds.
/// </summary>
public sealed class SubscriberPushChannel : PushChannelBase
{
    private readonly SubscriberApiClient _api;
    private readonly Uri _webSocketUrl;
    private readonly SubscriberEventReader _reader;
    private readonly object _gate = new();
    private string? _subscriberId;
    // A reconnection reads the subscriber back first; a refused one is made anew at once.
    private bool _verify;
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
        : base(accountKey, "Schlage", options.ToChannelOptions() with { Eviction = null }, time, loggers.CreateLogger("Schlage2Mqtt.Schlage.Push"), random)
    {
        _api = api;
        _webSocketUrl = webSocketUrl;
        _reader = reader;
    }

    /// <summary>How long <see cref="PushChannelBase.StopAsync"/> tries to delete the subscriber.</summary>
    internal static TimeSpan DeleteTimeout { get; } = TimeSpan.FromSeconds(10);

    /// <summary>How many subscribers this channel created (1 unless the server forgot one).</summary>
    public long SubscribersCreated => Interlocked.Read(ref _subscribersCreated);

    /// <inheritdoc />
    protected override string ConnectingDetail => "creating a websocket subscriber";

    /// <inheritdoc />
    protected override async Task<PushAttempt> ConnectOnceAsync(CancellationToken cancellationToken)
    {
        bool verify;
        lock (_gate)
        {
            verify = _verify;
            // Whatever this attempt meets, the next one checks the subscriber first, unless it is known to be gone.
            _verify = true;
        }
        try
        {
            var subscriber = await EnsureSubscriberAsync(verify, cancellationToken);
            if (subscriber.Unsupported)
            {
                return PushAttempt.Unsupported(subscriber.Problem!);
            }
            if (subscriber.Id is not { } id)
            {
                return PushAttempt.Ended(subscriber.Problem!);
            }
            ReportProgress("connecting the subscriber websocket");
            await using var connection = await EngineIoConnection.ConnectAsync(_webSocketUrl, id, Time, TimeSpan.FromSeconds(30), cancellationToken);
            _reader.NewConnection();
            ReportConnected();
            Logger.LogInformation("Schlage account {Account}: subscriber websocket connected", AccountKey);
            return PushAttempt.Ended(await connection.RunAsync(OnDataAsync, cancellationToken));
        }
        catch (SubscriberRejectedException e)
        {
            // The server no longer knows the subscriber: make a new one.
            lock (_gate)
            {
                _subscriberId = null;
                _verify = false;
            }
            var problem = e.Message + "; re-creating the subscriber";
            Logger.LogInformation("Schlage account {Account}: {Problem}", AccountKey, problem);
            return PushAttempt.Ended(problem);
        }
        catch (PushChannelException e)
        {
            return PushAttempt.Ended(e.Message);
        }
        catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or IOException or HttpRequestException)
        {
            return PushAttempt.Ended($"the websocket broke ({e.GetType().Name})");
        }
    }

    /// <inheritdoc />
    protected override async Task OnStoppedAsync(CancellationToken cancellationToken)
    {
        string? subscriber;
        lock (_gate)
        {
            subscriber = _subscriberId;
            _subscriberId = null;
            _verify = false;
        }
        if (subscriber is not null)
        {
            await DeleteSubscriberAsync(subscriber, cancellationToken);
        }
    }

    /// <summary>Releases what the cloud holds for us; best effort, within <see cref="DeleteTimeout"/>: shutdown must not hang on it.</summary>
    private async Task DeleteSubscriberAsync(string subscriber, CancellationToken cancellationToken)
    {
        using var bound = new CancellationTokenSource(DeleteTimeout, Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, bound.Token);
        try
        {
            var deleted = await _api.DeleteAsync(subscriber, linked.Token);
            if (deleted.IsSuccess || deleted.Failure.Kind == CloudFailureKind.NotFound)
            {
                Logger.LogInformation("Schlage account {Account}: websocket subscriber deleted", AccountKey);
            }
            else
            {
                Logger.LogWarning("Schlage account {Account}: could not delete the websocket subscriber ({Failure}); the server will expire it", AccountKey, deleted.Failure.Kind);
            }
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            Logger.LogWarning("Schlage account {Account}: deleting the websocket subscriber did not finish in time; the server will expire it", AccountKey);
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
                Logger.LogInformation("Schlage account {Account}: the websocket subscriber is gone (HTTP {Status}); re-creating it", AccountKey, read.Failure.HttpStatus);
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
            Logger.LogInformation("Schlage account {Account}: websocket subscriber created (scopes {Scopes})", AccountKey, string.Join(",", created.Value.Scopes ?? []));
            return new SubscriberOutcome(newId, false, null);
        }
        if (!created.IsSuccess && created.Failure.Kind == CloudFailureKind.NotFound)
        {
            const string detail = "the subscriber API offers no websocket subscribers (POST websocket/subscribers answered 404); polling only";
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
                Logger.LogWarning("Schlage account {Account}: ignored a subscriber event: {Problem}", AccountKey, problem);
            }
            return;
        }
        await DispatchAsync(update, cancellationToken);
    }
}
