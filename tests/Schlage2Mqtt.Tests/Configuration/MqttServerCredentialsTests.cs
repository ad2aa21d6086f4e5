using System.Collections;
using Schlage2Mqtt.Cli;
using Schlage2Mqtt.Configuration;
using Schlage2Mqtt.Hosting;
using Schlage2Mqtt.TestSupport;

namespace Schlage2Mqtt.Tests.Configuration;

/// <summary>Credentials in <c>mqtt.server</c> (<c>mqtt://user:password@host</c>) are used, and never shown.</summary>
public sealed class MqttServerCredentialsTests : IDisposable
{
    private const string Password = "pa55-s3cr3t";
    private readonly ConfigFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    private static string Yaml(string mqtt) => $"""
        mqtt:
        {mqtt}
        {ConfigFixture.MinimalAccount}
        """;

    [Fact]
    public void Userinfo_becomes_user_and_password_percent_decoded_and_leaves_the_url()
    {
        var config = _fixture.Valid(Yaml("  server: mqtt://bob%40home:pa55-s3cr3t%3A%40x@broker.lan:1884"));

        // Bound straight into the client's options: what the broker is sent.
        var client = config.Mqtt;
        Assert.Equal("bob@home", client.Username);
        Assert.Equal(Password + ":@x", client.Password);
        Assert.Equal("mqtt://broker.lan:1884", client.Server);
    }

    [Fact]
    public void The_same_credentials_in_both_places_are_accepted()
    {
        var config = _fixture.Valid(Yaml($"  server: ws://bob:{Password}@broker/mqtt\n  user: bob\n  password: {Password}"));

        Assert.Equal("bob", config.Mqtt.Username);
        Assert.Equal("ws://broker/mqtt", config.Mqtt.Server);
    }

    [Theory]
    [InlineData("  server: mqtt://bob:pa55-s3cr3t@broker\n  user: alice", "mqtt.user")]
    [InlineData("  server: mqtt://bob:pa55-s3cr3t@broker\n  user: bob\n  password: other-s3cr3t", "mqtt.password")]
    public void Different_credentials_in_both_places_are_refused_naming_the_key(string mqtt, string key)
    {
        var error = _fixture.SingleError(Yaml(mqtt));

        Assert.Equal(key, error.Path);
        Assert.Contains("mqtt.server", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("other-s3cr3t", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_url_with_a_password_is_reported_with_the_password_masked()
    {
        var error = _fixture.SingleError(Yaml($"  server: http://bob:{Password}@broker"));

        Assert.Equal("mqtt.server", error.Path);
        Assert.Contains("'http://bob:***@broker'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_config_prints_the_server_with_the_password_masked()
    {
        var path = _fixture.WriteFile("config.yaml", Yaml($"  server: mqtt://bob:{Password}@broker:1883"));
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var exit = await CommandLine.InvokeAsync(["check-config", "--config", path], new CliContext(stdout, stderr, new Hashtable()));

        Assert.Equal(0, exit);
        Assert.Contains("mqtt://bob:***@broker:1883", stdout.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Password, stdout.ToString() + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void An_environment_override_with_credentials_is_used_and_masked()
    {
        _fixture.Environment["S2M__MQTT__SERVER"] = $"mqtts://bob:{Password}@broker:8883";
        var result = _fixture.Parse(ConfigFixture.MinimalAccount);

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Equal("bob", result.Config!.Mqtt.Username);
        Assert.Equal("mqtts://broker:8883", result.Config.Mqtt.Server);
    }

    [Fact]
    public async Task The_start_up_log_and_bridge_info_summary_carry_no_credentials()
    {
        var config = _fixture.Valid(Yaml($"  server: mqtt://bob:{Password}@broker:1883"));
        var log = new ListLogger<LifecycleLogger>();

        await new LifecycleLogger(config, log).StartAsync(CancellationToken.None);

        var line = Assert.Single(log.Entries).Message;
        Assert.Contains("broker mqtt://broker:1883", line, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, line, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, ConfigSummary.Of(config).ToJsonString(), StringComparison.Ordinal);
    }
}
