namespace Schlage2Mqtt.Configuration;

/// <summary>
/// Where each key path was read from (a file position or an environment variable), so a problem a layer's validator
/// finds after binding still points at the line that set the value, or at the mapping that lacks it.
/// </summary>
internal sealed class ConfigSources(string rootSource)
{
    private readonly Dictionary<string, string> _sources = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _derived = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _written = new(StringComparer.Ordinal);

    public void Add(string path, string source) => _sources[path] = source;

    /// <summary>Notes the value of <paramref name="path"/> as the file wrote it (redacted where part of it is secret).</summary>
    public void Written(string path, string shown) => _written[path] = shown;

    /// <summary>
    /// <paramref name="message"/> quoting the value as written: a validator quotes the bound value first
    /// (<c>'5s' is below ...</c>), which the user may have written differently (<c>5</c>).
    /// </summary>
    public string AsWritten(string path, string message)
    {
        var close = message.StartsWith('\'') ? message.IndexOf("' ", 1, StringComparison.Ordinal) : -1;
        return close > 0 && _written.TryGetValue(path, out var shown) ? $"'{shown}{message[close..]}" : message;
    }

    /// <summary>Notes that the default of <paramref name="path"/> was taken from <paramref name="origin"/>'s value.</summary>
    public void Derive(string path, string origin) => _derived[path] = origin;

    /// <summary>The key whose value <paramref name="path"/>'s default was taken from, if it was.</summary>
    public string? OriginOf(string path) => _derived.GetValueOrDefault(path);

    /// <summary>The source of <paramref name="path"/>, else of its nearest present parent, else the file.</summary>
    public string Of(string path)
    {
        for (var current = path; current.Length > 0; current = Parent(current))
        {
            if (_sources.TryGetValue(current, out var source))
            {
                return source;
            }
        }
        return rootSource;
    }

    // a.b -> a, a["x.y"] -> a, a[0].b -> a[0]: a bracketed segment may hold dots, so brackets are cut first.
    private static string Parent(string path)
    {
        if (path.EndsWith(']'))
        {
            var open = path.LastIndexOf('[');
            return open < 0 ? "" : path[..open];
        }
        var dot = path.LastIndexOf('.');
        return dot < 0 ? "" : path[..dot];
    }
}
