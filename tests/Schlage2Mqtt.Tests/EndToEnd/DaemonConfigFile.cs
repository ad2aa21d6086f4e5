using System.Globalization;
using System.Text;
using Schlage2Mqtt.Simulator;

namespace Schlage2Mqtt.Tests.EndToEnd;

/// <summary>One account line-up of a daemon config: its name (null: the default) and login.</summary>
internal sealed record ConfigAccount(string? Name, string Username, string? Password = null);

/// <summary>
/// The config file of a daemon run as a process (or a CLI command) against a <see cref="BridgeWorld"/>: the broker, the
/// simulated cloud's endpoints and the accounts, so each process test states only what it is about.
/// </summary>
internal sealed record DaemonConfigFile
{
    /// <summary>The demo household, signed in with its password, as account <c>home</c>.</summary>
    public static IReadOnlyList<ConfigAccount> DemoAccount { get; } = [new("home", DemoWorld.Email, DemoWorld.Password)];

    /// <summary>The accounts; the demo household by default.</summary>
    public IReadOnlyList<ConfigAccount> Accounts { get; init; } = DemoAccount;

    /// <summary>Whether the file names the world's broker (<c>login</c> needs none).</summary>
    public bool WithMqtt { get; init; } = true;

    /// <summary>Extra lines under <c>mqtt:</c>, unindented (e.g. <c>client_id: x</c>).</summary>
    public IReadOnlyList<string> Mqtt { get; init; } = [];

    /// <summary>Extra lines under <c>schlage:</c>, unindented (e.g. <c>poll_interval: 15s</c>).</summary>
    public IReadOnlyList<string> Schlage { get; init; } = [];

    /// <summary>The health endpoint's port on 127.0.0.1, or null for none.</summary>
    public int? HttpPort { get; init; }

    /// <summary>Extra top-level YAML (e.g. an <c>access_codes:</c> block).</summary>
    public string Extra { get; init; } = "";

    /// <summary>Writes the file as <paramref name="directory"/>/<paramref name="name"/> and returns its path.</summary>
    public string WriteTo(BridgeWorld world, string directory, string name = "config.yaml")
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, Render(world));
        return path;
    }

    /// <summary>The YAML text.</summary>
    public string Render(BridgeWorld world)
    {
        var yaml = new StringBuilder();
        if (WithMqtt)
        {
            yaml.Append("mqtt:\n").Append(CultureInfo.InvariantCulture, $"  server: {world.Broker.TcpUrl}\n");
            Indent(yaml, Mqtt);
        }
        yaml.Append("schlage:\n")
            .Append(CultureInfo.InvariantCulture, $"  api_base_url: {world.Cloud.ApiBaseUrl}\n")
            .Append("  cognito:\n")
            .Append(CultureInfo.InvariantCulture, $"    endpoint: {world.Cloud.CognitoUrl}\n")
            .Append(CultureInfo.InvariantCulture, $"    user_pool_id: {world.Cloud.Options.UserPoolId}\n");
        Indent(yaml, Schlage);
        yaml.Append("  accounts:\n");
        foreach (var account in Accounts)
        {
            yaml.Append(account.Name is null ? "    - " : $"    - name: {account.Name}\n      ")
                .Append(CultureInfo.InvariantCulture, $"username: {account.Username}\n");
            if (account.Password is not null)
            {
                // Single-quoted: demo passwords hold YAML punctuation.
                yaml.Append(CultureInfo.InvariantCulture, $"      password: '{account.Password}'\n");
            }
        }
        if (HttpPort is { } port)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"http:\n  listen: 127.0.0.1:{port}\n");
        }
        yaml.Append("data_dir: state\n").Append(Extra);
        return yaml.ToString();
    }

    private static void Indent(StringBuilder yaml, IReadOnlyList<string> lines)
    {
        foreach (var line in lines)
        {
            yaml.Append("  ").Append(line).Append('\n');
        }
    }
}
