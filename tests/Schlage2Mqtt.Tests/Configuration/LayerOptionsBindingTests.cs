using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Schlage2Mqtt.Bridge;
using Schlage2Mqtt.Configuration;
using Schlage2Mqtt.Mqtt;
using Schlage2Mqtt.Schlage;
using Schlage2Mqtt.Schlage.Options;

namespace Schlage2Mqtt.Tests.Configuration;

/// <summary>The file binds straight into each layer's options: one default, one range, one rule per setting.</summary>
public sealed class LayerOptionsBindingTests : IDisposable
{
    private readonly ConfigFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public void An_unset_key_takes_the_records_default_which_is_the_READMEs()
    {
        var config = _f.Valid(ConfigFixture.MinimalAccount);
        var bridge = new BridgeOptions();
        var cloud = new SchlageCloudOptions();
        var mqtt = new MqttClientOptions { Server = "mqtt://localhost" };
        (string Key, object Bound, object Record)[] rows =
        [
            ("mqtt.keepalive", config.Mqtt.KeepAlive, mqtt.KeepAlive),
            ("mqtt.base_topic", config.Bridge.BaseTopic, bridge.BaseTopic),
            ("homeassistant.discovery_prefix", config.Bridge.DiscoveryPrefix, bridge.DiscoveryPrefix),
            ("homeassistant.status_topic", config.Bridge.HomeAssistantStatusTopic, bridge.HomeAssistantStatusTopic),
            ("schlage.poll_interval", config.Bridge.PollInterval, bridge.PollInterval),
            ("schlage.request_timeout", config.Schlage.RequestTimeout, cloud.RequestTimeout),
            ("schlage.max_calls_per_minute", config.Schlage.MaxCallsPerMinute, cloud.MaxCallsPerMinute),
            ("schlage.max_retry_after", config.Schlage.RetryAfterCap, cloud.RetryAfterCap),
            ("schlage.api_base_url", config.Schlage.ApiBaseUrl.OriginalString, cloud.ApiBaseUrl.OriginalString),
            ("schlage.cognito.region", config.Schlage.Cognito.Region, cloud.Cognito.Region),
            ("schlage.cognito.user_pool_id", config.Schlage.Cognito.UserPoolId, cloud.Cognito.UserPoolId),
            ("schlage.cognito.client_id", config.Schlage.Cognito.ClientId, cloud.Cognito.ClientId),
            ("access_codes.response_timeout", config.Bridge.AccessCodeResponseTimeout, bridge.AccessCodeResponseTimeout),
            ("access_codes.confirm_timeout", config.Bridge.AccessCodeConfirmTimeout, bridge.AccessCodeConfirmTimeout),
            ("commands.startup_hold", config.Bridge.StartupHoldTime, bridge.StartupHoldTime),
            ("commands.startup_queue", config.Bridge.StartupHoldCapacity, bridge.StartupHoldCapacity),
        ];
        var readme = File.ReadAllText(RepoPaths.File("README.md"));

        foreach (var (key, bound, record) in rows)
        {
            var row = Regex.Match(readme, $@"^\| `{Regex.Escape(key)}` \| `([^`]+)` \|", RegexOptions.Multiline);
            Assert.True(row.Success, $"README documents no default for {key}");
            var documented = row.Groups[1].Value;
            Assert.Equal(record, bound);
            if (bound is TimeSpan duration)
            {
                Assert.Equal(ConfigReader.ParseDuration(documented), duration);
            }
            else
            {
                Assert.Equal(documented, Convert.ToString(bound, CultureInfo.InvariantCulture));
            }
        }
    }

    [Fact]
    public void A_range_error_of_every_layer_names_the_key_path_and_its_line()
    {
        var result = _f.Parse("""
            schlage:
              request_timeout: 6m
              accounts:
                - username: a@b.c
            mqtt:
              reconnect_delay: 50ms
            commands:
              startup_hold: 11m
            """);

        Assert.Equal(["schlage.request_timeout", "mqtt.reconnect_delay", "commands.startup_hold"], result.Errors.Select(e => e.Path));
        Assert.Equal([2, 6, 8], result.Errors.Select(e => int.Parse(e.Source.Split(':')[1], CultureInfo.InvariantCulture)));
        Assert.Equal("'6m' is above the maximum of 5m", result.Errors[0].Message);
        Assert.Equal("'50ms' is below the minimum of 0.1s", result.Errors[1].Message);
        Assert.Equal("'11m' is above the maximum of 10m", result.Errors[2].Message);
    }

    [Fact]
    public void A_validators_message_quotes_the_value_as_the_file_wrote_it()
    {
        // The validator sees 360 seconds and would write '6m'; the user wrote 360.
        var error = _f.SingleError(ConfigFixture.MinimalAccount + "\n  request_timeout: 360");

        Assert.Equal("'360' is above the maximum of 5m", error.Message);
    }

    [Fact]
    public void A_rule_about_a_missing_key_points_at_the_mapping_that_lacks_it()
    {
        var error = _f.SingleError("schlage:\n  accounts:\n    - name: cabin\n");

        Assert.Equal("schlage.accounts[0].username", error.Path);
        Assert.Equal("config.yaml:3:7", error.Source);
    }

    [Fact]
    public void A_default_taken_from_a_wrong_key_is_not_reported_again()
    {
        // schlage.push.poll_interval defaults to a long schlage.poll_interval: the one mistake is reported once.
        var error = _f.SingleError(ConfigFixture.MinimalAccount + "\n  poll_interval: 2h");

        Assert.Equal("schlage.poll_interval", error.Path);
    }

    [Theory]
    [InlineData("us-east-12", true)]
    [InlineData("eu-central-1", true)]
    [InlineData("us-east", false)]
    public void A_region_is_accepted_or_refused_alike_by_the_file_and_the_cloud_layer(string region, bool valid)
    {
        var result = _f.Parse(ConfigFixture.MinimalAccount + $"\n  cognito:\n    region: {region}\n    user_pool_id: {region}_Abc123");
        var options = new SchlageCloudOptions
        {
            Cognito = new CognitoOptions { Region = region, UserPoolId = region + "_Abc123" },
            Accounts = [new SchlageAccountOptions { Key = "home", Username = "a@b.c", Password = "pw" }],
        };
        void Register() => new ServiceCollection().AddLogging().AddSchlageCloud(options);

        Assert.Equal(valid, result.IsValid);
        if (valid)
        {
            Assert.Equal(options.Cognito, result.Config!.Schlage.Cognito);
            Register();
        }
        else
        {
            Assert.Equal(["schlage.cognito.region", "schlage.cognito.user_pool_id"], result.Errors.Select(e => e.Path));
            var refused = Assert.Throws<OptionsValidationException>(Register);
            Assert.Contains("cognito.region", refused.Message, StringComparison.Ordinal);
        }
    }
}
