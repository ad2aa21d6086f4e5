using Schlage2Mqtt.Cloud;

namespace Schlage2Mqtt.Schlage.Auth;

/// <summary>
/// Provider-neutral source of bearer tokens for one account. Implementations renew tokens before
/// they expire and after the API rejects one; callers never see refresh tokens or passwords.
/// </summary>
public interface ITokenSource
{
    /// <summary>Current authentication state of the account.</summary>
    AccountAuthState State { get; }

    /// <summary>A token valid for at least the configured leeway, renewing it first when needed.</summary>
    ValueTask<TokenResult> GetTokenAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Like <see cref="GetTokenAsync"/>, but makes an effort to return a token whose <see cref="BearerToken.IdToken"/> is
    /// known (the push channel sends it as <c>X-Web-Identity-Token</c>): a source holding only a pasted access token renews
    /// first when it can. The default is <see cref="GetTokenAsync"/>; the id token may still be null when there is no way
    /// to obtain one.
    /// </summary>
    ValueTask<TokenResult> GetTokenWithIdAsync(CancellationToken cancellationToken) => GetTokenAsync(cancellationToken);

    /// <summary>
    /// Called after the API answered 401 to <paramref name="rejectedToken"/>: renews the token
    /// (refresh, then a full login when allowed) unless another caller already did.
    /// </summary>
    ValueTask<TokenResult> RenewAsync(string rejectedToken, CancellationToken cancellationToken);
}
