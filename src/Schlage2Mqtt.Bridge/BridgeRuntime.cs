using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Bridge.AccessCodes;
using Schlage2Mqtt.Bridge.Activity;
using Schlage2Mqtt.Bridge.Discovery;
using Schlage2Mqtt.Bridge.Requests;
using Schlage2Mqtt.Bridge.Runtime;
using Schlage2Mqtt.Bridge.State;
using Schlage2Mqtt.Bridge.Topics;
using Schlage2Mqtt.Mqtt;
using Schlage2Mqtt.Cloud;

namespace Schlage2Mqtt.Bridge;

/// <summary>
/// The bridge: polls every account's locks, publishes their state, availability and Home Assistant discovery,
/// carries out commands and requests from MQTT, and announces itself on <c>bridge/state</c> (whose MQTT will is
/// <see cref="WillMessage"/>). Start it once the MQTT client exists; stop it before the client is disposed.
/// </summary>
public sealed class BridgeRuntime : IAsyncDisposable
{
    private static readonly TimeSpan DiscoverySettleTime = TimeSpan.FromSeconds(2);

    private readonly BridgeOptions _options;
    private readonly IMqttClient _client;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly ILogger _logger;
    private readonly BridgeTopics _topics;
    private readonly BridgeCounters _counters = new();
    private readonly BridgePublisher _publisher;
    private readonly BackgroundWork _work;
    private readonly DiscoveryBuilder _discovery;
    private readonly LockRegistry _registry;
    private readonly List<AccountRuntime> _accounts;
    private readonly List<AccountPoller> _pollers;
    private readonly BridgeStatus _status;
    private readonly BridgeLog _log;
    private readonly CommandExecutor _commands;
    private readonly StaleDiscoveryCleaner? _cleaner;
    private readonly MessageRouter _router;
    private readonly AccessCodeManager _codes;
    private readonly ActivityTracker _activity;
    private readonly StartupHold _hold;
    private readonly RequestJournal? _journal;
    private readonly object _gate = new();
    private string? _publishedInfo;
    private DateTimeOffset? _discoverySubscribedAt;
    private bool _started;

    /// <summary>Composes the bridge from its options, the MQTT client, the cloud providers and the state store.</summary>
    public BridgeRuntime(
        BridgeOptions options,
        IMqttClient client,
        IEnumerable<ILockCloudProvider> providers,
        StateStore? store,
        TimeProvider time,
        ILoggerFactory loggers,
        Random? random = null)
    {
        _options = options;
        _client = client;
        _time = time;
        _random = random ?? new Random();
        _logger = loggers.CreateLogger<BridgeRuntime>();
        _topics = new BridgeTopics(options.BaseTopic);
        _publisher = new BridgePublisher(client, _counters, loggers.CreateLogger<BridgePublisher>());
        _work = new BackgroundWork(_logger);
        var discoverySettings = new DiscoverySettings(options.DiscoveryPrefix, options.BaseTopic, options.Version, options.LegacyDiscovery);
        _discovery = new DiscoveryBuilder(discoverySettings);
        _registry = new LockRegistry(options, _publisher, _discovery, store, time, loggers.CreateLogger<LockRegistry>());
        _log = new BridgeLog(_publisher, _topics, loggers.CreateLogger("Schlage2Mqtt.Bridge.BridgeLog"));
        _accounts = providers.SelectMany(p => p.Accounts.Select(a => new AccountRuntime(a, p.Name))).ToList();
        _status = new BridgeStatus(options, _accounts, _registry, client, _counters, time);
        _commands = new CommandExecutor(_registry, options, _log, time, loggers.CreateLogger<CommandExecutor>(), _work.Stopping);
        _pollers = _accounts.Select(a => new AccountPoller(a, _registry, options, _log, time, _random, AfterPoll, loggers.CreateLogger<AccountPoller>())).ToList();
        _cleaner = options.HomeAssistantEnabled ? new StaleDiscoveryCleaner(_discovery, loggers.CreateLogger<StaleDiscoveryCleaner>()) : null;

        _codes = new AccessCodeManager(options, _registry, _publisher, _topics, _log, _work, store, time, loggers.CreateLogger<AccessCodeManager>());
        var handlers = new List<IBridgeRequestHandler>
        {
            new HealthCheckRequestHandler(Health),
            new LocksRequestHandler(_registry),
            new RefreshRequestHandler(_registry, _commands, _accounts),
            new LockRequestHandler(_registry, _commands),
            new DiagnosticsRequestHandler(_registry),
        };
        handlers.AddRange(AccessCodeRequestHandler.All(_registry, _codes, time));
        _activity = new ActivityTracker(_registry, _publisher, _topics, store, _work, time, loggers.CreateLogger<ActivityTracker>(), _codes.NameOf, _codes.ChangedByBridge, _codes.ProvenOnLock);
        _registry.LockChanged += _activity.OnLockChanged;
        _registry.LockAdded += _activity.OnLockAdded;
        _registry.KeypadDisabledOf = _activity.KeypadDisabled;
        // A lock request settles within ConfirmTimeout and an access-code request answers by its response timeout:
        // the dispatcher's deadline is the longer of the two plus a margin, so it only ever catches what ran away.
        var deadline = (options.ConfirmTimeout > options.AccessCodeResponseTimeout ? options.ConfirmTimeout : options.AccessCodeResponseTimeout) + TimeSpan.FromSeconds(5);
        var requests = new RequestDispatcher(handlers, _topics, _publisher, _log, loggers.CreateLogger<RequestDispatcher>(), deadline, time);
        _hold = new StartupHold(_accounts, options, _work, time, _log, loggers.CreateLogger<StartupHold>());
        _registry.UnlistedAccounts = () => _hold.UnlistedAccounts;
        _journal = store is null ? null : new RequestJournal(store);
        _router = new MessageRouter(options, _topics, _registry, _commands, requests, _work, _counters, _log, _cleaner, _hold, _journal, time, HomeAssistantOnline, loggers.CreateLogger<MessageRouter>());
        _registry.LocksChanged += () => PublishInfo(force: false);
        _status.PushState = PushStateText;
    }

    /// <summary>The will to configure on the MQTT client: <c>bridge/state</c> = <c>offline</c>, retained, QoS 1.</summary>
    public static MqttMessage WillMessage(BridgeOptions options) =>
        new($"{options.BaseTopic}/bridge/state", "offline"u8.ToArray(), MqttQualityOfService.AtLeastOnce, Retain: true);

    /// <summary>The health document (also served by <c>health_check</c> and the HTTP endpoint).</summary>
    public (bool Healthy, JsonObject Document) Health() => _status.Health();

    /// <summary>Starts the MQTT client, subscribes, and starts one poller per account.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_started)
            {
                throw new InvalidOperationException("The bridge is already started.");
            }
            _started = true;
        }
        _hold.Start();
        _router.ReplayJournal();
        _client.MessageReceived = _router.OnMessageAsync;
        _client.StateChanged += OnStateChanged;
        await _client.StartAsync(cancellationToken);
        _logger.LogInformation("Bridge starting: {Accounts} account(s), polling every {Interval}, topics under {Base}/", _accounts.Count, _options.PollInterval, _options.BaseTopic);

        _work.Run("subscribing", SubscribeAsync);
        foreach (var poller in _pollers)
        {
            _work.Run("polling", poller.RunAsync);
        }
        _work.Run("health publishing", HealthLoopAsync);
        _codes.Resume();
        foreach (var account in _accounts)
        {
            account.Account.Warned += message => _log.Warning(message);
            StartPush(account);
        }
    }

    private void StartPush(AccountRuntime account)
    {
        var channel = account.Account.Push;
        if (channel is null)
        {
            return;
        }
        channel.UpdateReceived = async (update, ct) =>
        {
            var entry = _registry.Find(update.DeviceId);
            if (entry is null || entry.Account != account)
            {
                // A lock the bridge does not publish (ignored, or new: the next poll adds it).
                return;
            }
            await _registry.Gate.WaitAsync(ct);
            try
            {
                _registry.ApplyPush(entry, update);
            }
            finally
            {
                _registry.Gate.Release();
            }
        };
        channel.StateChanged += (_, e) =>
        {
            account.PushStateChanged(e.State);
            switch (e.State)
            {
                case PushState.Connected:
                    _logger.LogInformation("Push channel of account {Account} connected: changes arrive as they happen", account.Name);
                    break;
                case PushState.Evicted or PushState.Unsupported:
                    // Said once per state change, in the log and in bridge/info.
                    _log.Warning($"Push channel of account {account.Name}: {e.Detail ?? e.State.ToString()}. Polling every {_options.PollInterval.TotalSeconds:0} s covers it.");
                    break;
                default:
                    _logger.LogInformation("Push channel of account {Account}: {State} {Detail}", account.Name, e.State, e.Detail);
                    break;
            }
            PublishInfo(force: false);
        };
        _work.Run($"push channel of {account.Name}", ct => channel.StartAsync(ct));
    }

    private string PushStateText(string accountName)
    {
        var channel = _accounts.FirstOrDefault(a => a.Name == accountName)?.Account.Push;
        return channel is null ? "disabled" : channel.State.ToString().ToLowerInvariant();
    }

    /// <summary>Stops polling and commands, publishes <c>offline</c>, and disconnects cleanly.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_started)
            {
                return;
            }
            _started = false;
        }
        _client.StateChanged -= OnStateChanged;
        foreach (var channel in _accounts.Select(a => a.Account.Push).OfType<IPushChannel>())
        {
            try
            {
                await channel.StopAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(1), cancellationToken);
            }
            catch (Exception ex) when (ex is TimeoutException or OperationCanceledException or HttpRequestException)
            {
                _logger.LogDebug("Push channel did not stop cleanly: {Reason}", ex.Message);
            }
        }
        await _work.StopAsync(TimeSpan.FromSeconds(2));
        if (_client.State == MqttConnectionState.Connected)
        {
            await _publisher.PublishAndWaitAsync(WillMessage(_options), TimeSpan.FromSeconds(1.5));
        }
        try
        {
            await _client.StopAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is MqttException or OperationCanceledException)
        {
            _logger.LogDebug("MQTT disconnect did not complete cleanly: {Reason}", ex.Message);
        }
        _logger.LogInformation("Bridge stopped");
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        _work.Dispose();
        _codes.Dispose();
        _activity.Dispose();
        _journal?.Dispose();
    }

    private async Task SubscribeAsync(CancellationToken cancellationToken)
    {
        // MQTT 5: retain handling 2, so the broker does not replay retained commands at subscribe, and Retain As
        // Published, so a retained publish (live, or queued in the session while the bridge was away) keeps its flag
        // and is dropped. A live delivery otherwise has the flag cleared and would be acted on.
        var retainHandling = _options.MqttV5 ? MqttRetainHandling.DoNotSend : MqttRetainHandling.SendAtSubscribe;
        var subscriptions = _topics.CommandFilters.Append(_topics.RequestFilter)
            .Select(f => new MqttSubscription(f, MqttQualityOfService.AtLeastOnce) { RetainHandling = retainHandling, RetainAsPublished = _options.MqttV5 })
            .ToList();
        if (_options.HomeAssistantEnabled)
        {
            subscriptions.Add(new MqttSubscription(_options.HomeAssistantStatusTopic, MqttQualityOfService.AtLeastOnce));
        }
        var result = await _client.SubscribeAsync(subscriptions, cancellationToken);
        if (!result.IsSuccess)
        {
            _log.Error($"The broker refused some subscriptions ({result}); commands may not arrive. Check the broker's ACL for {_options.BaseTopic}/#");
        }
        if (_cleaner is not null)
        {
            var filters = _cleaner.Filters.Select(f => new MqttSubscription(f, MqttQualityOfService.AtLeastOnce) { NoLocal = true }).ToList();
            await _client.SubscribeAsync(filters, cancellationToken);
            lock (_gate)
            {
                _discoverySubscribedAt = _time.GetUtcNow();
            }
            await Task.Delay(DiscoverySettleTime, _time, cancellationToken);
            await TrySweepAsync(cancellationToken);
        }
    }

    private void AfterPoll()
    {
        _hold.AccountListed();
        PublishInfo(force: false);
        _work.Run("stale discovery sweep", TrySweepAsync);
    }

    // Sweeps once every account has been read and the retained configs have had time to arrive.
    private async Task TrySweepAsync(CancellationToken cancellationToken)
    {
        if (_cleaner is null)
        {
            return;
        }
        lock (_gate)
        {
            if (_discoverySubscribedAt is not { } at || _time.GetUtcNow() - at < DiscoverySettleTime || _accounts.Any(a => a.LastSuccessAt is null))
            {
                return;
            }
        }
        await _registry.Gate.WaitAsync(cancellationToken);
        bool swept;
        try
        {
            swept = _cleaner.Sweep(_registry.DeviceIds, _publisher);
        }
        finally
        {
            _registry.Gate.Release();
        }
        if (swept)
        {
            try
            {
                await _client.UnsubscribeAsync(_cleaner.Filters, cancellationToken);
            }
            catch (MqttException ex)
            {
                _logger.LogDebug("Could not unsubscribe from discovery configs: {Reason}", ex.Message);
            }
        }
    }

    private void OnStateChanged(object? sender, MqttConnectionStateChangedEventArgs e)
    {
        switch (e.State)
        {
            case MqttConnectionState.Connected:
                _logger.LogInformation("Connected to the MQTT broker (session present: {Session})", e.ConnectResult?.SessionPresent);
                _work.Run("announcing", AnnounceAsync);
                foreach (var entry in _registry.Entries.Where(en => en.InFlight is not null))
                {
                    entry.ConfirmNow();
                }
                break;
            case MqttConnectionState.Disconnected when e.Disconnect is not null || e.Error is not null:
                _logger.LogWarning("MQTT broker connection lost: {Reason}; reconnecting", e.Disconnect?.ToString() ?? e.Error?.Message);
                break;
        }
    }

    // After every (re)connect: online, info, discovery, every lock's state and availability.
    private async Task AnnounceAsync(CancellationToken cancellationToken)
    {
        _publisher.Publish(_topics.BridgeState, "online", retain: true);
        await RepublishAsync(cancellationToken);
        _publisher.PublishJson(_topics.BridgeHealth, Health().Document, retain: true);
    }

    private async Task RepublishAsync(CancellationToken cancellationToken)
    {
        PublishInfo(force: true);
        await _registry.Gate.WaitAsync(cancellationToken);
        try
        {
            if (_options.HomeAssistantEnabled)
            {
                foreach (var message in _discovery.ForBridge())
                {
                    _publisher.Publish(message.Topic, message.Payload, retain: true);
                }
            }
            _registry.RepublishAll();
            _registry.PublishRememberedOffline();
        }
        finally
        {
            _registry.Gate.Release();
        }
        _codes.RepublishAll();
    }

    private void HomeAssistantOnline()
    {
        // Home Assistant restarts all at once with every integration: spread the re-publish a little.
        var delay = TimeSpan.FromMilliseconds(_random.NextDouble() * _options.HomeAssistantRepublishMaxDelay.TotalMilliseconds);
        _logger.LogInformation("Home Assistant is online; re-publishing discovery and state in {Delay:0.0} s", delay.TotalSeconds);
        _work.Run("re-publishing for Home Assistant", async ct =>
        {
            await Task.Delay(delay, _time, ct);
            await RepublishAsync(ct);
        });
    }

    private async Task HealthLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(_options.HealthInterval, _time, cancellationToken);
            if (_client.State == MqttConnectionState.Connected)
            {
                _publisher.PublishJson(_topics.BridgeHealth, Health().Document, retain: true);
            }
        }
    }

    private void PublishInfo(bool force)
    {
        var info = System.Text.Json.JsonSerializer.Serialize(_status.Info(), Contract.ContractJson.Default.BridgeInfoPayload);
        lock (_gate)
        {
            if (!force && info == _publishedInfo)
            {
                return;
            }
            _publishedInfo = info;
        }
        _publisher.Publish(_topics.BridgeInfo, info, retain: true);
    }
}
