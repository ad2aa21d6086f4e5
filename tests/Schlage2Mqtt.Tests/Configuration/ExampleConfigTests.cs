using System.Collections;
using System.Text.RegularExpressions;
using Schlage2Mqtt.Configuration;
using Schlage2Mqtt.Mqtt;
using Schlage2Mqtt.Schlage.Options;
using YamlDotNet.RepresentationModel;

namespace Schlage2Mqtt.Tests.Configuration;

public sealed partial class ExampleConfigTests
{
    private static readonly string ExamplePath = RepoPaths.File("config.example.yaml");

    [Fact]
    public void The_example_config_is_valid()
    {
        var result = ConfigLoader.Load(ExamplePath, new Hashtable());
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
    }

    [Fact]
    public void Every_key_the_bridge_reads_is_documented_in_the_example()
    {
        var result = ConfigLoader.Load(ExamplePath, new Hashtable());
        var example = File.ReadAllText(ExamplePath);
        var stream = new YamlStream();
        stream.Load(new StringReader(result.EffectiveYaml));
        var missing = LeafKeys(stream.Documents[0].RootNode)
            .Where(key => !Regex.IsMatch(example, $@"^\s*(#\s*)?(-\s+)?{Regex.Escape(key)}:", RegexOptions.Multiline))
            .ToList();
        Assert.Empty(missing);
    }

    [Fact]
    public void Uncommenting_every_documented_optional_key_still_gives_a_valid_config()
    {
        // The commented examples (client_id, tokens, per-lock settings) must be correct as written.
        var uncommented = CommentedKey().Replace(File.ReadAllText(ExamplePath), m => m.Groups[1].Value + m.Groups[2].Value);
        Assert.Contains("access_token: eyJ", uncommented, StringComparison.Ordinal);
        Assert.Contains("alias: front_door", uncommented, StringComparison.Ordinal);
        var result = ConfigLoader.Parse(uncommented, ExamplePath, new Hashtable());
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        var config = result.Config!;
        Assert.Equal("front_door", Assert.Single(config.Bridge.Locks).Alias);
        Assert.NotNull(config.Schlage.Accounts[0].RefreshToken);
    }

    [Fact]
    public void The_example_yields_the_documented_defaults()
    {
        var config = ConfigLoader.Load(ExamplePath, new Hashtable()).Config!;
        Assert.Equal("mqtt://localhost:1883", config.Mqtt.Server);
        Assert.Equal("schlage2mqtt", config.Bridge.BaseTopic);
        Assert.Equal(MqttProtocolVersion.V500, config.Mqtt.ProtocolVersion);
        Assert.Equal(TimeSpan.FromSeconds(60), config.Mqtt.KeepAlive);
        Assert.True(config.Mqtt.Tls.RejectUnauthorized);
        Assert.True(config.Bridge.HomeAssistantEnabled);
        Assert.Equal("homeassistant", config.Bridge.DiscoveryPrefix);
        Assert.Equal("homeassistant/status", config.Bridge.HomeAssistantStatusTopic);
        Assert.Equal(TimeSpan.FromSeconds(60), config.Bridge.PollInterval);
        Assert.Equal(30, config.Schlage.MaxCallsPerMinute);
        var cloud = new SchlageCloudOptions();
        Assert.Equal(cloud.ApiBaseUrl, config.Schlage.ApiBaseUrl);
        Assert.Equal(cloud.ApiKey, config.Schlage.ApiKey);
        Assert.Equal(cloud.Cognito.UserPoolId, config.Schlage.Cognito.UserPoolId);
        Assert.Equal(cloud.Cognito.ClientId, config.Schlage.Cognito.ClientId);
        Assert.Equal(cloud.Cognito.ClientSecret, config.Schlage.Cognito.ClientSecret);
        Assert.Equal(TokenType.Access, config.Schlage.Cognito.TokenType);
        Assert.Equal(new Uri("https://cognito-idp.us-west-2.amazonaws.com/"), config.Schlage.Cognito.EffectiveEndpoint);
        Assert.False(config.Bridge.ExposeCodes);
        Assert.Equal(Path.Combine(RepoPaths.Root, "data"), config.DataDir);
        Assert.Null(config.Http.Listen);
    }

    private static IEnumerable<string> LeafKeys(YamlNode node) => node switch
    {
        YamlMappingNode map => map.Children.SelectMany(kv => kv.Value is YamlScalarNode
            ? [((YamlScalarNode)kv.Key).Value!]
            : LeafKeys(kv.Value).Append(((YamlScalarNode)kv.Key).Value!)),
        YamlSequenceNode seq => seq.Children.SelectMany(LeafKeys),
        _ => [],
    };

    [GeneratedRegex(@"^(\s*)#\s?(\s*(?:""[^""]+""|[a-z_]+):.*)$", RegexOptions.Multiline)]
    private static partial Regex CommentedKey();
}
