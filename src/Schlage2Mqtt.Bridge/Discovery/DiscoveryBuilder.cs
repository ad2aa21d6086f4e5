using System.Text.Json.Nodes;
using Schlage2Mqtt.Bridge.Contract;
using Schlage2Mqtt.Bridge.Topics;

namespace Schlage2Mqtt.Bridge.Discovery;

/// <summary>
/// Builds Home Assistant MQTT discovery: one device-based config per lock on
/// <c>&lt;prefix&gt;/device/schlage_&lt;deviceId&gt;/config</c> (keys abbreviated, <c>dev</c>, <c>o</c>, <c>cmps</c>) and one for the
/// bridge, or (legacy mode, Home Assistant before 2024.11) one config per entity on
/// <c>&lt;prefix&gt;/&lt;component&gt;/schlage_&lt;deviceId&gt;/&lt;object&gt;/config</c>. Unique ids use the Schlage device id, never
/// the topic id, so a renamed topic keeps its entities.
/// </summary>
public sealed class DiscoveryBuilder(DiscoverySettings settings)
{
    /// <summary>The event types of the activity <c>event</c> entity.</summary>
    public static IReadOnlyList<string> EventTypes => ActivityEventTypes.All;

    private readonly BridgeTopics _topics = new(settings.BaseTopic);

    /// <summary>The messages that configure <paramref name="lockInfo"/> (one in device mode, one per entity in legacy mode).</summary>
    public IReadOnlyList<DiscoveryMessage> ForLock(DiscoveryLock lockInfo) =>
        Package(LockComponents(lockInfo), LockDevice(lockInfo), LockDeviceTopic(lockInfo.DeviceId),
            c => LegacyTopic(c.Platform, lockInfo.DeviceId, c.ObjectId));

    /// <summary>The messages that remove every entity of a lock (empty retained payloads).</summary>
    public IReadOnlyList<DiscoveryMessage> RemoveLock(DiscoveryLock lockInfo) =>
        settings.LegacyPerEntity
            ? LockComponents(lockInfo).Select(c => new DiscoveryMessage(LegacyTopic(c.Platform, lockInfo.DeviceId, c.ObjectId), "")).ToList()
            : [new DiscoveryMessage(LockDeviceTopic(lockInfo.DeviceId), "")];

    /// <summary>The bridge device: connection state and version; locks point to it with <c>via_device</c>.</summary>
    public IReadOnlyList<DiscoveryMessage> ForBridge()
    {
        var id = settings.BridgeDeviceId;
        var components = new List<Component>
        {
            new("binary_sensor", "connection_state", new JsonObject
            {
                ["p"] = "binary_sensor",
                ["name"] = "Connection state",
                ["uniq_id"] = $"{id}_connection_state",
                ["qos"] = 1,
                ["dev_cla"] = "connectivity",
                ["ent_cat"] = "diagnostic",
                ["stat_t"] = _topics.BridgeState,
                ["pl_on"] = "online",
                ["pl_off"] = "offline",
            }),
            DiagnosticSensor(id, "version", "Version", "mdi:information-outline", "{{ value_json.version }}"),
            DiagnosticSensor(id, "push_state", "Push channel", "mdi:access-point-network", "{{ value_json.push_summary | default('disabled') }}"),
        };
        var device = new JsonObject
        {
            ["ids"] = new JsonArray(id),
            ["name"] = "schlage2mqtt bridge" + (settings.BaseTopic == "schlage2mqtt" ? "" : $" ({settings.BaseTopic})"),
            ["mf"] = "schlage2mqtt",
            ["mdl"] = "Schlage cloud bridge",
            ["sw"] = settings.Version,
        };
        return Package(components, device, $"{settings.DiscoveryPrefix}/device/{id}/config",
            c => $"{settings.DiscoveryPrefix}/{c.Platform}/{id}/{c.ObjectId}/config");
    }

    /// <summary>
    /// One device config carrying every component (device mode), or one config per component with the device and
    /// origin repeated in each (legacy mode), as Home Assistant reads each form.
    /// </summary>
    private List<DiscoveryMessage> Package(List<Component> components, JsonObject device, string deviceTopic, Func<Component, string> legacyTopic)
    {
        if (!settings.LegacyPerEntity)
        {
            var config = new JsonObject
            {
                ["dev"] = device,
                ["o"] = Origin(),
                ["cmps"] = new JsonObject(components.Select(c => KeyValuePair.Create<string, JsonNode?>(c.ObjectId, c.Config))),
                ["qos"] = 1,
            };
            return [new DiscoveryMessage(deviceTopic, config.ToJsonString())];
        }
        return components.Select(c =>
        {
            var config = (JsonObject)c.Config.DeepClone();
            config["dev"] = device.DeepClone();
            config["o"] = Origin();
            config["qos"] = 1;
            return new DiscoveryMessage(legacyTopic(c), config.ToJsonString());
        }).ToList();
    }

    // A read-only figure of the bridge's info document, shown under the device's diagnostics.
    private Component DiagnosticSensor(string bridgeId, string objectId, string name, string icon, string valueTemplate) =>
        new("sensor", objectId, new JsonObject
        {
            ["p"] = "sensor",
            ["name"] = name,
            ["uniq_id"] = $"{bridgeId}_{objectId}",
            ["qos"] = 1,
            ["ent_cat"] = "diagnostic",
            ["ic"] = icon,
            ["stat_t"] = _topics.BridgeInfo,
            ["val_tpl"] = valueTemplate,
            ["avty"] = BridgeAvailability(),
        });

    /// <summary>The device-discovery topic of a lock.</summary>
    public string LockDeviceTopic(string deviceId) => $"{settings.DiscoveryPrefix}/device/{UniquePrefix(deviceId)}/config";

    /// <summary>Topic filters that match every discovery config this bridge can have published (to find stale ones).</summary>
    public IReadOnlyList<string> OwnConfigFilters =>
        settings.LegacyPerEntity
            ? [$"{settings.DiscoveryPrefix}/+/+/+/config"]
            : [$"{settings.DiscoveryPrefix}/device/+/config"];

    /// <summary>
    /// True when a retained config found on the broker was published by this bridge: our origin, and a device that
    /// is this bridge or hangs off it (<c>via_device</c>), so another bridge's configs on the same broker are left alone.
    /// </summary>
    public bool IsOwnConfig(string payload)
    {
        try
        {
            var node = JsonNode.Parse(payload);
            if (node?["o"]?["name"]?.GetValue<string>() != "schlage2mqtt")
            {
                return false;
            }
            var device = node["dev"];
            return device?["via_device"]?.GetValue<string>() == settings.BridgeDeviceId
                || (device?["ids"] as JsonArray)?.Any(id => id?.GetValue<string>() == settings.BridgeDeviceId) == true;
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException or FormatException)
        {
            return false;
        }
    }

    /// <summary>The device id a lock config topic belongs to, or null for topics that are not lock configs.</summary>
    public string? DeviceIdOfTopic(string topic)
    {
        var parts = topic.Split('/');
        var candidate = settings.LegacyPerEntity ? (parts.Length >= 4 ? parts[^3] : null) : (parts.Length >= 3 ? parts[^2] : null);
        return candidate is not null && candidate.StartsWith("schlage_", StringComparison.Ordinal) ? candidate["schlage_".Length..] : null;
    }

    private static string UniquePrefix(string deviceId) => "schlage_" + deviceId;

    private string LegacyTopic(string platform, string deviceId, string objectId) =>
        $"{settings.DiscoveryPrefix}/{platform}/{UniquePrefix(deviceId)}/{objectId}/config";

    // Home Assistant validates the origin strictly: only name, sw and url may appear.
    private JsonObject Origin() => new()
    {
        ["name"] = "schlage2mqtt",
        ["sw"] = settings.Version,
    };

    private JsonObject LockDevice(DiscoveryLock l)
    {
        var device = new JsonObject
        {
            ["ids"] = new JsonArray(UniquePrefix(l.DeviceId)),
            ["name"] = l.Name,
            ["mf"] = "Schlage",
            ["via_device"] = settings.BridgeDeviceId,
        };
        if (l.Model is not null)
        {
            device["mdl"] = l.Model;
        }
        if (l.Firmware is not null)
        {
            device["sw"] = l.Firmware;
        }
        if (l.SerialNumber is not null)
        {
            device["sn"] = l.SerialNumber;
        }
        return device;
    }

    private JsonArray BridgeAvailability() => new(new JsonObject { ["t"] = _topics.BridgeState });

    private List<Component> LockComponents(DiscoveryLock l)
    {
        var u = UniquePrefix(l.DeviceId);
        JsonObject Entity(string platform, string objectId, string? name, JsonObject extra, bool lockAvailability = true)
        {
            var config = new JsonObject
            {
                ["p"] = platform,
                ["name"] = name,
                ["uniq_id"] = $"{u}_{objectId}",
                // On every component: Home Assistant 2024.11 does not copy the device-level qos down to them.
                ["qos"] = 1,
            };
            if (lockAvailability)
            {
                config["avty"] = new JsonArray(new JsonObject { ["t"] = _topics.BridgeState }, new JsonObject { ["t"] = _topics.Availability(l.TopicId) });
                config["avty_mode"] = "all";
            }
            else
            {
                config["avty"] = BridgeAvailability();
            }
            foreach (var (key, value) in extra)
            {
                config[key] = value?.DeepClone();
            }
            return config;
        }

        var context = new LockEntityContext(_topics, l.TopicId, l.AutoLockOptions);
        // The catalogue decides which entities a lock gets and what each one is; the builder adds the common keys.
        return LockEntityCatalogue.For(l.Capabilities.Features)
            .Select(e => new Component(e.Platform, e.ObjectId, Entity(e.Platform, e.ObjectId, e.Name, e.Config(context), e.FollowsLockAvailability)))
            .ToList();
    }

    private sealed record Component(string Platform, string ObjectId, JsonObject Config);
}
