namespace Schlage2Mqtt.Mqtt.Tests.Options;

public sealed class MqttOptionsValidatorTests : IDisposable
{
    private static readonly MqttClientOptions Bridge = new() { Server = "mqtt://broker:1883", ClientId = "s2m", CleanStart = false };
    private readonly string _pem = Path.GetTempFileName();

    public void Dispose() => File.Delete(_pem);

    private static List<(string Key, string Message)> Problems(MqttClientOptions options, string prefix = "")
    {
        var problems = new List<(string, string)>();
        new MqttOptionsValidator(prefix).Check(options, (key, message) => problems.Add((key, message)));
        return problems;
    }

    private static List<(string Key, string Message)> Problems(MqttReconnectOptions options)
    {
        var problems = new List<(string, string)>();
        new MqttOptionsValidator("mqtt.").Check(options, (key, message) => problems.Add((key, message)));
        return problems;
    }

    [Fact]
    public void The_records_defaults_are_valid()
    {
        Assert.Empty(Problems(Bridge));
        Assert.Empty(Problems(new MqttReconnectOptions()));
        Assert.True(new MqttOptionsValidator().Validate(null, new MqttReconnectOptions()).Succeeded);
    }

    [Fact]
    public void A_keepalive_beyond_the_protocol_field_names_the_key()
    {
        var (key, message) = Assert.Single(Problems(Bridge with { KeepAlive = TimeSpan.FromSeconds(70000) }, "mqtt."));

        Assert.Equal("mqtt.keepalive", key);
        Assert.Equal("'70000s' is above the maximum of 65535s", message);
    }

    [Fact]
    public void A_persistent_session_needs_a_client_id()
    {
        Assert.Equal("client_id", Assert.Single(Problems(Bridge with { ClientId = "" })).Key);
        Assert.Empty(Problems(Bridge with { ClientId = "", CleanStart = true }));
    }

    [Fact]
    public void A_client_certificate_needs_its_key()
    {
        var (key, message) = Assert.Single(Problems(Bridge with { Server = "mqtts://broker", Tls = new MqttTlsOptions { CertFile = _pem } }, "mqtt."));

        Assert.Equal("mqtt.tls.key", key);
        Assert.Contains("needs both mqtt.tls.cert and mqtt.tls.key", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tls_settings_on_a_plain_connection_are_refused_each_by_its_key()
    {
        var tls = new MqttTlsOptions { CaFile = _pem, CertFile = _pem, KeyFile = _pem, ServerName = "b", RejectUnauthorized = false };

        var problems = Problems(Bridge with { Tls = tls }, "mqtt.");

        Assert.Equal(["mqtt.tls.ca", "mqtt.tls.cert", "mqtt.tls.key", "mqtt.tls.server_name", "mqtt.tls.reject_unauthorized"], problems.Select(p => p.Key));
        Assert.All(problems, p => Assert.Contains("mqtt.server 'mqtt://broker:1883' is not encrypted", p.Message, StringComparison.Ordinal));
        Assert.Empty(Problems(Bridge with { Server = "wss://broker/mqtt", Tls = tls }));
    }

    [Fact]
    public void A_server_that_is_not_a_broker_url_is_named()
    {
        Assert.Equal("server", Assert.Single(Problems(Bridge with { Server = "not a url" })).Key);
    }

    [Theory]
    [InlineData(0.05, 15, "mqtt.reconnect_delay", "'0.05s' is below the minimum of 0.1s")]
    [InlineData(1, 700, "mqtt.reconnect_max_delay", "'700s' is above the maximum of 600s")]
    [InlineData(20, 10, "mqtt.reconnect_max_delay", "is 10s, shorter than mqtt.reconnect_delay (20s); make it at least as long")]
    public void Reconnect_delays_are_ranged_and_ordered(double first, double max, string key, string fragment)
    {
        var (actualKey, message) = Assert.Single(Problems(new MqttReconnectOptions { InitialDelay = TimeSpan.FromSeconds(first), MaxDelay = TimeSpan.FromSeconds(max) }));

        Assert.Equal(key, actualKey);
        Assert.Contains(fragment, message, StringComparison.Ordinal);
    }

    [Fact]
    public void As_an_options_validator_each_failure_reads_key_then_message()
    {
        var result = new MqttOptionsValidator("mqtt.").Validate(null, Bridge with { KeepAlive = TimeSpan.FromSeconds(-1) });

        Assert.True(result.Failed);
        Assert.Equal(["mqtt.keepalive: '-1s' is below the minimum of 0s"], result.Failures);
    }
}
