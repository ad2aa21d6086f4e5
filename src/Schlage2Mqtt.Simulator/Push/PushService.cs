using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Mqtt;
using Schlage2Mqtt.Simulator.Api;
using Schlage2Mqtt.Simulator.Calls;
using Schlage2Mqtt.Simulator.Cloud;
using Schlage2Mqtt.Simulator.Internal;

namespace Schlage2Mqtt.Simulator.Push;

/// <summary>
/// The consumer cloud's AWS IoT push channel (reference section 8), played against a real broker:
/// <list type="bullet">
/// <item><c>users/wss</c> answers: a stable client id per account, <see cref="SimulatorOptions.PushBrokerUrl"/> with a
/// fresh fake presigned query, and the account's topic filter; 404 when push is off (no broker, or disabled for the account).</item>
/// <item>Every device change is published as <c>{"reported": &lt;document&gt;}</c>, QoS 0, not retained, to
/// <c>thincloud/users/&lt;identityId&gt;/devices/&lt;deviceId&gt;</c> of every user on the document. The world only queues
/// it (bounded, oldest dropped): a slow or absent broker never holds the cloud model up. The publishing client
/// reconnects on its own; messages queued meanwhile go out once it is back.</item>
/// <item>The phone app: a client with the account's client id that takes the connection from the bridge.</item>
/// </list>
/// The broker connection runs on real time, not the simulator's clock: it is infrastructure, not the simulated world.
/// </summary>
internal sealed class PushService : IAsyncDisposable
{
    private const int QueueCapacity = 10_000;

    private readonly SimulatorRuntime _runtime;
    private readonly SeededRandom _random;
    private readonly ILogger _logger;
    private readonly Uri? _brokerUrl;
    private readonly string? _publishUrl;
    private readonly ConcurrentDictionary<string, bool> _disabled = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PhoneApp> _phoneApps = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private Channel<Outgoing>? _queue;
    private ReconnectingMqttClient? _publisher;
    private CancellationTokenSource? _stop;
    private Task _pump = Task.CompletedTask;
    private TaskCompletionSource _connected = NewSignal();
    private long _published;
    private long _dropped;
    private long _phoneAppConnections;

    public PushService(SimulatorRuntime runtime, SeededRandom random)
    {
        _runtime = runtime;
        _random = random;
        _logger = runtime.LoggerFactory.CreateLogger<PushService>();
        _brokerUrl = runtime.Options.PushBrokerUrl;
        _publishUrl = (runtime.Options.PushPublishUrl ?? _brokerUrl)?.ToString();
    }

    /// <summary>Whether a broker is configured at all.</summary>
    public bool Configured => _brokerUrl is not null;

    public static string TopicFilter(AccountState account) => $"thincloud/users/{account.IdentityId}/devices/#";

    public static string Topic(string identityId, string deviceId) => $"thincloud/users/{identityId}/devices/{deviceId}";

    /// <summary>The client id of an account: stable, like the one the app is given (and shares with the bridge).</summary>
    public static string ClientId(AccountState account) => "thincloud-app-" + account.IdentityId;

    public bool IsEnabled(string email) => Configured && !_disabled.ContainsKey(email);

    public void SetEnabled(string email, bool enabled)
    {
        if (enabled)
        {
            _disabled.TryRemove(email, out _);
        }
        else
        {
            _disabled[email] = true;
        }
    }

    /// <summary>The <c>users/wss</c> answer for an account, or null when it has no push channel (404).</summary>
    public PushDetailsDocument? Details(AccountState account)
    {
        if (_brokerUrl is null || !IsEnabled(account.Email))
        {
            return null;
        }
        return new PushDetailsDocument(ClientId(account), PresignedUrl(), [TopicFilter(account)]);
    }

    /// <summary>
    /// The broker URL with a query shaped like AWS's SigV4 presigning: a new key, signature and session token every call
    /// (mosquitto ignores the query; the bridge must treat it as a secret and fetch a new one for every connection).
    /// </summary>
    private string PresignedUrl()
    {
        var now = _runtime.Time.GetUtcNow();
        var key = "ASIA" + _random.NextHex(8).ToUpperInvariant();
        var date = now.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var stamp = now.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var token = Base64Url.Encode(_random.NextBytes(48));
        var query = string.Create(CultureInfo.InvariantCulture,
            $"X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential={key}%2F{date}%2Fus-west-2%2Fiotdevicegateway%2Faws4_request&X-Amz-Date={stamp}&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature={_random.NextHex(32)}&X-Amz-Security-Token={token}");
        var builder = new UriBuilder(_brokerUrl!) { Query = query };
        return builder.Uri.AbsoluteUri;
    }

    /// <summary>Connects the publishing client (in the background: the broker may come later).</summary>
    public async Task StartAsync()
    {
        if (_publishUrl is null)
        {
            return;
        }
        var options = new MqttClientOptions
        {
            Server = _publishUrl,
            ClientId = "schlage-cloud-simulator-" + Guid.NewGuid().ToString("N")[..12],
            ProtocolVersion = MqttProtocolVersion.V311,
            CleanStart = true,
            KeepAlive = TimeSpan.FromSeconds(30),
        };
        var reconnect = new MqttReconnectOptions { InitialDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromSeconds(2), QueueCapacity = 0 };
        var publisher = new ReconnectingMqttClient(options, reconnect, null, TimeProvider.System);
        publisher.StateChanged += OnPublisherState;
        var queue = Channel.CreateBounded<Outgoing>(new BoundedChannelOptions(QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        }, _ => Interlocked.Increment(ref _dropped));
        var stop = new CancellationTokenSource();
        lock (_gate)
        {
            _publisher = publisher;
            _queue = queue;
            _stop = stop;
            _pump = Task.Run(() => PumpAsync(publisher, queue.Reader, stop.Token), CancellationToken.None);
        }
        await publisher.StartAsync(stop.Token);
        _logger.LogInformation("Push channel: publishing device changes to {Broker}; users/wss sends clients to {Url}",
            _publishUrl, _brokerUrl);
    }

    /// <summary>Called by the world after a device changed: queues its document for every user on it (never blocks).</summary>
    public void OnDeviceChanged(string deviceId)
    {
        Channel<Outgoing>? queue;
        lock (_gate)
        {
            queue = _queue;
        }
        if (queue is null || _runtime.World.Device(deviceId) is not { } device)
        {
            // Not publishing, or the lock was removed (the cloud says nothing about a removed device on this channel).
            return;
        }
        // A pushed document carries the device's own name and model, not the ones GET devices answers.
        var document = device.ToDocument() with { Name = device.Model.OwnName, ModelName = device.Model.OwnName };
        var payload = JsonSerializer.SerializeToUtf8Bytes(new PushMessageDocument(document), ApiJsonContext.Default.PushMessageDocument);
        foreach (var identityId in document.Users.Select(u => u.IdentityId).Distinct(StringComparer.Ordinal))
        {
            queue.Writer.TryWrite(new Outgoing(Topic(identityId, deviceId), payload));
        }
    }

    private async Task PumpAsync(ReconnectingMqttClient publisher, ChannelReader<Outgoing> reader, CancellationToken stop)
    {
        try
        {
            await foreach (var item in reader.ReadAllAsync(stop))
            {
                for (var attempt = 1; ; attempt++)
                {
                    await WaitConnectedAsync(stop);
                    try
                    {
                        await publisher.PublishAsync(new MqttMessage(item.Topic, item.Payload, MqttQualityOfService.AtMostOnce, Retain: false), stop);
                        Interlocked.Increment(ref _published);
                        break;
                    }
                    catch (MqttException e) when (attempt < 5)
                    {
                        // Lost the race with a disconnect: wait for the next connection and send it then.
                        _logger.LogDebug("Push publish to {Topic} failed ({Error}); retrying after reconnect", item.Topic, e.Message);
                    }
                    catch (MqttException e)
                    {
                        Interlocked.Increment(ref _dropped);
                        _logger.LogWarning("Push publish to {Topic} dropped: {Error}", item.Topic, e.Message);
                        break;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    private Task WaitConnectedAsync(CancellationToken stop)
    {
        lock (_gate)
        {
            return _connected.Task.WaitAsync(stop);
        }
    }

    private void OnPublisherState(object? sender, MqttConnectionStateChangedEventArgs e)
    {
        lock (_gate)
        {
            if (e.State == MqttConnectionState.Connected)
            {
                _connected.TrySetResult();
            }
            else if (_connected.Task.IsCompleted)
            {
                _connected = NewSignal();
            }
        }
        if (e.State == MqttConnectionState.Disconnected)
        {
            _logger.LogInformation("Push channel: publisher lost the broker ({Reason}); reconnecting",
                e.Error?.Message ?? e.Disconnect?.Source.ToString() ?? "closed");
        }
    }

    public bool PublisherConnected
    {
        get { lock (_gate) { return _connected.Task.IsCompleted; } }
    }

    /// <summary>Starts the phone app of an account (replacing one already playing).</summary>
    public void StartPhoneApp(AccountState account, PhoneAppMode mode)
    {
        if (_publishUrl is null)
        {
            throw new InvalidOperationException("The simulator has no push broker (SimulatorOptions.PushBrokerUrl), so there is no connection to take.");
        }
        var clientId = ClientId(account);
        var app = new PhoneApp(_publishUrl, clientId, mode, _runtime.Options.PhoneAppReconnectDelay, _logger, () =>
        {
            Interlocked.Increment(ref _phoneAppConnections);
            _runtime.Calls.Add(_runtime.Time.GetUtcNow(), CallSurface.Push, PushOperations.PhoneAppConnect, "CONNECT", clientId,
                null, account.Email, 200, null, mode.ToString().ToLowerInvariant());
        });
        if (_phoneApps.TryGetValue(account.Email, out var old))
        {
            old.Stop();
        }
        _phoneApps[account.Email] = app;
        _logger.LogInformation("Push channel: the phone app of {Email} takes client id {ClientId} ({Mode})", account.Email, clientId, mode);
    }

    /// <summary>Stops the phone app of one account (or all); true if one was playing.</summary>
    public bool StopPhoneApp(string? email)
    {
        var any = false;
        foreach (var (key, app) in _phoneApps.ToArray())
        {
            if (email is null || key == email)
            {
                any |= app.IsRunning;
                app.Stop();
                _phoneApps.TryRemove(new KeyValuePair<string, PhoneApp>(key, app));
            }
        }
        return any;
    }

    /// <summary>The phone app of an account, while one is playing.</summary>
    public PhoneApp? PhoneAppOf(string email) => _phoneApps.TryGetValue(email, out var app) && app.IsRunning ? app : null;

    public PushCounters Counters()
    {
        var accounts = _runtime.World.Accounts()
            .Select(a => new PushAccountStatus(a.Email, ClientId(a), TopicFilter(a), IsEnabled(a.Email),
                PhoneAppOf(a.Email) is { Mode: var mode } ? (mode == PhoneAppMode.Persistent ? "persistent" : "once") : null))
            .ToList();
        return new PushCounters(_brokerUrl, PublisherConnected, Interlocked.Read(ref _published), Interlocked.Read(ref _dropped),
            Interlocked.Read(ref _phoneAppConnections), accounts);
    }

    /// <summary>Back to the start: push on for everyone, no phone app, counters zero.</summary>
    public void Reset()
    {
        _disabled.Clear();
        StopPhoneApp(null);
        Interlocked.Exchange(ref _published, 0);
        Interlocked.Exchange(ref _dropped, 0);
        Interlocked.Exchange(ref _phoneAppConnections, 0);
    }

    public async Task StopAsync()
    {
        ReconnectingMqttClient? publisher;
        CancellationTokenSource? stop;
        Task pump;
        lock (_gate)
        {
            publisher = _publisher;
            stop = _stop;
            pump = _pump;
            _publisher = null;
            _stop = null;
            _queue = null;
        }
        var apps = _phoneApps.Values.ToArray();
        _phoneApps.Clear();
        foreach (var app in apps)
        {
            await app.DisposeAsync();
        }
        if (stop is not null)
        {
            await stop.CancelAsync();
            await pump.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            stop.Dispose();
        }
        if (publisher is not null)
        {
            await publisher.DisposeAsync();
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed record Outgoing(string Topic, byte[] Payload);
}
