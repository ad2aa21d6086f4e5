using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Bridge.Runtime;
using Schlage2Mqtt.Mqtt;

namespace Schlage2Mqtt.Bridge;

/// <summary>
/// The bridge: polls every account's locks, publishes their state, availability and Home Assistant discovery,
/// carries out commands and requests from MQTT, and announces itself on <c>bridge/state</c> (whose MQTT will is
/// <see cref="WillMessage"/>). Composed by <see cref="BridgeServiceCollectionExtensions.AddBridge"/>: it starts the
/// features in their registered order and stops them in reverse. Start it once the MQTT client exists; stop it before
/// the client is disposed.
/// </summary>
public sealed class BridgeRuntime : IAsyncDisposable
{
    private readonly IReadOnlyList<IBridgeFeature> _features;
    private readonly BridgeOptions _options;
    private readonly IMqttClient _client;
    private readonly BridgePublisher _publisher;
    private readonly BridgeStatus _status;
    private readonly BackgroundWork _work;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private bool _started;

    internal BridgeRuntime(IEnumerable<IBridgeFeature> features, BridgeOptions options, IMqttClient client, BridgePublisher publisher, BridgeStatus status,
        BackgroundWork work, ILogger<BridgeRuntime> logger)
    {
        _features = [.. features];
        _options = options;
        _client = client;
        _publisher = publisher;
        _status = status;
        _work = work;
        _logger = logger;
    }

    /// <summary>The will to configure on the MQTT client: <c>bridge/state</c> = <c>offline</c>, retained, QoS 1.</summary>
    public static MqttMessage WillMessage(BridgeOptions options) =>
        new($"{options.BaseTopic}/bridge/state", "offline"u8.ToArray(), MqttQualityOfService.AtLeastOnce, Retain: true);

    /// <summary>The health document (also served by <c>health_check</c> and the HTTP endpoint).</summary>
    public (bool Healthy, JsonObject Document) Health() => _status.Health();

    /// <summary>Starts every feature: the MQTT client connects and subscribes, one poller per account runs, push channels start.</summary>
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
        foreach (var feature in _features)
        {
            await feature.StartAsync(cancellationToken);
        }
    }

    /// <summary>Stops the features and every background task, publishes <c>offline</c>, and disconnects cleanly.</summary>
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
        foreach (var feature in _features.Reverse())
        {
            await feature.StopAsync(cancellationToken);
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

    /// <summary>Stops the bridge; what it was composed of belongs to the service provider that built it.</summary>
    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None);
}
