using System.Text.Json;
using System.Text.Json.Serialization;
using Schlage2Mqtt.Schlage.Json;

namespace Schlage2Mqtt.Schlage.Api;

/// <summary>
/// A device document as the cloud sends it. Every member is nullable: an offline lock's document
/// is sparse, and a missing value must read as unknown, never as a default.
/// </summary>
public sealed record SchlageDevice
{
    /// <summary>The device id (a UUID).</summary>
    public string? DeviceId { get; init; }

    /// <summary>Device type, e.g. <c>be489wifi</c>; decides the lock/unlock mechanism.</summary>
    public string? DevicetypeId { get; init; }

    /// <summary>Name given in the Schlage Home app.</summary>
    public string? Name { get; init; }

    /// <summary>Marketing model name.</summary>
    public string? ModelName { get; init; }

    /// <summary>Serial number.</summary>
    public string? SerialNumber { get; init; }

    /// <summary>MAC address.</summary>
    public string? MacAddress { get; init; }

    /// <summary>Whether the cloud currently reaches the lock.</summary>
    [JsonConverter(typeof(LenientBoolConverter))]
    public bool? Connected { get; init; }

    /// <summary>When <see cref="Connected"/> last changed.</summary>
    [JsonConverter(typeof(LenientDateTimeOffsetConverter))]
    public DateTimeOffset? ConnectivityUpdated { get; init; }

    /// <summary>When the cloud last changed the document.</summary>
    [JsonConverter(typeof(LenientDateTimeOffsetConverter))]
    public DateTimeOffset? LastUpdated { get; init; }

    /// <summary>The account's role on this device.</summary>
    public string? Role { get; init; }

    /// <summary>Value the <c>changelockstate</c> command echoes back (bridge-connected models).</summary>
    [JsonPropertyName("CAT")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? Cat { get; init; }

    /// <summary>Users of the lock.</summary>
    public IReadOnlyList<SchlageUser>? Users { get; init; }

    /// <summary>Related devices, e.g. the bridge of a Sense lock.</summary>
    public IReadOnlyList<RelatedDevice>? RelatedDevices { get; init; }

    /// <summary>The lock's attributes; null or sparse when the lock is offline.</summary>
    public DeviceAttributes? Attributes { get; init; }

    /// <summary>Fields this client does not model, kept as sent.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>A device related to a lock (e.g. its Wi-Fi bridge).</summary>
public sealed record RelatedDevice
{
    /// <summary>The related device's id.</summary>
    public string? DeviceId { get; init; }

    /// <summary>Fields this client does not model, kept as sent.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}
