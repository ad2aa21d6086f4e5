using System.Collections.Concurrent;

namespace Schlage2Mqtt.Cloud;

/// <summary>A process-lifetime <see cref="IRefreshTokenStore"/> (tests, demo mode).</summary>
public sealed class InMemoryRefreshTokenStore : IRefreshTokenStore
{
    private readonly ConcurrentDictionary<string, StoredRefreshToken> _tokens = new(StringComparer.Ordinal);

    /// <summary>Number of saves so far (lets tests see that a token was persisted).</summary>
    public int SaveCount => Volatile.Read(ref _saveCount);

    private int _saveCount;

    /// <inheritdoc />
    public ValueTask<StoredRefreshToken?> LoadAsync(string accountKey, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_tokens.TryGetValue(accountKey, out var token) ? token : null);

    /// <inheritdoc />
    public ValueTask SaveAsync(string accountKey, StoredRefreshToken token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        _tokens[accountKey] = token;
        Interlocked.Increment(ref _saveCount);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask DeleteAsync(string accountKey, CancellationToken cancellationToken)
    {
        _tokens.TryRemove(accountKey, out _);
        return ValueTask.CompletedTask;
    }
}
