using Schlage2Mqtt.TestSupport;

namespace Schlage2Mqtt.Mqtt.Tests.Integration;

/// <summary>A private mosquitto whose TLS and secure WebSocket listeners require a client certificate from the test CA.</summary>
public sealed class MutualTlsFixture : IAsyncLifetime
{
    public TestCertificates Certificates { get; } = TestCertificates.Create();

    public MosquittoBroker Broker { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Broker = await MosquittoBroker.StartAsync(new MosquittoOptions { Tls = Certificates, SecureWebSockets = true, RequireClientCertificate = true });
    }

    public async Task DisposeAsync()
    {
        await Broker.DisposeAsync();
        Certificates.Dispose();
    }
}

/// <summary>Client-certificate (mutual) TLS against mosquitto with <c>require_certificate true</c>.</summary>
public sealed class MutualTlsTests(MutualTlsFixture fixture) : IClassFixture<MutualTlsFixture>
{
    private MqttTlsOptions Trusted => new()
    {
        CaFile = fixture.Certificates.CaCertFile,
        CertFile = fixture.Certificates.ClientCertFile,
        KeyFile = fixture.Certificates.ClientKeyFile,
    };

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task A_client_certificate_from_the_brokers_ca_is_accepted(MqttProtocolVersion version)
    {
        var options = TestClients.Options(fixture.Broker.TlsUrl, version) with { Tls = Trusted };
        var (client, inbox) = await TestClients.ConnectAsync(options);
        await using (client)
        {
            var topic = $"mtls/{Guid.NewGuid():N}";
            await client.SubscribeAsync([new MqttSubscription(topic, MqttQualityOfService.AtLeastOnce)]);
            var result = await client.PublishAsync(new MqttMessage(topic, "mutual"u8.ToArray(), MqttQualityOfService.AtLeastOnce));
            Assert.True(result.IsSuccess);
            Assert.Equal("mutual", (await inbox.NextAsync()).PayloadAsString());
        }
    }

    [Fact]
    public async Task A_client_certificate_over_secure_websocket_is_accepted()
    {
        var options = TestClients.Options(fixture.Broker.SecureWebSocketUrl, MqttProtocolVersion.V311) with { Tls = Trusted };
        var (client, inbox) = await TestClients.ConnectAsync(options);
        await using (client)
        {
            var topic = $"mtls-wss/{Guid.NewGuid():N}";
            await client.SubscribeAsync([new MqttSubscription(topic)]);
            await client.PublishAsync(new MqttMessage(topic, "mutual over wss"u8.ToArray()));
            Assert.Equal("mutual over wss", (await inbox.NextAsync()).PayloadAsString());
        }
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Without_a_client_certificate_the_connection_is_refused(MqttProtocolVersion version)
    {
        var options = TestClients.Options(fixture.Broker.TlsUrl, version) with { Tls = new MqttTlsOptions { CaFile = fixture.Certificates.CaCertFile } };
        await AssertRefusedAsync(options);
    }

    [Fact]
    public async Task A_client_certificate_from_another_ca_is_refused()
    {
        var options = TestClients.Options(fixture.Broker.TlsUrl, MqttProtocolVersion.V500) with
        {
            Tls = new MqttTlsOptions
            {
                CaFile = fixture.Certificates.CaCertFile,
                CertFile = fixture.Certificates.OtherClientCertFile,
                KeyFile = fixture.Certificates.OtherClientKeyFile,
            },
        };
        await AssertRefusedAsync(options);
    }

    private static async Task AssertRefusedAsync(MqttClientOptions options)
    {
        var disconnected = false;
        await using var connection = new MqttConnection(options);
        connection.Disconnected += (_, _) => disconnected = true;
        var ex = await Assert.ThrowsAsync<MqttConnectException>(() => connection.ConnectAsync().WaitAsync(TestClients.Timeout));
        // Refused by the broker's TLS layer, not a timeout: with TLS 1.3 the client learns it after its own handshake
        // finished, so the failure surfaces either in the handshake or as the broker closing before CONNACK.
        Assert.DoesNotContain("within", ex.Message, StringComparison.Ordinal);
        // The message carries the TLS alert and names the likely fix.
        Assert.Contains("client certificate", ex.Message, StringComparison.Ordinal);
        Assert.NotNull(ex.InnerException);
        Assert.False(connection.IsConnected);
        Assert.False(disconnected);
        Assert.Null(connection.ConnectResult);
    }
}
