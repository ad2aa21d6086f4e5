using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Bridge.AccessCodes;
using Schlage2Mqtt.Bridge.Discovery;
using Schlage2Mqtt.Bridge.Runtime;
using Schlage2Mqtt.Bridge.Topics;
using Schlage2Mqtt.Mqtt;

namespace Schlage2Mqtt.Bridge.Features;

/// <summary>
/// The bridge's own topics: <c>bridge/state</c>, <c>bridge/info</c> (re-published when what it lists changes) and
/// <c>bridge/health</c> (every <see cref="BridgeOptions.HealthInterval"/>); after every (re)connect, and a little after
/// Home Assistant's birth, everything retained is announced again.
/// </summary>
internal sealed class BridgeInfoFeature(BridgeOptions options, IMqttClient client, BridgePublisher publisher, BridgeTopics topics, BridgeStatus status,
    BridgeEvents events, LockStateHub hub, DiscoveryBuilder discovery, AccessCodeManager codes, BackgroundWork work, TimeProvider time, BridgeRandom random,
    ILogger<BridgeRuntime> logger) : IBridgeFeature
{
    private readonly Lock _gate = new();
    private string? _publishedInfo;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        events.On<LockSetChanged>(_ => PublishInfo(force: false));
        events.On<PushStateChanged>(_ => PublishInfo(force: false));
        events.On<AccountPolled>(_ => PublishInfo(force: false));
        events.On<BrokerConnected>(_ => work.Run("announcing", AnnounceAsync));
        events.On<HomeAssistantOnline>(_ => RepublishSoon());
        work.RunService("health publishing", HealthLoopAsync);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // After every (re)connect: online, info, discovery, every lock's state and availability.
    private async Task AnnounceAsync(CancellationToken cancellationToken)
    {
        publisher.Publish(topics.BridgeState, "online", retain: true);
        await RepublishAsync(cancellationToken);
        publisher.PublishJson(topics.BridgeHealth, status.Health().Document, retain: true);
    }

    private async Task RepublishAsync(CancellationToken cancellationToken)
    {
        PublishInfo(force: true);
        if (options.HomeAssistantEnabled)
        {
            foreach (var message in discovery.ForBridge())
            {
                publisher.Publish(message.Topic, message.Payload, retain: true);
            }
        }
        await hub.RepublishAllAsync(cancellationToken);
        codes.RepublishAll();
    }

    private void RepublishSoon()
    {
        // Home Assistant restarts all at once with every integration: spread the re-publish a little.
        var delay = TimeSpan.FromMilliseconds(random.Value.NextDouble() * options.HomeAssistantRepublishMaxDelay.TotalMilliseconds);
        logger.LogInformation("Home Assistant is online; re-publishing discovery and state in {Delay:0.0} s", delay.TotalSeconds);
        work.Run("re-publishing for Home Assistant", async ct =>
        {
            await Task.Delay(delay, time, ct);
            await RepublishAsync(ct);
        });
    }

    private async Task HealthLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(options.HealthInterval, time, cancellationToken);
            if (client.State == MqttConnectionState.Connected)
            {
                publisher.PublishJson(topics.BridgeHealth, status.Health().Document, retain: true);
            }
        }
    }

    private void PublishInfo(bool force)
    {
        var info = System.Text.Json.JsonSerializer.Serialize(status.Info(), Contract.ContractJson.Default.BridgeInfoPayload);
        lock (_gate)
        {
            if (!force && info == _publishedInfo)
            {
                return;
            }
            _publishedInfo = info;
        }
        publisher.Publish(topics.BridgeInfo, info, retain: true);
    }
}
