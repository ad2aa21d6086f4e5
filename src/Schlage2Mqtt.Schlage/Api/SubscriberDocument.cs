using System.Text.Json.Serialization;

namespace Schlage2Mqtt.Schlage.Api;

/// <summary>A websocket subscriber of the August/Yale-style API (seed 004): <c>{subscriberID, scopes, clientID, userID}</c>.</summary>
public sealed record SubscriberDocument
{
    /// <summary>The subscriber id: the websocket's <c>?subscriberID=</c>. Treated as a credential: never logged.</summary>
    [JsonPropertyName("subscriberID")]
    public string? SubscriberId { get; init; }

    /// <summary>Event scopes, <c>["lock"]</c>.</summary>
    public IReadOnlyList<string>? Scopes { get; init; }

    /// <summary>The API client the subscriber belongs to.</summary>
    [JsonPropertyName("clientID")]
    public string? ClientId { get; init; }

    /// <summary>The user the subscriber belongs to.</summary>
    [JsonPropertyName("userID")]
    public string? UserId { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"SubscriberDocument {{ SubscriberId = ***, Scopes = [{string.Join(", ", Scopes ?? [])}], UserId = {UserId} }}";
}

/// <summary>The body of <c>POST /websocket/subscribers</c>.</summary>
/// <param name="Scopes">The scopes to subscribe to (<c>lock</c>).</param>
internal sealed record SubscriberRequest(IReadOnlyList<string> Scopes);
