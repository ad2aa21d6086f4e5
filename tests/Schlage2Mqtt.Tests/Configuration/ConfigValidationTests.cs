using System.Collections;
using Schlage2Mqtt.Configuration;

namespace Schlage2Mqtt.Tests.Configuration;

/// <summary>Each validation rule yields exactly one message naming the key, the bad value and what is allowed.</summary>
public sealed class ConfigValidationTests : IDisposable
{
    private const string Account = ConfigFixture.MinimalAccount;
    private readonly ConfigFixture _f = new();

    public void Dispose() => _f.Dispose();

    public static TheoryData<string, string, string> Cases => new()
    {
        // yaml, expected key path, expected message fragment
        { "mqtt:\n  server: http://broker\n" + Account, "mqtt.server", "'http://broker' uses the scheme 'http'; use mqtt://, mqtts://, ws:// or wss://" },
        { "mqtt:\n  server: not a url\n" + Account, "mqtt.server", "'not a url' is not a URL" },
        { "mqtt:\n  password: p\n" + Account, "mqtt.password", "mqtt.user is not" },
        { "mqtt:\n  base_topic: a/#\n" + Account, "mqtt.base_topic", "without wildcards" },
        { "mqtt:\n  base_topic: /a\n" + Account, "mqtt.base_topic", "leading/trailing '/'" },
        { "mqtt:\n  protocol_version: 3\n" + Account, "mqtt.protocol_version", "'3' is not allowed; use one of: 5, 3.1.1" },
        { "mqtt:\n  keepalive: soon\n" + Account, "mqtt.keepalive", "'soon' is not a duration" },
        { "mqtt:\n  keepalive: 70000\n" + Account, "mqtt.keepalive", "above the maximum" },
        { "mqtt:\n  server: mqtts://b\n  tls:\n    ca: missing.pem\n" + Account, "mqtt.tls.ca", "'missing.pem' does not exist" },
        { "mqtt:\n  server: mqtt://b\n  tls:\n    server_name: x\n" + Account, "mqtt.tls.server_name", "is not encrypted; use mqtts:// or wss://" },
        { "mqtt:\n  server: mqtt://b\n  tls:\n    reject_unauthorized: false\n" + Account, "mqtt.tls.reject_unauthorized", "is not encrypted" },
        { "mqtt:\n  tls:\n    reject_unauthorized: maybe\n" + Account, "mqtt.tls.reject_unauthorized", "'maybe' is not a boolean; use true or false" },
        { "mqtt:\n  tls: yes\n" + Account, "mqtt.tls", "must be a mapping of keys" },
        { "mqtt:\n  user: [a, b]\n" + Account, "mqtt.user", "must be a single value, not a list" },
        { "homeassistant:\n  enabled: 2\n" + Account, "homeassistant.enabled", "'2' is not a boolean" },
        { "homeassistant:\n  discovery_prefix: ha/+\n" + Account, "homeassistant.discovery_prefix", "without wildcards" },
        { "homeassistant:\n  status_topic: ''\n" + Account, "homeassistant.status_topic", "is not a valid topic" },
        { Account + "\n  poll_interval: 10s", "schlage.poll_interval", "'10s' is below the minimum of 15s" },
        { Account + "\n  poll_interval: 2h", "schlage.poll_interval", "'2h' is above the maximum of 1h" },
        { Account + "\n  poll_interval: often", "schlage.poll_interval", "'often' is not a duration" },
        { Account + "\n  request_timeout: 0", "schlage.request_timeout", "below the minimum of 1s" },
        { Account + "\n  max_calls_per_minute: 0", "schlage.max_calls_per_minute", "'0' is not allowed; use a whole number from 1 to 600" },
        { Account + "\n  max_calls_per_minute: lots", "schlage.max_calls_per_minute", "'lots' is not allowed" },
        { Account + "\n  api_base_url: ftp://x", "schlage.api_base_url", "'ftp://x' is not an http(s) URL" },
        { Account + "\n  cognito:\n    region: mars", "schlage.cognito.region", "'mars' is not an AWS region" },
        { Account + "\n  cognito:\n    user_pool_id: pool", "schlage.cognito.user_pool_id", "'pool' is not a Cognito user pool id" },
        { Account + "\n  cognito:\n    token_type: refresh", "schlage.cognito.token_type", "'refresh' is not allowed; use one of: access, id" },
        { Account + "\n  cognito:\n    endpoint: cognito", "schlage.cognito.endpoint", "is not an http(s) URL" },
        { Account + "\n  cognito:\n    client_id: ''", "schlage.cognito.client_id", "must not be empty" },
        { Account + "\n  push:\n    mode: aws", "schlage.push.mode", "'aws' is not allowed; use one of: consumer_cloud, subscribers, off" },
        { Account + "\n  push:\n    mode: subscribers", "schlage.push.mode", "schlage.push.subscriber_api_url is not set" },
        { Account + "\n  push:\n    poll_interval: 30s", "schlage.push.poll_interval", "shorter than schlage.poll_interval (60s)" },
        { Account + "\n  push:\n    poll_interval: 2h", "schlage.push.poll_interval", "above the maximum of 1h" },
        { Account + "\n  push:\n    subscriber_api_url: ws://x", "schlage.push.subscriber_api_url", "is not an http(s) URL" },
        { Account + "\n  push:\n    subscriber_websocket_url: http://x", "schlage.push.subscriber_websocket_url", "is not a websocket URL" },
        { Account + "\n  push:\n    mdoe: off", "schlage.push.mdoe", "did you mean schlage.push.mode?" },
        { "schlage:\n  accounts:\n    - username: alice\n", "schlage.accounts[0].username", "'alice' is not an email address" },
        { "schlage:\n  accounts:\n    - password: p\n", "schlage.accounts[0].password", "username is not" },
        { "schlage:\n  accounts:\n    - name: x\n", "schlage.accounts[0].username", "is missing" },
        { "schlage:\n  accounts:\n    - {name: a, username: a@b.c}\n    - {name: a, username: b@b.c}\n", "schlage.accounts[1].name", "'a' is used by another account" },
        { "schlage:\n  accounts:\n    - {name: 'my account', username: a@b.c}\n", "schlage.accounts[0].name", "'my account' is not a valid name" },
        { "schlage:\n  accounts:\n    username: a@b.c\n", "schlage.accounts", "must be a list" },
        { "schlage:\n  accounts:\n    - a@b.c\n", "schlage.accounts[0]", "must be a mapping of keys" },
        { Account + "\nlocks:\n  Front:\n    alias: Front-Door\n", "locks[\"Front\"].alias", "'Front-Door' is not a valid topic id" },
        { Account + "\nlocks:\n  Front:\n    alias: bridge\n", "locks[\"Front\"].alias", "is reserved for the bridge" },
        { Account + "\nlocks:\n  A: {alias: door}\n  B: {alias: door}\n", "locks[\"B\"].alias", "'door' is already used by another lock" },
        { Account + "\nlocks:\n  A: door\n", "locks[\"A\"]", "must be a mapping of keys (alias:, ignore:)" },
        { Account + "\nlocks:\n  A:\n    ignore: sometimes\n", "locks[\"A\"].ignore", "'sometimes' is not a boolean" },
        { Account + "\nlocks:\n  A:\n    alais: a\n", "locks[\"A\"].alais", "did you mean locks[\"A\"].alias?" },
        { Account + "\naccess_codes:\n  expose_codes: 1\n", "access_codes.expose_codes", "'1' is not a boolean" },
        { Account + "\naccess_codes:\n  response_timeout: 0\n", "access_codes.response_timeout", "below the minimum of 1s" },
        { Account + "\naccess_codes:\n  confirm_timeout: 2h\n", "access_codes.confirm_timeout", "above the maximum of 1h" },
        { Account + "\ncommands:\n  startup_hold: 11m\n", "commands.startup_hold", "above the maximum of 10m" },
        { Account + "\ncommands:\n  startup_queue: -1\n", "commands.startup_queue", "use a whole number" },
        { Account + "\ncommands:\n  startup_hodl: 1s\n", "commands.startup_hodl", "did you mean commands.startup_hold?" },
        { Account + "\nmqtt:\n  reconnect_delay: 20s\n  reconnect_max_delay: 10s\n", "mqtt.reconnect_max_delay", "shorter than mqtt.reconnect_delay" },
        { Account + "\nlog_level: verbose\n", "log_level", "'verbose' is not allowed; use one of: trace, debug, info, warning, error" },
        { Account + "\nhttp:\n  listen: 8080\n", "http.listen", "is not an address to listen on" },
        { Account + "\nhttp:\n  listen: myhost:8080\n", "http.listen", "must name an IP address" },
        { Account + "\nmqtt:\n  sever: x\n", "mqtt.sever", "unknown key; did you mean mqtt.server?" },
        { Account + "\nmqqt:\n  server: x\n", "mqqt", "unknown key; did you mean mqtt?" },
        { Account + "\nzzz: 1\n", "zzz", "unknown key; known keys here:" },
        { "schlage:\n  accounts:\n    - username: a@b.c\n      pasword: x\n", "schlage.accounts[0].pasword", "did you mean schlage.accounts[0].password?" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Invalid_value_gives_one_message_naming_the_key(string yaml, string path, string fragment)
    {
        var error = _f.SingleError(yaml);
        Assert.Equal(path, error.Path);
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
        Assert.Matches(@"^config\.yaml:\d+:\d+$", error.Source);
    }

    [Fact]
    public void Client_certificate_needs_both_cert_and_key()
    {
        _f.WriteFile("c.pem", "x");
        var error = _f.SingleError("mqtt:\n  server: mqtts://b\n  tls:\n    cert: c.pem\n" + Account);
        Assert.Equal("mqtt.tls.key", error.Path);
        Assert.Contains("needs both mqtt.tls.cert and mqtt.tls.key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Several_problems_are_all_reported_in_file_order()
    {
        var result = _f.Parse("mqtt:\n  sever: x\n  keepalive: -1\nlog_level: loud\n" + Account + "\n  poll_interval: 1");
        Assert.Equal(["mqtt.sever", "mqtt.keepalive", "log_level", "schlage.poll_interval"], result.Errors.Select(e => e.Path));
    }

    [Fact]
    public void Invalid_yaml_names_the_line()
    {
        var error = _f.SingleError("mqtt:\n  server: [unclosed\n");
        Assert.Equal("(file)", error.Path);
        Assert.Contains("is not valid YAML at line", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_top_level_list_is_rejected()
    {
        var result = _f.Parse("- a\n- b\n");
        Assert.Contains(result.Errors, e => e.Message.Contains("must be a mapping of sections", StringComparison.Ordinal));
    }

    [Fact]
    public void A_missing_file_says_how_to_create_one()
    {
        var result = ConfigLoader.Load(Path.Combine(_f.Directory, "nope.yaml"), new Hashtable());
        var error = Assert.Single(result.Errors);
        Assert.Contains("Copy config.example.yaml", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_secret_value_is_never_echoed()
    {
        var result = _f.Parse("schlage:\n  accounts:\n    - password: TopSecretValue\n");
        Assert.All(result.Errors, e => Assert.DoesNotContain("TopSecretValue", e.ToString(), StringComparison.Ordinal));
        Assert.DoesNotContain("TopSecretValue", result.EffectiveYaml, StringComparison.Ordinal);
    }
}
