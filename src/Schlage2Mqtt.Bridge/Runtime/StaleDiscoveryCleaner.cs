using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Bridge.Discovery;
using Schlage2Mqtt.Mqtt;

namespace Schlage2Mqtt.Bridge.Runtime;

/// <summary>
/// At start, collects the retained discovery configs this bridge published in earlier runs; once every account has
/// been read, removes those whose lock is gone (no ghost entities in Home Assistant), then stops listening.
/// </summary>
internal sealed class StaleDiscoveryCleaner(DiscoveryBuilder discovery, ILogger logger)
{
    private readonly object _gate = new();
    private readonly Dictionary<string, string> _found = new(StringComparer.Ordinal);
    private bool _done;

    public IReadOnlyList<string> Filters => discovery.OwnConfigFilters;

    public void Observe(MqttMessage message)
    {
        // Only the broker's retained store tells what earlier runs left; live echoes of our own publishes do not.
        if (!message.Retain || message.Payload.IsEmpty || !Filters.Any(f => MqttTopic.Matches(f, message.Topic)))
        {
            return;
        }
        var deviceId = discovery.DeviceIdOfTopic(message.Topic);
        if (deviceId is null || !discovery.IsOwnConfig(message.PayloadAsString()))
        {
            return;
        }
        lock (_gate)
        {
            if (!_done)
            {
                _found[message.Topic] = deviceId;
            }
        }
    }

    /// <summary>Removes configs of devices not in <paramref name="liveDeviceIds"/>; false when the sweep was already done.</summary>
    public bool Sweep(IReadOnlySet<string> liveDeviceIds, BridgePublisher publisher)
    {
        List<string> stale;
        lock (_gate)
        {
            if (_done)
            {
                return false;
            }
            _done = true;
            stale = _found.Where(kv => !liveDeviceIds.Contains(kv.Value)).Select(kv => kv.Key).ToList();
            _found.Clear();
        }
        foreach (var topic in stale)
        {
            logger.LogInformation("Removing stale Home Assistant discovery {Topic} (its lock is gone)", topic);
            publisher.Publish(topic, "", retain: true);
        }
        return true;
    }
}
