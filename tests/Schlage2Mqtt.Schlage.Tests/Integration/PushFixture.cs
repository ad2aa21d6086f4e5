using Schlage2Mqtt.Simulator;
using Schlage2Mqtt.TestSupport;

namespace Schlage2Mqtt.Schlage.Tests.Integration;

/// <summary>
/// The integration world plus a private mosquitto with a WebSocket listener: <c>users/wss</c> sends clients to it and
/// the simulator publishes every change there (over plain TCP), as the cloud does over AWS IoT.
/// </summary>
public sealed class PushFixture : SimulatorFixture
{
    public MosquittoBroker Broker { get; private set; } = null!;

    protected override async Task<SimulatorOptions> CreateWorldAsync()
    {
        Broker = await MosquittoBroker.StartAsync(new MosquittoOptions { WebSockets = true });
        return World() with
        {
            PushBrokerUrl = new Uri(Broker.WebSocketUrl),
            PushPublishUrl = new Uri(Broker.TcpUrl),
            PhoneAppReconnectDelay = TimeSpan.FromMilliseconds(200),
        };
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Broker is not null)
        {
            await Broker.DisposeAsync();
        }
    }
}
