using System.Text.Json.Serialization;
using Schlage2Mqtt.Cloud;

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
        return ValueTask.FromResult(ReadAccounts().TryGetValue(accountKey, out var record)
            ? new StoredRefreshToken(record.RefreshToken, record.UserIdForSrp, record.Username, record.RefreshHashUsername)
            : null);
    }

    /// <inheritdoc />
    public async ValueTask SaveAsync(string accountKey, StoredRefreshToken token, CancellationToken cancellationToken) =>
        await UpdateAsync(accounts => accounts[accountKey] = new TokenRecord(token.RefreshToken, token.UserIdForSrp, token.Username, token.RefreshHashUsername), cancellationToken);

    /// <inheritdoc />
    public async ValueTask DeleteAsync(string accountKey, CancellationToken cancellationToken) =>
        await UpdateAsync(accounts => accounts.Remove(accountKey), cancellationToken);

    // A bad record must cost only that account its stored token (it falls back to its password or reauth_required),
    // never every sign-in: the file is validated record by record like the other state files.
    private Dictionary<string, TokenRecord> ReadAccounts() =>
        store.ReadRecordMap(Document, "accounts", TokenJson.Default.TokenRecord, (_, record) =>
            string.IsNullOrWhiteSpace(record.RefreshToken) ? "refresh_token is empty" : null);

    private async Task UpdateAsync(Action<Dictionary<string, TokenRecord>> change, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var accounts = ReadAccounts();
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
internal sealed record TokenRecord(string RefreshToken, string? UserIdForSrp, string? Username, string? RefreshHashUsername = null)
{
    public override string ToString() => $"TokenRecord {{ RefreshToken = ***, UserIdForSrp = {UserIdForSrp}, Username = {Username}, RefreshHashUsername = {RefreshHashUsername} }}";
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(TokenDocument))]
[JsonSerializable(typeof(TokenRecord))]
internal sealed partial class TokenJson : JsonSerializerContext;
