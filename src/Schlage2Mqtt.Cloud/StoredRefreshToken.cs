namespace Schlage2Mqtt.Cloud;

/// <summary>
/// What survives a restart of a provider that signs in with refresh tokens: the token and the identity it belongs to.
/// Never a password. The bridge stores it (mode 0600) without interpreting it; the field names follow the first
/// provider (Cognito), whose refresh needs the internal user id beside the token.
/// </summary>
/// <param name="RefreshToken">The refresh token.</param>
/// <param name="UserIdForSrp">The provider's internal user id (Cognito's USER_ID_FOR_SRP, which the refresh SECRET_HASH is computed over).</param>
/// <param name="Username">The lower-cased email the token was obtained for, so a changed username is not served a stale token.</param>
/// <param name="RefreshHashUsername">
/// The username whose SECRET_HASH Cognito last accepted for a refresh (the internal username or the lower-cased email;
/// no source settles which), tried first next time; null when not known yet.
/// </param>
public sealed record StoredRefreshToken(string RefreshToken, string? UserIdForSrp, string? Username, string? RefreshHashUsername = null)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"StoredRefreshToken {{ RefreshToken = ***, UserIdForSrp = {UserIdForSrp}, Username = {Username}, RefreshHashUsername = {RefreshHashUsername} }}";
}
