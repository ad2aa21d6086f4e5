using System.Text;

namespace Schlage2Mqtt.Bridge.Topics;

/// <summary>
/// Assigns each lock its topic id: the configured alias, else a slug of its Schlage name (<c>Front Door</c> ->
/// <c>front_door</c>), made unique with a short device-id suffix on collision. Once assigned, an id sticks to its
/// device (the caller persists <see cref="Assignments"/>), so renaming a lock in the app does not break flows.
/// </summary>
public sealed class TopicIdAllocator
{
    private const string Reserved = "bridge";
    private readonly Dictionary<string, string> _byDevice;

    /// <summary>Starts from previously persisted assignments (device id -> topic id).</summary>
    public TopicIdAllocator(IReadOnlyDictionary<string, string>? persisted = null)
    {
        _byDevice = new Dictionary<string, string>(persisted ?? new Dictionary<string, string>(), StringComparer.Ordinal);
    }

    /// <summary>Every assignment, to persist.</summary>
    public IReadOnlyDictionary<string, string> Assignments => _byDevice;

    /// <summary>
    /// The topic id of <paramref name="deviceId"/>. An alias always wins (a lock holding it by slug is moved to
    /// its suffixed id); otherwise the persisted id is kept; otherwise a new unique slug is assigned.
    /// Returns whether any assignment changed (so the caller knows to persist).
    /// </summary>
    public (string TopicId, bool Changed) Assign(string deviceId, string name, string? alias)
    {
        if (alias is not null)
        {
            if (_byDevice.TryGetValue(deviceId, out var current) && current == alias)
            {
                return (alias, false);
            }
            var holder = _byDevice.FirstOrDefault(kv => kv.Value == alias && kv.Key != deviceId).Key;
            if (holder is not null)
            {
                _byDevice[holder] = WithSuffix(alias, holder);
            }
            _byDevice[deviceId] = alias;
            return (alias, true);
        }

        if (_byDevice.TryGetValue(deviceId, out var existing))
        {
            return (existing, false);
        }
        var slug = Slug(name);
        var id = slug == Reserved || _byDevice.ContainsValue(slug) ? WithSuffix(slug, deviceId) : slug;
        _byDevice[deviceId] = id;
        return (id, true);
    }

    /// <summary>Forgets a device that left the account, freeing its topic id.</summary>
    public bool Release(string deviceId) => _byDevice.Remove(deviceId);

    /// <summary><c>[a-z0-9_]</c>: lower-cased, other characters become <c>_</c>, runs collapsed, ends trimmed.</summary>
    public static string Slug(string name)
    {
        var sb = new StringBuilder(name.Length);
        foreach (var ch in name)
        {
            var folded = Fold(ch);
            if (folded is not null)
            {
                sb.Append(folded);
            }
            else if (sb.Length > 0 && sb[^1] != '_')
            {
                sb.Append('_');
            }
        }
        var slug = sb.ToString().Trim('_');
        return slug.Length == 0 ? "lock" : slug.Length > 48 ? slug[..48].TrimEnd('_') : slug;
    }

    // Latin letters with diacritics fold to their base letter ("Café" -> "cafe"); the process runs with invariant
    // globalization, so Unicode normalization is not available to do this.
    private const string Accented = "àáâãäåāăąçćčďèéêëēėęěìíîïīįłñńňòóôõöøōőŕřśšşťùúûüūůűųýÿźżžß";
    private const string Plain = "aaaaaaaaacccdeeeeeeeeiiiiiilnnnoooooooorrssstuuuuuuuuyyzzzs";

    private static string? Fold(char ch)
    {
        if (char.IsAsciiLetterOrDigit(ch))
        {
            return char.ToLowerInvariant(ch).ToString();
        }
        var index = Accented.IndexOf(char.ToLowerInvariant(ch), StringComparison.Ordinal);
        return index < 0 ? null : Plain[index].ToString();
    }

    private string WithSuffix(string slug, string deviceId)
    {
        var hex = new string(deviceId.Where(char.IsAsciiLetterOrDigit).Select(char.ToLowerInvariant).ToArray());
        for (var length = 4; length <= hex.Length; length += 2)
        {
            var candidate = $"{slug}_{hex[..length]}";
            if (!_byDevice.ContainsValue(candidate))
            {
                return candidate;
            }
        }
        // Only reachable with pathological ids; a counter still guarantees uniqueness.
        for (var n = 2; ; n++)
        {
            var candidate = $"{slug}_{n}";
            if (!_byDevice.ContainsValue(candidate))
            {
                return candidate;
            }
        }
    }
}
