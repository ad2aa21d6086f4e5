using Schlage2Mqtt.Bridge.Contract;

namespace Schlage2Mqtt.Bridge.Runtime;

/// <summary>
/// The read side of the lock table: find a lock, list them. Anyone may read it at any time; only
/// <see cref="LockStateHub"/> adds and removes locks (it owns the table and hands this view out), so reading here never
/// takes a lock and never blocks a writer.
/// </summary>
internal sealed class LockRegistry(IReadOnlyDictionary<string, LockEntry> byDevice, IReadOnlyList<AccountRuntime> accounts)
{
    /// <summary>Accounts whose locks have not been listed yet (a lock asked for may be one of theirs).</summary>
    public IReadOnlyList<string> UnlistedAccounts => accounts.Where(a => a.LastSuccessAt is null).Select(a => a.Name).ToList();

    /// <summary>The <c>unknown_lock</c> error for <paramref name="lockId"/>, saying which accounts are still unread.</summary>
    public BridgeError UnknownLock(string lockId) => BridgeErrors.UnknownLock(lockId, Entries.Select(e => e.TopicId), UnlistedAccounts);

    /// <summary>Every lock the bridge publishes, by topic id.</summary>
    public IReadOnlyList<LockEntry> Entries => [.. byDevice.Values.OrderBy(e => e.TopicId, StringComparer.Ordinal)];

    /// <summary>Finds a lock by topic id, device id, or (case-insensitive) Schlage name.</summary>
    public LockEntry? Find(string id)
    {
        var entries = byDevice.Values.ToList();
        return entries.FirstOrDefault(e => e.TopicId == id)
            ?? (byDevice.TryGetValue(id, out var byId) ? byId : null)
            ?? entries.FirstOrDefault(e => string.Equals(e.Cloud.Name, id, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Device ids of every lock the bridge publishes (to tell stale discovery from live).</summary>
    public IReadOnlySet<string> DeviceIds => byDevice.Keys.ToHashSet(StringComparer.Ordinal);
}
