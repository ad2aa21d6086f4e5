namespace Schlage2Mqtt.Schlage.Options;

/// <summary>
/// One Schlage Home account: either a username and password (SRP login), or a pasted
/// access/id token with an optional refresh token (seed 000). A stored refresh token from
/// <c>schlage2mqtt login</c> needs neither.
/// </summary>
public sealed record SchlageAccountOptions
{
    /// <summary>Stable key of the account (config name); keys the stored refresh token and the logs.</summary>
    public string Key { get; init; } = "default";

    /// <summary>The account's email address; lower-cased before use.</summary>
    public string? Username { get; init; }

    /// <summary>The account password. Used only for SRP, never stored.</summary>
    public string? Password { get; init; }

    /// <summary>A pasted Cognito token (of the configured token type).</summary>
    public string? AccessToken { get; init; }

    /// <summary>A pasted Cognito refresh token.</summary>
    public string? RefreshToken { get; init; }

    /// <summary>The username as Cognito expects it: trimmed and lower-case.</summary>
    public string? NormalizedUsername => Username?.Trim().ToLowerInvariant();

    /// <inheritdoc />
    public override string ToString() =>
        $"SchlageAccountOptions {{ Key = {Key}, Username = {Username ?? "(none)"}, Password = {Mask(Password)}, " +
        $"AccessToken = {Mask(AccessToken)}, RefreshToken = {Mask(RefreshToken)} }}";

    private static string Mask(string? secret) => string.IsNullOrEmpty(secret) ? "(none)" : "***";
}
