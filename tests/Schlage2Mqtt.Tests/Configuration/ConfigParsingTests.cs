using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Bridge;
using Schlage2Mqtt.Mqtt;
using Schlage2Mqtt.Schlage.Options;

namespace Schlage2Mqtt.Tests.Configuration;

public sealed class ConfigParsingTests : IDisposable
{
    private readonly ConfigFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public void Every_documented_key_is_read_with_a_non_default_value()
    {
        _f.WriteFile("ca.pem", "-----BEGIN CERTIFICATE-----");
        _f.WriteFile("client.pem", "-----BEGIN CERTIFICATE-----");
        _f.WriteFile("client.key", "-----BEGIN PRIVATE KEY-----");
        var config = _f.Valid("""
            mqtt:
              server: mqtts://broker.lan:8884
              user: bridge
              password: mqtt-secret-1
              client_id: s2m_test
              base_topic: home/locks
              protocol_version: 3.1.1
              keepalive: 2m
              tls:
                ca: ca.pem
                cert: client.pem
                key: client.key
                reject_unauthorized: false
                server_name: broker.internal
            homeassistant:
              enabled: false
              discovery_prefix: ha
              status_topic: ha/status
              legacy_discovery: true
            schlage:
              poll_interval: 90s
              request_timeout: 10
              max_calls_per_minute: 12
              api_base_url: http://127.0.0.1:9000/v1
              api_key: key-override-1
              cognito:
                region: eu-central-1
                user_pool_id: eu-central-1_Abc123
                client_id: 26ujbcfppen6t3afts2ad7vfgs
                client_secret: ""
                token_type: id
                endpoint: http://127.0.0.1:9001/
              accounts:
                - name: home
                  username: Alice@Example.com
                  password: pw-secret-1
                - name: cabin
                  access_token: eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.sig
                  refresh_token: refresh-secret-1
              push:
                mode: subscribers
                poll_interval: 10m
                subscriber_api_url: http://127.0.0.1:9002/partner
                subscriber_websocket_url: ws://127.0.0.1:9003/socket.io/
            locks:
              "Front Door":
                alias: front
              0b5c7a7e-0000-4000-8000-000000000001:
                ignore: true
            access_codes:
              expose_codes: true
              response_timeout: 10s
              confirm_timeout: 2m
            data_dir: /var/lib/s2m
            log_level: debug
            http:
              listen: 0.0.0.0:8080
            """);

        var m = config.Mqtt;
        Assert.Equal("mqtts://broker.lan:8884", m.Server);
        Assert.Equal("bridge", m.Username);
        Assert.Equal("mqtt-secret-1", m.Password);
        Assert.Equal("s2m_test", m.ClientId);
        Assert.Equal("home/locks", config.Bridge.BaseTopic);
        Assert.Equal(MqttProtocolVersion.V311, m.ProtocolVersion);
        Assert.False(config.Bridge.MqttV5);
        Assert.Equal(TimeSpan.FromMinutes(2), m.KeepAlive);
        Assert.Equal(Path.Combine(_f.Directory, "ca.pem"), m.Tls.CaFile);
        Assert.Equal(Path.Combine(_f.Directory, "client.pem"), m.Tls.CertFile);
        Assert.Equal(Path.Combine(_f.Directory, "client.key"), m.Tls.KeyFile);
        Assert.False(m.Tls.RejectUnauthorized);
        Assert.Equal("broker.internal", m.Tls.ServerName);

        var b = config.Bridge;
        Assert.Equal((false, "ha", "ha/status", true), (b.HomeAssistantEnabled, b.DiscoveryPrefix, b.HomeAssistantStatusTopic, b.LegacyDiscovery));

        var s = config.Schlage;
        Assert.Equal(TimeSpan.FromSeconds(90), b.PollInterval);
        Assert.Equal(TimeSpan.FromSeconds(10), s.RequestTimeout);
        Assert.Equal(12, s.MaxCallsPerMinute);
        Assert.Equal(new Uri("http://127.0.0.1:9000/v1"), s.ApiBaseUrl);
        Assert.Equal("key-override-1", s.ApiKey);
        Assert.Equal("eu-central-1", s.Cognito.Region);
        Assert.Equal("eu-central-1_Abc123", s.Cognito.UserPoolId);
        Assert.Equal("26ujbcfppen6t3afts2ad7vfgs", s.Cognito.ClientId);
        Assert.Null(s.Cognito.ClientSecret);
        Assert.Equal(TokenType.Id, s.Cognito.TokenType);
        Assert.Equal(new Uri("http://127.0.0.1:9001/"), s.Cognito.Endpoint);
        Assert.Equal(2, s.Accounts.Count);
        Assert.Equal("home", s.Accounts[0].Key);
        Assert.Equal("alice@example.com", s.Accounts[0].NormalizedUsername);
        Assert.Equal("pw-secret-1", s.Accounts[0].Password);
        Assert.Null(s.Accounts[1].Username);
        Assert.StartsWith("eyJ", s.Accounts[1].AccessToken, StringComparison.Ordinal);
        Assert.Equal("refresh-secret-1", s.Accounts[1].RefreshToken);
        Assert.Equal((PushMode.Subscribers, new Uri("http://127.0.0.1:9002/partner"), new Uri("ws://127.0.0.1:9003/socket.io/")),
            (s.Push.Mode, s.Push.SubscriberApiBaseUrl, s.Push.SubscriberWebSocketUrl));
        Assert.Equal(TimeSpan.FromMinutes(10), b.PushPollInterval);

        Assert.Equal([new LockOverride("Front Door", "front", false), new LockOverride("0b5c7a7e-0000-4000-8000-000000000001", null, true)], b.Locks);
        Assert.Equal((true, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(2)), (b.ExposeCodes, b.AccessCodeResponseTimeout, b.AccessCodeConfirmTimeout));
        Assert.Equal("/var/lib/s2m", config.DataDir);
        Assert.Equal(LogLevel.Debug, config.LogLevel);
        Assert.Equal("0.0.0.0:8080", config.Http.Listen);
    }

    [Fact]
    public void Effective_config_redacts_every_secret()
    {
        var result = _f.Parse("""
            mqtt:
              user: bridge
              password: mqtt-secret-1
            schlage:
              api_key: key-override-1
              cognito:
                client_secret: client-secret-1
              accounts:
                - username: a@b.c
                  password: pw-secret-1
                  access_token: access-secret-1
                  refresh_token: refresh-secret-1
            """);
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        foreach (var secret in new[] { "mqtt-secret-1", "key-override-1", "client-secret-1", "pw-secret-1", "access-secret-1", "refresh-secret-1" })
        {
            Assert.DoesNotContain(secret, result.EffectiveYaml, StringComparison.Ordinal);
        }
        Assert.Contains("password: '***'", result.EffectiveYaml, StringComparison.Ordinal);
        Assert.Equal(6, result.Config!.Secrets().Count());
    }

    [Fact]
    public void Durations_accept_seconds_and_units()
    {
        Assert.Equal(TimeSpan.FromSeconds(45), _f.Valid(ConfigFixture.MinimalAccount + "\n  poll_interval: 45").Bridge.PollInterval);
        Assert.Equal(TimeSpan.FromMinutes(2), _f.Valid(ConfigFixture.MinimalAccount + "\n  poll_interval: 2m").Bridge.PollInterval);
        Assert.Equal(TimeSpan.FromHours(1), _f.Valid(ConfigFixture.MinimalAccount + "\n  poll_interval: 1h").Bridge.PollInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), _f.Valid(ConfigFixture.MinimalAccount + "\n  request_timeout: 1500ms").Schlage.RequestTimeout);
    }

    [Fact]
    public void Push_defaults_to_the_consumer_cloud_with_five_minute_safety_polls()
    {
        var config = _f.Valid(ConfigFixture.MinimalAccount);
        Assert.Equal(new PushOptions(), config.Schlage.Push);
        Assert.Equal(PushMode.ConsumerCloud, config.Schlage.Push.Mode);
        Assert.Equal(TimeSpan.FromMinutes(5), config.Bridge.PushPollInterval);
        Assert.Equal(PushMode.Off, _f.Valid(ConfigFixture.MinimalAccount + "\n  push:\n    mode: off").Schlage.Push.Mode);
        // A slow normal interval raises the default: push never makes the bridge poll more often.
        Assert.Equal(TimeSpan.FromMinutes(20), _f.Valid(ConfigFixture.MinimalAccount + "\n  poll_interval: 20m").Bridge.PushPollInterval);
    }

    [Fact]
    public void An_empty_file_only_misses_the_account()
    {
        var error = _f.SingleError("");
        Assert.Equal("schlage.accounts", error.Path);
        Assert.Contains("no Schlage account", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Account_with_username_only_is_valid_for_the_login_command_flow()
    {
        var config = _f.Valid("schlage:\n  accounts:\n    - username: bob@example.com\n");
        Assert.Null(config.Schlage.Accounts[0].Password);
        Assert.Equal("account1", config.Schlage.Accounts[0].Key);
    }

    [Fact]
    public void Relative_data_dir_is_relative_to_the_config_file()
    {
        var config = _f.Valid(ConfigFixture.MinimalAccount + "\ndata_dir: state\n");
        Assert.Equal(Path.Combine(_f.Directory, "state"), config.DataDir);
    }
}
