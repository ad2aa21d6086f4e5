using System.Collections;

namespace Schlage2Mqtt.Configuration;

/// <summary>
/// Applies <c>S2M__SECTION__KEY=value</c> environment variables on top of the file, for every key:
/// <c>S2M__MQTT__SERVER</c>, <c>S2M__SCHLAGE__ACCOUNTS__0__PASSWORD</c>, <c>S2M__MQTT__PASSWORD_FILE</c>.
/// Numeric segments index lists; other segments are lower-cased keys.
/// </summary>
internal static class EnvironmentOverrides
{
    public const string Prefix = "S2M__";

    public static void Apply(ConfigMap root, IDictionary environment, ConfigErrors errors)
    {
        var variables = environment.Cast<DictionaryEntry>()
            .Select(e => (Name: (string)e.Key, Value: e.Value as string))
            .Where(e => e.Name.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
            .OrderBy(e => e.Name, StringComparer.Ordinal);

        foreach (var (name, value) in variables)
        {
            var segments = name[Prefix.Length..].Split("__");
            if (segments.Any(string.IsNullOrEmpty))
            {
                errors.Add(name, "is not a valid override; use S2M__SECTION__KEY, e.g. S2M__MQTT__SERVER", $"env {name}");
                continue;
            }
            Set(root, segments.Select(s => s.ToLowerInvariant()).ToArray(), string.IsNullOrEmpty(value) ? null : value, name, errors);
        }
    }

    private static void Set(ConfigMap root, string[] path, string? value, string variable, ConfigErrors errors)
    {
        var source = $"env {variable}";
        ConfigNode current = root;
        for (var i = 0; i < path.Length; i++)
        {
            var last = i == path.Length - 1;
            var nextIsIndex = !last && int.TryParse(path[i + 1], out _);
            ConfigNode? Make() => last ? new ConfigScalar(value, source) : nextIsIndex ? new ConfigList(source) : new ConfigMap(source);

            switch (current)
            {
                case ConfigMap map:
                    if (last || !map.Entries.TryGetValue(path[i], out var child) || child is ConfigScalar)
                    {
                        child = Make()!;
                        map.Entries[path[i]] = child;
                    }
                    current = child;
                    break;
                case ConfigList list when int.TryParse(path[i], out var index) && index >= 0 && index <= list.Items.Count:
                    if (index == list.Items.Count)
                    {
                        list.Items.Add(Make()!);
                    }
                    else if (last || list.Items[index] is ConfigScalar)
                    {
                        list.Items[index] = Make()!;
                    }
                    current = list.Items[index];
                    break;
                case ConfigList list:
                    errors.Add(string.Join('.', path[..i]), $"{variable}: '{path[i]}' is not a list index 0..{list.Items.Count}", source);
                    return;
                default:
                    errors.Add(string.Join('.', path[..i]), $"{variable}: cannot set a key below a plain value", source);
                    return;
            }
        }
    }
}
