namespace Schlage2Mqtt.Schlage.Auth;

/// <summary>The token API calls present, with the id token the push channel needs.</summary>
/// <param name="Value">The bearer token (access or id token, per configuration).</param>
/// <param name="IdToken">The id token when known (the push channel's <c>X-Web-Identity-Token</c>).</param>
/// <param name="ExpiresAt">Expiry when known; null for a pasted token whose expiry cannot be read.</param>
public sealed record BearerToken(string Value, string? IdToken, DateTimeOffset? ExpiresAt)
{
    /// <inheritdoc />
    public override string ToString() => $"BearerToken {{ Value = ***, ExpiresAt = {ExpiresAt?.ToString("O") ?? "(unknown)"} }}";
}
