using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Schlage2Mqtt.Configuration;

/// <summary>
/// The configuration as the bridge will use it (file, environment and defaults merged, secrets redacted),
/// rendered as YAML by <c>check-config</c>.
/// </summary>
internal sealed partial class EffectiveConfig
{
    private readonly List<(string Key, object Node)> _entries = [];

    public EffectiveConfig Map(string key)
    {
        var child = new EffectiveConfig();
        _entries.Add((key, child));
        return child;
    }

    public List<EffectiveConfig> List(string key)
    {
        var list = new List<EffectiveConfig>();
        _entries.Add((key, list));
        return list;
    }

    public void Value(string key, object? value, string? comment = null) => _entries.Add((key, new Leaf(value, comment)));

    public string ToYaml()
    {
        var sb = new StringBuilder();
        Write(sb, 0, firstLinePrefix: null);
        return sb.ToString();
    }

    private void Write(StringBuilder sb, int indent, string? firstLinePrefix)
    {
        var pad = new string(' ', indent);
        var first = true;
        foreach (var (key, node) in _entries)
        {
            var linePad = first && firstLinePrefix is not null ? firstLinePrefix : pad;
            first = false;
            var name = Scalar(key);
            switch (node)
            {
                case Leaf leaf:
                    sb.Append(linePad).Append(name).Append(": ").Append(Render(leaf.Value));
                    if (leaf.Comment is not null)
                    {
                        sb.Append("  # ").Append(leaf.Comment);
                    }
                    sb.Append('\n');
                    break;
                case EffectiveConfig map when map._entries.Count == 0:
                    sb.Append(linePad).Append(name).Append(": {}\n");
                    break;
                case EffectiveConfig map:
                    sb.Append(linePad).Append(name).Append(":\n");
                    map.Write(sb, indent + 2, null);
                    break;
                case List<EffectiveConfig> list when list.Count == 0:
                    sb.Append(linePad).Append(name).Append(": []\n");
                    break;
                case List<EffectiveConfig> list:
                    sb.Append(linePad).Append(name).Append(":\n");
                    foreach (var item in list)
                    {
                        item.Write(sb, indent + 4, pad + "  - ");
                    }
                    break;
            }
        }
    }

    private static string Render(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        int or long or double => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        TimeSpan t => Scalar(DurationText(t)),
        Secret => "'***'",
        _ => Scalar(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""),
    };

    public static string DurationText(TimeSpan t) =>
        t.TotalMilliseconds % 1000 != 0 ? $"{t.TotalMilliseconds:0}ms"
        : t.TotalSeconds % 3600 == 0 && t.TotalSeconds > 0 ? $"{t.TotalHours:0}h"
        : t.TotalSeconds % 60 == 0 && t.TotalSeconds > 0 ? $"{t.TotalMinutes:0}m"
        : $"{t.TotalSeconds:0}s";

    private static string Scalar(string text) =>
        PlainSafe().IsMatch(text) && !Ambiguous().IsMatch(text) ? text : "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    [GeneratedRegex(@"^[A-Za-z0-9_./@+-][A-Za-z0-9_./:@+-]*$")]
    private static partial Regex PlainSafe();

    // Plain scalars YAML would read as something other than a string.
    [GeneratedRegex(@"^(?:true|false|yes|no|on|off|null|~|[-+]?[0-9][0-9_.]*(?:e[-+]?[0-9]+)?)$", RegexOptions.IgnoreCase)]
    private static partial Regex Ambiguous();

    private sealed record Leaf(object? Value, string? Comment);
}
