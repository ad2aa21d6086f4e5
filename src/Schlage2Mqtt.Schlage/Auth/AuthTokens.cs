namespace Schlage2Mqtt.Schlage.Auth;

/// <summary>The tokens of a successful Cognito login or refresh.</summary>
/// <param name="AccessToken">Cognito AccessToken.</param>
/// <param name="IdToken">Cognito IdToken.</param>
/// <param name="RefreshToken">Refresh token; Cognito sends none on an ordinary refresh.</param>
/// <param name="ExpiresAt">When the access and id tokens expire.</param>
public sealed record AuthTokens(string AccessToken, string IdToken, string? RefreshToken, DateTimeOffset ExpiresAt)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"AuthTokens {{ AccessToken = ***, IdToken = ***, RefreshToken = {(RefreshToken is null ? "(none)" : "***")}, ExpiresAt = {ExpiresAt:O} }}";
}
