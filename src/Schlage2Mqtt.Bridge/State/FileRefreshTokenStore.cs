using System.Text.Json.Serialization;
using Schlage2Mqtt.Schlage.Auth;

namespace Schlage2Mqtt.Bridge.State;

/// <summary>
/// Keeps refresh tokens (never passwords) in <c>data_dir/tokens.json</c> (mode 0600) so a restart reuses them
/// instead of logging in again.
/// </summary>
public sealed class FileRefreshTokenStore(StateStore store) : IRefreshTokenStore, IDisposable
{
    private const string Document = "tokens";
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();

    /// <inheritdoc />
    public ValueTask<StoredRefreshToken?> LoadAsync(string accountKey, CancellationToken cancellationToken)
    {
        var document = store.Read(Document, TokenJson.Default.TokenDocument);
        return ValueTask.FromResult(document?.Accounts.TryGetValue(accountKey, out var record) == true
            ? new StoredRefreshToken(record.RefreshToken, record.UserIdForSrp, record.Username)
            : null);
    }

    /// <inheritdoc />
    public async ValueTask SaveAsync(string accountKey, StoredRefreshToken token, CancellationToken cancellationToken) =>
        await UpdateAsync(accounts => accounts[accountKey] = new TokenRecord(token.RefreshToken, token.UserIdForSrp, token.Username), cancellationToken);

    /// <inheritdoc />
    public async ValueTask DeleteAsync(string accountKey, CancellationToken cancellationToken) =>
        await UpdateAsync(accounts => accounts.Remove(accountKey), cancellationToken);

    private async Task UpdateAsync(Action<Dictionary<string, TokenRecord>> change, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var accounts = store.Read(Document, TokenJson.Default.TokenDocument)?.Accounts ?? [];
            change(accounts);
            await store.WriteAsync(Document, new TokenDocument(accounts), TokenJson.Default.TokenDocument, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }
}

/// <summary>The persisted tokens, per account key.</summary>
internal sealed record TokenDocument(Dictionary<string, TokenRecord> Accounts);

/// <summary>One account's refresh token and the identity it belongs to.</summary>
internal sealed record TokenRecord(string RefreshToken, string? UserIdForSrp, string? Username)
{
    public override string ToString() => $"TokenRecord {{ RefreshToken = ***, UserIdForSrp = {UserIdForSrp}, Username = {Username} }}";
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(TokenDocument))]
internal sealed partial class TokenJson : JsonSerializerContext;
