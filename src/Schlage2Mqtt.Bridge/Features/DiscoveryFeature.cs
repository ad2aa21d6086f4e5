using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Bridge.Runtime;
using Schlage2Mqtt.Mqtt;

namespace Schlage2Mqtt.Bridge.Features;

/// <summary>
/// Home Assistant discovery housekeeping (the configs themselves are published by the hub's funnel): reads the
/// retained discovery configs and, once every account has been read and the configs have had time to arrive, removes
/// those of locks the bridge no longer has. Nothing to do when Home Assistant is off.
/// </summary>
internal sealed class DiscoveryFeature(BridgeOptions options, IMqttClient client, LockStateHub hub, BridgeEvents events, StaleDiscoveryCleaner cleaner,
    IReadOnlyList<AccountRuntime> accounts, BackgroundWork work, TimeProvider time, ILogger<DiscoveryFeature> logger) : IBridgeFeature
{
    private static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(2);

    private readonly Lock _gate = new();
    private DateTimeOffset? _subscribedAt;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.HomeAssistantEnabled)
        {
            return Task.CompletedTask;
        }
        events.On<AccountPolled>(_ => work.Run("stale discovery sweep", TrySweepAsync));
        // A service: it waits out the settle time on the clock, which must not keep the bridge from being idle.
        work.RunService("subscribing to discovery configs", SubscribeAsync);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task SubscribeAsync(CancellationToken cancellationToken)
    {
        var filters = cleaner.Filters.Select(f => new MqttSubscription(f, MqttQualityOfService.AtLeastOnce) { NoLocal = true }).ToList();
        await client.SubscribeAsync(filters, cancellationToken);
        lock (_gate)
        {
            _subscribedAt = time.GetUtcNow();
        }
        await Task.Delay(SettleTime, time, cancellationToken);
        await TrySweepAsync(cancellationToken);
    }

    // Sweeps once every account has been read and the retained configs have had time to arrive.
    private async Task TrySweepAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_subscribedAt is not { } at || time.GetUtcNow() - at < SettleTime || accounts.Any(a => a.LastSuccessAt is null))
            {
                return;
            }
        }
        if (await hub.SweepStaleDiscoveryAsync(cleaner, cancellationToken))
        {
            try
            {
                await client.UnsubscribeAsync(cleaner.Filters, cancellationToken);
            }
            catch (MqttException ex)
            {
                logger.LogDebug("Could not unsubscribe from discovery configs: {Reason}", ex.Message);
            }
        }
    }
}
