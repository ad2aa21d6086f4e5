using Schlage2Mqtt.Cloud;

namespace Schlage2Mqtt.Bridge.Discovery;

/// <summary>What Home Assistant discovery needs to know about one lock.</summary>
/// <param name="DeviceId">The cloud's device id (unique ids are built from it).</param>
/// <param name="TopicId">The lock's topic id.</param>
/// <param name="Name">The device name.</param>
/// <param name="Model">The model, when known.</param>
/// <param name="Firmware">The firmware version, when known.</param>
/// <param name="SerialNumber">The serial number, when known.</param>
/// <param name="Capabilities">
/// What the lock has, as discovery should offer it: auto-lock with the values for the select, a door sensor only once
/// the lock has reported a door state. Each entity of <see cref="Contract.LockEntityCatalogue"/> appears only when its
/// features are here.
/// </param>
public sealed record DiscoveryLock(
    string DeviceId,
    string TopicId,
    string Name,
    string? Model,
    string? Firmware,
    string? SerialNumber,
    LockCapabilities Capabilities)
{
    /// <summary>The auto-lock values the select offers (none when the values are unknown or there is no auto-lock).</summary>
    public IReadOnlyList<int> AutoLockOptions => Capabilities.AutoLock?.AllowedSeconds ?? [];
}

/// <summary>Discovery settings and the bridge's identity.</summary>
public sealed record DiscoverySettings(string DiscoveryPrefix, string BaseTopic, string Version, bool LegacyPerEntity)
{
    /// <summary>The bridge device's identifier: unique per base topic, so two bridges on one broker do not collide.</summary>
    public string BridgeDeviceId => "schlage2mqtt_" + Topics.TopicIdAllocator.Slug(BaseTopic);
}

/// <summary>One retained discovery message; an empty payload removes what the topic configured.</summary>
public sealed record DiscoveryMessage(string Topic, string Payload);
