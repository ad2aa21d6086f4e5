using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Bridge.AccessCodes;
using Schlage2Mqtt.Bridge.Requests;
using Schlage2Mqtt.Bridge.State;
using Schlage2Mqtt.Bridge.Runtime;
using Schlage2Mqtt.Bridge.Topics;
using Schlage2Mqtt.Mqtt;

namespace Schlage2Mqtt.Bridge.Features;

/// <summary>
/// Commands and requests in: connects the MQTT client, subscribes to the command and request topics, routes what
/// arrives (<see cref="MessageRouter"/>), holds what comes before the locks are known, and carries out the requests
/// the journal kept from before a restart. Tells the others when the broker (re)connects (<see cref="BrokerConnected"/>).
/// </summary>
internal sealed class MessagingFeature : IBridgeFeature
{
    private readonly BridgeOptions _options;
    private readonly IMqttClient _client;
    private readonly BridgeTopics _topics;
    private readonly BridgeEvents _events;
    private readonly BackgroundWork _work;
    private readonly BridgeLog _log;
    private readonly StartupHold _hold;
    private readonly RequestJournal? _journal;
    private readonly MessageRouter _router;
    private readonly IReadOnlyList<AccountRuntime> _accounts;
    private readonly ILogger _logger;

    public MessagingFeature(BridgeOptions options, IMqttClient client, BridgeTopics topics, BridgeEvents events, BackgroundWork work, BridgeLog log,
        StartupHold hold, LockRegistry registry, CommandExecutor commands, RequestDispatcher requests, BridgeCounters counters,
        StaleDiscoveryCleaner cleaner, IReadOnlyList<AccountRuntime> accounts, TimeProvider time, ILoggerFactory loggers, StateStore? store = null)
    {
        _options = options;
        _client = client;
        _topics = topics;
        _events = events;
        _work = work;
        _log = log;
        _hold = hold;
        _accounts = accounts;
        _logger = loggers.CreateLogger<BridgeRuntime>();
        _journal = store is null ? null : new RequestJournal(store);
        _router = new MessageRouter(options, topics, registry, commands, requests, work, counters, log, cleaner, hold, _journal, events, time, loggers.CreateLogger<MessageRouter>());
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _events.On<AccountPolled>(_ => _hold.AccountListed());
        _hold.Start();
        _router.ReplayJournal();
        _client.MessageReceived = _router.OnMessageAsync;
        _client.StateChanged += OnStateChanged;
        await _client.StartAsync(cancellationToken);
        _logger.LogInformation("Bridge starting: {Accounts} account(s), polling every {Interval}, topics under {Base}/", _accounts.Count, _options.PollInterval, _options.BaseTopic);
        _work.Run("subscribing", SubscribeAsync);
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        // No announcing while the bridge goes away.
        _client.StateChanged -= OnStateChanged;
        return Task.CompletedTask;
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
    }

    private void OnStateChanged(object? sender, MqttConnectionStateChangedEventArgs e)
    {
        switch (e.State)
        {
            case MqttConnectionState.Connected:
                _logger.LogInformation("Connected to the MQTT broker (session present: {Session})", e.ConnectResult?.SessionPresent);
                _events.Raise(new BrokerConnected());
                break;
            case MqttConnectionState.Disconnected when e.Disconnect is not null || e.Error is not null:
                _logger.LogWarning("MQTT broker connection lost: {Reason}; reconnecting", e.Disconnect?.ToString() ?? e.Error?.Message);
                break;
        }
    }
}
