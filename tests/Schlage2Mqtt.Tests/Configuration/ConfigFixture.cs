using System.Collections;
using Schlage2Mqtt.Configuration;

namespace Schlage2Mqtt.Tests.Configuration;

/// <summary>Parses YAML snippets as a config file in a private temp directory.</summary>
internal sealed class ConfigFixture : IDisposable
{
    public const string MinimalAccount = """
        schlage:
          accounts:
            - username: alice@example.com
              password: hunter2hunter2
        """;

    public ConfigFixture()
    {
        Directory = Path.Combine(Path.GetTempPath(), "s2m-config-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public Dictionary<string, string> Environment { get; } = [];

    public string WriteFile(string name, string content)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    public ConfigLoadResult Parse(string yaml) =>
        ConfigLoader.Parse(yaml, Path.Combine(Directory, "config.yaml"), new Hashtable(Environment));

    public AppConfig Valid(string yaml)
    {
        var result = Parse(yaml);
        Assert.True(result.IsValid, "expected a valid config, got: " + string.Join("\n", result.Errors));
        return result.Config!;
    }

    public ConfigError SingleError(string yaml)
    {
        var result = Parse(yaml);
        Assert.False(result.IsValid);
        return Assert.Single(result.Errors);
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
