using System.Collections;
using Schlage2Mqtt.Bridge;
using Schlage2Mqtt.Mqtt;
using Schlage2Mqtt.Schlage.Options;

namespace Schlage2Mqtt.Configuration;

/// <summary>The outcome of loading configuration: the config when valid, and every problem found.</summary>
public sealed record ConfigLoadResult(AppConfig? Config, IReadOnlyList<ConfigError> Errors, string EffectiveYaml)
{
    /// <summary>True when there is no problem.</summary>
    public bool IsValid => Errors.Count == 0 && Config is not null;
}

/// <summary>Loads configuration from a YAML file, the environment (<c>S2M__*</c>) and <c>*_file</c> secrets.</summary>
public static class ConfigLoader
{
    /// <summary>Loads and validates <paramref name="path"/>; a missing file is an error, not a default config.</summary>
    public static ConfigLoadResult Load(string path, IDictionary? environment = null)
    {
        var errors = new ConfigErrors();
        var full = Path.GetFullPath(path);
        string text;
        try
        {
            text = File.ReadAllText(full);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            errors.Add("(file)", $"cannot read {full}: {ex.Message}. Copy config.example.yaml to {path} and edit it", full);
            return new ConfigLoadResult(null, errors.All, "");
        }
        return Parse(text, full, environment ?? Environment.GetEnvironmentVariables());
    }

    /// <summary>Validates YAML text as if read from <paramref name="fileName"/> (relative paths resolve next to it).</summary>
    public static ConfigLoadResult Parse(string yaml, string fileName, IDictionary environment)
    {
        var errors = new ConfigErrors();
        var shortName = Path.GetFileName(fileName);
        var root = YamlConfigParser.Parse(yaml, shortName, errors);
        if (errors.All.Count > 0)
        {
            // Binding a tree that failed to parse would only add noise about missing sections.
            return new ConfigLoadResult(null, errors.All, "");
        }
        EnvironmentOverrides.Apply(root, environment, errors);
        var effective = new EffectiveConfig();
        var sources = new ConfigSources(root.Source);
        var baseDirectory = Path.GetDirectoryName(Path.GetFullPath(fileName)) ?? Directory.GetCurrentDirectory();
        var config = ConfigBinder.Bind(new ConfigReader(root, "", shortName, baseDirectory, errors, effective, sources));
        Validate(config, errors, sources);
        var ordered = errors.All.OrderBy(e => Position(e.Source)).ToList();
        return new ConfigLoadResult(ordered.Count == 0 ? config : null, ordered, effective.ToYaml());
    }

    /// <summary>Runs each layer's validator over what was bound; its keys are the YAML key paths, so errors point at the line.</summary>
    private static void Validate(AppConfig config, ConfigErrors errors, ConfigSources sources)
    {
        var unreadable = errors.All.Select(e => e.Path).ToList();
        var found = new List<(string Path, string Message)>();
        void Report(string path, string message) => found.Add((path, message));
        new MqttOptionsValidator("mqtt.").Check(config.Mqtt, Report);
        new MqttOptionsValidator("mqtt.").Check(config.MqttReconnect, Report);
        BridgeOptionsValidator.Check(config.Bridge, Report);
        new SchlageOptionsValidator("schlage.").Check(config.Schlage, Report);
        foreach (var (path, message) in found)
        {
            // A key that could not be read was reported once already, and the validator saw its default instead;
            // a default taken from a key that is wrong is wrong for that key's reason, reported there.
            if (!unreadable.Any(bad => Related(bad, path)) && !found.Any(f => f.Path == sources.OriginOf(path)))
            {
                errors.Add(path, sources.AsWritten(path, message), sources.Of(path));
            }
        }
    }

    // One path is the other or lies below it (a.b and a.b.c, a and a[0]).
    private static bool Related(string a, string b) => Below(a, b) || Below(b, a);

    private static bool Below(string path, string parent) =>
        path == parent || (path.StartsWith(parent, StringComparison.Ordinal) && path.Length > parent.Length && path[parent.Length] is '.' or '[');

    // File problems in line order, then environment problems; the order of reading is an implementation detail.
    private static (int Line, int Column) Position(string source)
    {
        var parts = source.Split(':');
        return parts.Length >= 3 && int.TryParse(parts[^2], out var line) && int.TryParse(parts[^1], out var column)
            ? (line, column)
            : (int.MaxValue, 0);
    }
}
