using System.Globalization;
using System.Text.RegularExpressions;

namespace Schlage2Mqtt.Configuration;

/// <summary>
/// Reads one mapping of the configuration tree into typed values. Every getter marks its key as known,
/// falls back to the default it is given (the options record's own), records the effective value for
/// <c>check-config</c> and where the key came from, and reports a value it cannot read as its type as ONE error
/// naming the key path, the value (secrets redacted) and what is allowed. Ranges are not its business: each
/// layer's validator checks them after binding. Call <see cref="ReportUnknownKeys"/> last so typos such as
/// <c>mqtt.sever</c> are reported.
/// </summary>
internal sealed partial class ConfigReader
{
    private readonly ConfigMap? _map;
    private readonly string _source;
    private readonly ConfigErrors _errors;
    private readonly EffectiveConfig _effective;
    private readonly ConfigSources _sources;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    public ConfigReader(ConfigMap? map, string path, string source, string baseDirectory, ConfigErrors errors, EffectiveConfig effective, ConfigSources sources)
    {
        _map = map;
        Path = path;
        _source = source;
        BaseDirectory = baseDirectory;
        _errors = errors;
        _effective = effective;
        _sources = sources;
        if (map is not null)
        {
            sources.Add(path, map.Source);
        }
    }

    /// <summary>The key path of this mapping, e.g. <c>schlage.accounts[0]</c>.</summary>
    public string Path { get; }

    /// <summary>Relative file paths are resolved against this directory (the config file's).</summary>
    public string BaseDirectory { get; }

    /// <summary>True when the mapping is present in the input at all.</summary>
    public bool IsPresent => _map is not null;

    public int ErrorCount => _errors.All.Count;

    public string KeyPath(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    public bool Has(string key) => _map?.Entries.ContainsKey(key) == true && _map.Entries[key] is not ConfigScalar { Value: null };

    public void Error(string key, string message) => _errors.Add(KeyPath(key), message, SourceOf(key));

    /// <summary>When <paramref name="key"/> is not given, its default follows <paramref name="originPath"/>: a problem there is not repeated here.</summary>
    public void DefaultFrom(string key, string originPath)
    {
        if (!Has(key))
        {
            _sources.Derive(KeyPath(key), originPath);
        }
    }

    public string String(string key, string @default, Func<string, string?>? validate = null, Func<string, string>? redact = null) =>
        OptionalString(key, validate, @default, redact) ?? @default;

    // redact: how the value may be shown (errors, effective config) when part of it is secret.
    public string? OptionalString(string key, Func<string, string?>? validate = null, string? @default = null, Func<string, string>? redact = null)
    {
        var (text, source) = Scalar(key);
        if (text is null)
        {
            _effective.Value(key, @default);
            return @default;
        }
        var shown = redact?.Invoke(text) ?? text;
        var problem = validate?.Invoke(text);
        if (problem is not null)
        {
            _errors.Add(KeyPath(key), $"'{shown}' {problem}", source!);
            _effective.Value(key, @default);
            return @default;
        }
        _effective.Value(key, shown, Comment(source));
        _sources.Written(KeyPath(key), shown);
        return text;
    }

    public bool Bool(string key, bool @default)
    {
        var (text, source) = Scalar(key);
        bool? value = text?.ToLowerInvariant() switch
        {
            null => @default,
            "true" or "yes" or "on" => true,
            "false" or "no" or "off" => false,
            _ => null,
        };
        if (value is null)
        {
            _errors.Add(KeyPath(key), $"'{text}' is not a boolean; use true or false", source!);
        }
        _effective.Value(key, value ?? @default, Comment(source));
        return value ?? @default;
    }

    public int Int(string key, int @default)
    {
        var (text, source) = Scalar(key);
        if (text is null)
        {
            _effective.Value(key, @default);
            return @default;
        }
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            _errors.Add(KeyPath(key), $"'{text}' is not allowed; use a whole number", source!);
            _effective.Value(key, @default);
            return @default;
        }
        _effective.Value(key, value, Comment(source));
        _sources.Written(KeyPath(key), text);
        return value;
    }

    /// <summary>A duration: a number of seconds, or a number with a unit (<c>500ms</c>, <c>15s</c>, <c>2m</c>, <c>1h</c>).</summary>
    public TimeSpan Duration(string key, TimeSpan @default)
    {
        var (text, source) = Scalar(key);
        if (text is null)
        {
            _effective.Value(key, @default);
            return @default;
        }
        var parsed = ParseDuration(text);
        if (parsed is null)
        {
            _errors.Add(KeyPath(key), $"'{text}' is not a duration; use seconds (60) or a number with a unit: 500ms, 15s, 2m, 1h", source!);
            _effective.Value(key, @default);
            return @default;
        }
        _effective.Value(key, parsed.Value, Comment(source));
        _sources.Written(KeyPath(key), text);
        return parsed!.Value;
    }

    /// <summary>A URL; whether its scheme suits the key is the layer validator's call.</summary>
    public Uri? Url(string key, Uri? @default)
    {
        var text = OptionalString(key, v => Uri.TryCreate(v, UriKind.RelativeOrAbsolute, out _) ? null : "is not a URL", @default?.OriginalString);
        return text == @default?.OriginalString ? @default : new Uri(text!, UriKind.RelativeOrAbsolute);
    }

    public T Choice<T>(string key, T @default, IReadOnlyDictionary<string, T> allowed, string? shownDefault = null)
    {
        var (text, source) = Scalar(key);
        var shown = shownDefault ?? allowed.First(kv => EqualityComparer<T>.Default.Equals(kv.Value, @default)).Key;
        if (text is null)
        {
            _effective.Value(key, shown);
            return @default;
        }
        var match = allowed.FirstOrDefault(kv => string.Equals(kv.Key, text, StringComparison.OrdinalIgnoreCase));
        if (match.Key is null)
        {
            _errors.Add(KeyPath(key), $"'{text}' is not allowed; use one of: {string.Join(", ", allowed.Keys)}", source!);
            _effective.Value(key, shown);
            return @default;
        }
        _effective.Value(key, match.Key, Comment(source));
        return match.Value;
    }

    /// <summary>
    /// A secret, given inline, as <c>&lt;key&gt;_file</c> (a path whose contents are the secret), or through the
    /// environment (<c>S2M__..__KEY</c>). Its value never appears in errors or output.
    /// </summary>
    public Secret? Secret(string key, string? @default = null)
    {
        var fileKey = key + "_file";
        var (inline, inlineSource) = Scalar(key);
        var (path, pathSource) = Scalar(fileKey);
        if (inline is not null && path is not null)
        {
            _errors.Add(KeyPath(key), $"is set both inline and as {fileKey}; keep one", pathSource!);
            _effective.Value(key, new Secret(inline));
            return new Secret(inline);
        }
        if (path is not null)
        {
            var full = ResolvePath(path);
            try
            {
                var text = File.ReadAllText(full).TrimEnd('\r', '\n');
                if (text.Length == 0)
                {
                    _errors.Add(KeyPath(fileKey), $"file '{full}' is empty; put the secret in it", pathSource!);
                    _effective.Value(key, null);
                    return null;
                }
                _effective.Value(key, new Secret(text), $"from {full}");
                return new Secret(text);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                _errors.Add(KeyPath(fileKey), $"cannot read '{full}': {ex.Message}; fix the path or its permissions", pathSource!);
                _effective.Value(key, null);
                return null;
            }
        }
        // An explicit empty value means "none" (e.g. an app client without a secret), not "the default".
        var value = inline is null ? @default : inline.Length == 0 ? null : inline;
        _effective.Value(key, value is null ? null : new Secret(value), Comment(inlineSource));
        return value is null ? null : new Secret(value);
    }

    /// <summary>A directory path, relative paths taken from the config file's directory; the effective value is absolute.</summary>
    public string DirectoryPath(string key, string @default)
    {
        var (text, source) = Scalar(key);
        var full = ResolvePath(text ?? @default);
        _effective.Value(key, full, Comment(source));
        return full;
    }

    /// <summary>A path to an existing file, relative paths taken from the config file's directory.</summary>
    public string? ExistingFile(string key)
    {
        var (text, source) = Scalar(key);
        if (text is null)
        {
            _effective.Value(key, null);
            return null;
        }
        var full = ResolvePath(text);
        if (!File.Exists(full))
        {
            _errors.Add(KeyPath(key), $"'{text}' does not exist (looked for {full}); give the path of a PEM file", source!);
            _effective.Value(key, text);
            return null;
        }
        _effective.Value(key, full, Comment(source));
        return full;
    }

    public string ResolvePath(string path) =>
        System.IO.Path.GetFullPath(path.StartsWith("~/", StringComparison.Ordinal)
            ? System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path[2..])
            : System.IO.Path.Combine(BaseDirectory, path));

    public ConfigReader Section(string key)
    {
        _known.Add(key);
        var node = _map?.Entries.GetValueOrDefault(key);
        var child = _effective.Map(key);
        switch (node)
        {
            case null or ConfigScalar { Value: null }:
                return new ConfigReader(null, KeyPath(key), SourceOf(key), BaseDirectory, _errors, child, _sources);
            case ConfigMap map:
                return new ConfigReader(map, KeyPath(key), map.Source, BaseDirectory, _errors, child, _sources);
            default:
                _errors.Add(KeyPath(key), $"must be a mapping of keys (e.g. {key}:\\n  key: value), not a {Describe(node)}", node.Source);
                return new ConfigReader(null, KeyPath(key), node.Source, BaseDirectory, _errors, child, _sources);
        }
    }

    /// <summary>A list of mappings, e.g. <c>schlage.accounts</c>.</summary>
    public IReadOnlyList<ConfigReader> List(string key)
    {
        _known.Add(key);
        var node = _map?.Entries.GetValueOrDefault(key);
        var effective = _effective.List(key);
        switch (node)
        {
            case null or ConfigScalar { Value: null }:
                return [];
            case ConfigList list:
                var readers = new List<ConfigReader>();
                for (var i = 0; i < list.Items.Count; i++)
                {
                    var path = $"{KeyPath(key)}[{i}]";
                    var item = new EffectiveConfig();
                    effective.Add(item);
                    _sources.Add(path, list.Items[i].Source);
                    if (list.Items[i] is ConfigMap map)
                    {
                        readers.Add(new ConfigReader(map, path, map.Source, BaseDirectory, _errors, item, _sources));
                    }
                    else
                    {
                        _errors.Add(path, $"must be a mapping of keys, not a {Describe(list.Items[i])}", list.Items[i].Source);
                    }
                }
                return readers;
            default:
                _errors.Add(KeyPath(key), $"must be a list (items start with '- '), not a {Describe(node)}", node.Source);
                return [];
        }
    }

    /// <summary>A mapping whose keys are user data (e.g. lock names under <c>locks:</c>), each holding a mapping.</summary>
    public IReadOnlyList<(string Key, ConfigReader Reader)> Entries(string key)
    {
        _known.Add(key);
        var node = _map?.Entries.GetValueOrDefault(key);
        var effective = _effective.Map(key);
        switch (node)
        {
            case null or ConfigScalar { Value: null }:
                return [];
            case ConfigMap map:
                var result = new List<(string, ConfigReader)>();
                foreach (var (name, value) in map.Entries)
                {
                    var path = $"{KeyPath(key)}[\"{name}\"]";
                    var item = effective.Map(name);
                    _sources.Add(path, value.Source);
                    switch (value)
                    {
                        case ConfigMap entry:
                            result.Add((name, new ConfigReader(entry, path, entry.Source, BaseDirectory, _errors, item, _sources)));
                            break;
                        case ConfigScalar { Value: null }:
                            result.Add((name, new ConfigReader(null, path, value.Source, BaseDirectory, _errors, item, _sources)));
                            break;
                        default:
                            _errors.Add(path, $"must be a mapping of keys (alias:, ignore:), not a {Describe(value)}", value.Source);
                            break;
                    }
                }
                return result;
            default:
                _errors.Add(KeyPath(key), $"must be a mapping, not a {Describe(node)}", node.Source);
                return [];
        }
    }

    public void ReportUnknownKeys()
    {
        if (_map is null)
        {
            return;
        }
        foreach (var (key, node) in _map.Entries)
        {
            if (_known.Contains(key))
            {
                continue;
            }
            var suggestion = Closest(key, _known);
            var hint = suggestion is null
                ? $"known keys here: {string.Join(", ", _known.Where(k => !k.EndsWith("_file", StringComparison.Ordinal)))}"
                : $"did you mean {KeyPath(suggestion)}?";
            _errors.Add(KeyPath(key), $"unknown key; {hint}", node.Source);
        }
    }

    private (string? Text, string? Source) Scalar(string key)
    {
        _known.Add(key);
        var node = _map?.Entries.GetValueOrDefault(key);
        switch (node)
        {
            case null:
                return (null, null);
            case ConfigScalar scalar:
                _sources.Add(KeyPath(key), scalar.Source);
                return (scalar.Value, scalar.Source);
            default:
                _errors.Add(KeyPath(key), $"must be a single value, not a {Describe(node)}", node.Source);
                return (null, null);
        }
    }

    private string SourceOf(string key) => _map?.Entries.GetValueOrDefault(key)?.Source ?? _source;

    private static string? Comment(string? source) =>
        source is not null && source.StartsWith("env ", StringComparison.Ordinal) ? "from " + source : null;

    private static string Describe(ConfigNode node) => node switch
    {
        ConfigMap => "mapping",
        ConfigList => "list",
        _ => "plain value",
    };

    internal static TimeSpan? ParseDuration(string text)
    {
        var match = DurationPattern().Match(text.Trim());
        if (!match.Success || !double.TryParse(match.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
        {
            return null;
        }
        return match.Groups[2].Value.ToLowerInvariant() switch
        {
            "ms" => TimeSpan.FromMilliseconds(n),
            "" or "s" => TimeSpan.FromSeconds(n),
            "m" => TimeSpan.FromMinutes(n),
            "h" => TimeSpan.FromHours(n),
            _ => null,
        };
    }

    [GeneratedRegex(@"^([0-9]+(?:\.[0-9]+)?)\s*(ms|s|m|h|)$", RegexOptions.IgnoreCase)]
    private static partial Regex DurationPattern();

    internal static string? Closest(string key, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var d = Levenshtein(key.ToLowerInvariant(), candidate);
            if (d < bestDistance)
            {
                best = candidate;
                bestDistance = d;
            }
        }
        return best is not null && bestDistance <= Math.Max(2, key.Length / 3) ? best : null;
    }

    private static int Levenshtein(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
