using System.Collections;

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
        var baseDirectory = Path.GetDirectoryName(Path.GetFullPath(fileName)) ?? Directory.GetCurrentDirectory();
        var config = ConfigBinder.Bind(new ConfigReader(root, "", shortName, baseDirectory, errors, effective));
        var ordered = errors.All.OrderBy(e => Position(e.Source)).ToList();
        return new ConfigLoadResult(ordered.Count == 0 ? config : null, ordered, effective.ToYaml());
    }

    // File problems in line order, then environment problems; the order of reading is an implementation detail.
    private static (int Line, int Column) Position(string source)
    {
        var parts = source.Split(':');
        return parts.Length >= 3 && int.TryParse(parts[^2], out var line) && int.TryParse(parts[^1], out var column)
            ? (line, column)
            : (int.MaxValue, 0);
    }
}
