using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Cloud;
using Schlage2Mqtt.Mqtt;
using Schlage2Mqtt.Schlage.Api;
using Schlage2Mqtt.Schlage.Options;

namespace Schlage2Mqtt.Schlage.Push;

/// <summary>
/// The consumer cloud's push channel (reference section 8): <c>GET users/wss</c> answers a client id, a presigned AWS
/// IoT MQTT-over-WebSocket URL and topics; each attempt connects MQTT 3.1.1 with a clean session and that client id,
/// subscribes QoS 0 to the topics, and hands each <c>{"reported": &lt;device document&gt;}</c> to
/// <see cref="PushChannelBase.UpdateReceived"/>, mapped like a polled document. The lifecycle (backoff, eviction,
/// stop) is <see cref="PushChannelBase"/>'s.
/// <list type="bullet">
/// <item>Every connection attempt fetches fresh details: the presigned URL expires, and is never logged.</item>
/// <item>The cloud's spurious 400 is retried (<see cref="PushOptions.DetailsRetries"/>, with backoff); a 404 means the
/// account has no push channel: <see cref="PushState.Unsupported"/>, said once, and no more attempts.</item>
/// <item>The phone app connects with the same client id, and the broker keeps only one of the two:
/// <see cref="PushOptions.EvictionConnections"/> short connections in a row make the channel
/// <see cref="PushState.Evicted"/> (<see cref="PushEvictionRule"/>).</item>
/// <item>Retained deliveries (replays of old state) and duplicates (the same device document again) are dropped. The
/// subscriptions are QoS 0, so the broker never sets the DUP flag: a redelivery is recognised by its content.</item>
/// </list>
/// </summary>
public sealed class AwsIotPushChannel : PushChannelBase
{
    private readonly Func<CancellationToken, Task<CloudResult<SchlagePushDetails>>> _fetchDetails;
    private readonly PushOptions _options;
    private readonly ConsumerCloudUpdateReader _reader;
    private readonly ILogger<MqttConnection> _mqttLogger;
    private long _detailsFetched;
    private long _dropped;

    internal AwsIotPushChannel(
        string accountKey,
        Func<CancellationToken, Task<CloudResult<SchlagePushDetails>>> fetchDetails,
        ConsumerCloudUpdateReader reader,
        PushOptions options,
        TimeProvider time,
        ILoggerFactory loggers,
        Func<double>? random = null)
        : base(accountKey, "Schlage", options.ToChannelOptions(), time, loggers.CreateLogger("Schlage2Mqtt.Schlage.Push"), random)
    {
        _fetchDetails = fetchDetails;
        _reader = reader;
        _options = options;
        _mqttLogger = new ForwardingLogger<MqttConnection>(loggers.CreateLogger("Schlage2Mqtt.Schlage.Push.Mqtt"));
    }

    /// <summary>How many times the channel fetched <c>users/wss</c> successfully.</summary>
    public long DetailsFetched => Interlocked.Read(ref _detailsFetched);

    /// <summary>Retained or duplicate deliveries dropped so far.</summary>
    public long DroppedMessages => Interlocked.Read(ref _dropped);

    /// <inheritdoc />
    protected override string ConnectingDetail => "fetching the push channel's details (users/wss)";

    /// <inheritdoc />
    protected override string EvictingClient => "another client with the same client id (the Schlage Home app)";

    /// <inheritdoc />
    protected override string EvictionCause => "the Schlage Home app uses the same client id, and the cloud keeps one connection";

    /// <inheritdoc />
    protected override async Task<PushAttempt> ConnectOnceAsync(CancellationToken cancellationToken)
    {
        var fetched = await FetchAsync(cancellationToken);
        if (fetched.Unsupported)
        {
            return PushAttempt.Unsupported(fetched.Problem!);
        }
        if (fetched.Details is not { } details)
        {
            return PushAttempt.Ended(fetched.Problem!);
        }
        ReportProgress("connecting to the push channel");
        try
        {
            await using var connection = new MqttConnection(new MqttClientOptions
            {
                Server = details.WssUri!,
                ClientId = details.ClientId!,
                ProtocolVersion = MqttProtocolVersion.V311,
                CleanStart = true,
                KeepAlive = _options.KeepAlive,
            }, _mqttLogger, Time);
            connection.MessageReceived = OnMessageAsync;
            var connack = await connection.ConnectAsync(cancellationToken);
            if (!connack.IsSuccess)
            {
                return PushAttempt.Ended($"the push broker refused the connection ({connack.ReasonCode})");
            }
            // A clean session remembers nothing: subscribe on every connection, to the topics of these details.
            var subscribed = await connection.SubscribeAsync([.. details.Topics!.Select(t => new MqttSubscription(t, MqttQualityOfService.AtMostOnce))], cancellationToken);
            if (!subscribed.IsSuccess)
            {
                Logger.LogDebug("Schlage account {Account}: the push broker did not grant every subscription: {Codes}", AccountKey, string.Join(",", subscribed.ReasonCodes));
            }
            var evicted = ReportConnected();
            Logger.LogInformation("Schlage account {Account}: push channel connected to {Server}{Evicted}", AccountKey, details.SafeUri,
                evicted ? " (after an eviction; checking that it holds)" : "");
            var ended = await connection.Completion.WaitAsync(cancellationToken);
            return PushAttempt.Ended(ended.ReasonString is { Length: > 0 } reason ? reason : ended.Source.ToString());
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Whatever broke this connection (refused, unreachable, timed out, dropped while subscribing), the next
            // attempt fetches fresh details and tries again.
            Logger.LogWarning("Schlage account {Account}: push connection attempt failed: {Error}", AccountKey, e.Message);
            return PushAttempt.Ended(e is PushChannelException pushError ? pushError.Message : $"could not connect ({e.GetType().Name})");
        }
    }

    private sealed record FetchOutcome(SchlagePushDetails? Details, bool Unsupported, string? Problem);

    /// <summary>
    /// <c>GET users/wss</c>, retrying the cloud's spurious 400. A 404 means <see cref="PushState.Unsupported"/>; other
    /// failures are a problem sentence for the state detail.
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
                    Logger.LogWarning("Schlage account {Account}: users/wss answered {Problem}", AccountKey, bad);
                    return new FetchOutcome(null, false, "users/wss answered " + bad);
                }
                Interlocked.Increment(ref _detailsFetched);
                Logger.LogDebug("Schlage account {Account}: push channel details {Details}", AccountKey, result.Value);
                return new FetchOutcome(result.Value, false, null);
            }
            var failure = result.Failure;
            if (failure.Kind == CloudFailureKind.NotFound)
            {
                return new FetchOutcome(null, true, "the Schlage cloud offers no push channel for this account (users/wss answered 404); polling only");
            }
            if (failure.HttpStatus == 400 && retry < _options.DetailsRetries)
            {
                // The cloud answers users/wss with a 400 now and then; asking again works (reference section 8).
                var delay = DetailsRetryDelay(retry + 1);
                Logger.LogInformation("Schlage account {Account}: users/wss answered 400 (known to happen); retry {Retry} of {Retries} in {Delay}",
                    AccountKey, retry + 1, _options.DetailsRetries, Describe(delay));
                await WaitAsync(delay, cancellationToken);
                continue;
            }
            Logger.LogWarning("Schlage account {Account}: could not get the push channel's details: {Failure}", AccountKey, failure.Kind);
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

    /// <summary>The wait before retry number <paramref name="attempt"/> of the spurious-400 retries of <c>users/wss</c>.</summary>
    private TimeSpan DetailsRetryDelay(int attempt) =>
        Backoff.Jittered(TimeSpan.FromTicks((long)(_options.DetailsRetryDelay.Ticks * Math.Pow(2, Math.Clamp(attempt - 1, 0, 10)))));

    private async ValueTask OnMessageAsync(MqttMessage message, CancellationToken cancellationToken)
    {
        if (message.Retain)
        {
            // A replay of an old state from the broker's store, not news.
            Interlocked.Increment(ref _dropped);
            Logger.LogDebug("Schlage account {Account}: dropped a retained push message on {Topic}", AccountKey, message.Topic);
            return;
        }
        var update = _reader.Read(message.Topic, message.Payload.Span, Time.GetUtcNow(), out var problem);
        if (update is null)
        {
            if (problem is not null)
            {
                Logger.LogWarning("Schlage account {Account}: ignored a push message on {Topic}: {Problem}", AccountKey, message.Topic, problem);
            }
            else
            {
                Interlocked.Increment(ref _dropped);
                Logger.LogDebug("Schlage account {Account}: dropped a duplicate push message on {Topic}", AccountKey, message.Topic);
            }
            return;
        }
        await DispatchAsync(update, cancellationToken);
    }
}
