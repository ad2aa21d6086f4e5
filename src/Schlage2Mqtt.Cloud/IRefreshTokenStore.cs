namespace Schlage2Mqtt.Cloud;

/// <summary>
/// Persistence seam for refresh tokens, keyed by account key. The executable adapts its state
/// store (files with mode 0600) to it; tests use <see cref="InMemoryRefreshTokenStore"/>.
/// </summary>
public interface IRefreshTokenStore
{
    /// <summary>The stored token of an account, or null.</summary>
    ValueTask<StoredRefreshToken?> LoadAsync(string accountKey, CancellationToken cancellationToken);

    /// <summary>Stores (replaces) the token of an account.</summary>
    ValueTask SaveAsync(string accountKey, StoredRefreshToken token, CancellationToken cancellationToken);

    /// <summary>Forgets the token of an account (after Cognito refused it).</summary>
    ValueTask DeleteAsync(string accountKey, CancellationToken cancellationToken);
}
