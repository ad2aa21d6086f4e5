using System.Text.Json;
using System.Text.Json.Serialization;
using Schlage2Mqtt.Schlage.Json;

namespace Schlage2Mqtt.Schlage.Api;

/// <summary>A notification subscription, e.g. notify-on-use of an access code.</summary>
public sealed record SchlageNotification
{
    /// <summary>Definition id of notify-on-use.</summary>
    public const string OnUnlockStateAction = "onunlockstateaction";

    /// <summary>Id; <c>{identityId}_{accesscodeId}</c> for notify-on-use.</summary>
    public string? NotificationId { get; init; }

    /// <summary>The user notified.</summary>
    public string? UserId { get; init; }

    /// <summary>The device.</summary>
    public string? DeviceId { get; init; }

    /// <summary>The device's type (<c>be489wifi</c>...), which the cloud wants in the body.</summary>
    public string? DevicetypeId { get; init; }

    /// <summary>What triggers it (<see cref="OnUnlockStateAction"/>).</summary>
    public string? NotificationDefinitionId { get; init; }

    /// <summary>Whether it is on.</summary>
    [JsonConverter(typeof(LenientBoolConverter))]
    public bool? Active { get; init; }

    /// <summary>Filter; the access code's name for notify-on-use.</summary>
    public string? FilterValue { get; init; }

    /// <summary>Fields this client does not model, kept as sent.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}
