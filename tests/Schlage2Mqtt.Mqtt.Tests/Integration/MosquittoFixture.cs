using Schlage2Mqtt.TestSupport;

namespace Schlage2Mqtt.Mqtt.Tests.Integration;

/// <summary>One private mosquitto (TCP, WebSocket, TLS and secure WebSocket listeners) shared by a test class.</summary>
public sealed class MosquittoFixture : IAsyncLifetime
{
    public TestCertificates Certificates { get; } = TestCertificates.Create();

    public MosquittoBroker Broker { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Broker = await MosquittoBroker.StartAsync(new MosquittoOptions { WebSockets = true, Tls = Certificates, SecureWebSockets = true });
    }

    public async Task DisposeAsync()
    {
        await Broker.DisposeAsync();
        Certificates.Dispose();
    }
}
