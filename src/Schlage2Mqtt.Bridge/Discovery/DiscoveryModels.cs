namespace Schlage2Mqtt.Bridge.Discovery;

/// <summary>What Home Assistant discovery needs to know about one lock.</summary>
public sealed record DiscoveryLock(
    string DeviceId,
    string TopicId,
    string Name,
    string? Model,
    string? Firmware,
    string? SerialNumber,
    IReadOnlyList<int> AutoLockOptions,
    bool ReportsDoor);

/// <summary>Discovery settings and the bridge's identity.</summary>
public sealed record DiscoverySettings(string DiscoveryPrefix, string BaseTopic, string Version, bool LegacyPerEntity)
{
    /// <summary>The bridge device's identifier: unique per base topic, so two bridges on one broker do not collide.</summary>
    public string BridgeDeviceId => "schlage2mqtt_" + Topics.TopicIdAllocator.Slug(BaseTopic);
}

/// <summary>One retained discovery message; an empty payload removes what the topic configured.</summary>
public sealed record DiscoveryMessage(string Topic, string Payload);
