namespace Schlage2Mqtt.Tests.Configuration;

public sealed class ConfigEnvironmentTests : IDisposable
{
    private readonly ConfigFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public void Environment_overrides_a_key_from_the_file()
    {
        _f.Environment["S2M__MQTT__SERVER"] = "ws://127.0.0.1:9001/mqtt";
        var result = _f.Parse("mqtt:\n  server: mqtt://file:1883\n" + ConfigFixture.MinimalAccount);
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Equal("ws://127.0.0.1:9001/mqtt", result.Config!.Mqtt.Server);
        Assert.Contains("# from env S2M__MQTT__SERVER", result.EffectiveYaml, StringComparison.Ordinal);
    }

    [Fact]
    public void Environment_sets_a_key_the_file_does_not_have()
    {
        _f.Environment["S2M__HOMEASSISTANT__DISCOVERY_PREFIX"] = "hass";
        _f.Environment["S2M__LOG_LEVEL"] = "warning";
        var config = _f.Valid(ConfigFixture.MinimalAccount);
        Assert.Equal("hass", config.Bridge.DiscoveryPrefix);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, config.LogLevel);
    }

    [Fact]
    public void Environment_reaches_into_lists_and_can_create_an_account()
    {
        _f.Environment["S2M__SCHLAGE__ACCOUNTS__0__USERNAME"] = "env@example.com";
        _f.Environment["S2M__SCHLAGE__ACCOUNTS__0__PASSWORD"] = "env-password";
        var config = _f.Valid("");
        Assert.Equal("env@example.com", config.Schlage.Accounts[0].Username);
        Assert.Equal("env-password", config.Schlage.Accounts[0].Password);
    }

    [Fact]
    public void Environment_overrides_a_secret_in_an_existing_list_item()
    {
        _f.Environment["S2M__SCHLAGE__ACCOUNTS__0__PASSWORD"] = "from-env";
        var config = _f.Valid(ConfigFixture.MinimalAccount);
        Assert.Equal("from-env", config.Schlage.Accounts[0].Password);
        Assert.Equal("alice@example.com", config.Schlage.Accounts[0].Username);
    }

    [Fact]
    public void Unrelated_environment_variables_are_ignored()
    {
        _f.Environment["PATH"] = "/usr/bin";
        _f.Environment["S2M_SOMETHING"] = "x";
        _f.Valid(ConfigFixture.MinimalAccount);
    }

    [Fact]
    public void A_typo_in_an_environment_override_is_reported_like_a_file_typo()
    {
        _f.Environment["S2M__MQTT__SEVER"] = "mqtt://x";
        var error = _f.SingleError(ConfigFixture.MinimalAccount);
        Assert.Equal("mqtt.sever", error.Path);
        Assert.Contains("did you mean mqtt.server?", error.Message, StringComparison.Ordinal);
        Assert.Equal("env S2M__MQTT__SEVER", error.Source);
    }

    [Fact]
    public void A_list_index_beyond_the_end_is_reported()
    {
        _f.Environment["S2M__SCHLAGE__ACCOUNTS__5__USERNAME"] = "x@y.z";
        var result = _f.Parse(ConfigFixture.MinimalAccount);
        Assert.Contains(result.Errors, e => e.Message.Contains("is not a list index 0..1", StringComparison.Ordinal));
    }

    [Fact]
    public void Secret_file_is_read_and_its_trailing_newline_dropped()
    {
        var path = _f.WriteFile("pw.txt", "file-password\n");
        var config = _f.Valid($"schlage:\n  accounts:\n    - username: a@b.c\n      password_file: {path}\n");
        Assert.Equal("file-password", config.Schlage.Accounts[0].Password);
    }

    [Fact]
    public void Secret_file_path_is_relative_to_the_config_file()
    {
        _f.WriteFile("mqtt.pw", "broker-pw");
        var config = _f.Valid("mqtt:\n  user: u\n  password_file: mqtt.pw\n" + ConfigFixture.MinimalAccount);
        Assert.Equal("broker-pw", config.Mqtt.Password);
    }

    [Fact]
    public void Secret_file_can_be_named_from_the_environment()
    {
        var path = _f.WriteFile("key.txt", "api-key-from-file");
        _f.Environment["S2M__SCHLAGE__API_KEY_FILE"] = path;
        var config = _f.Valid(ConfigFixture.MinimalAccount);
        Assert.Equal("api-key-from-file", config.Schlage.ApiKey);
    }

    [Fact]
    public void Missing_secret_file_names_the_key_and_path()
    {
        var error = _f.SingleError("mqtt:\n  user: u\n  password_file: /nonexistent/pw\n" + ConfigFixture.MinimalAccount);
        Assert.Equal("mqtt.password_file", error.Path);
        Assert.Contains("cannot read '/nonexistent/pw'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_secret_file_is_an_error()
    {
        var path = _f.WriteFile("empty.txt", "\n");
        var error = _f.SingleError($"mqtt:\n  user: u\n  password_file: {path}\n" + ConfigFixture.MinimalAccount);
        Assert.Equal("mqtt.password_file", error.Path);
        Assert.Contains("is empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Secret_given_inline_and_as_file_is_an_error()
    {
        var path = _f.WriteFile("pw.txt", "x");
        var error = _f.SingleError($"mqtt:\n  user: u\n  password: inline-pw\n  password_file: {path}\n" + ConfigFixture.MinimalAccount);
        Assert.Equal("mqtt.password", error.Path);
        Assert.Contains("both inline and as password_file", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("inline-pw", error.ToString(), StringComparison.Ordinal);
    }
}
