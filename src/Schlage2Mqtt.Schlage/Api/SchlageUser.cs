using System.Text.Json;
using System.Text.Json.Serialization;

namespace Schlage2Mqtt.Schlage.Api;

/// <summary>A Schlage Home user (<c>users/@me</c>, <c>users</c>, a device's <c>users[]</c>).</summary>
public sealed record SchlageUser
{
    /// <summary>The user id (used as <c>userId</c> in commands and notification ids).</summary>
    public string? IdentityId { get; init; }

    /// <summary>Email address.</summary>
    public string? Email { get; init; }

    /// <summary>Display name.</summary>
    public string? FriendlyName { get; init; }

    /// <summary>Role on a device (owner, guest...), when listed under a device.</summary>
    public string? Role { get; init; }

    /// <summary>Fields this client does not model, kept as sent.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}
