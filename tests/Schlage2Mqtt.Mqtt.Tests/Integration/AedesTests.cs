using Schlage2Mqtt.TestSupport;

namespace Schlage2Mqtt.Mqtt.Tests.Integration;

/// <summary>aedes (Node.js, MQTT 3.1.1 only) as a second broker implementation, running the same basic suite.</summary>
public sealed class AedesFixture : IAsyncLifetime
{
    public AedesBroker Broker { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var interop = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "interop");
        Broker = await AedesBroker.StartAsync(Path.GetFullPath(interop));
    }

    public async Task DisposeAsync() => await Broker.DisposeAsync();
}

public sealed class AedesTests(AedesFixture fixture) : IClassFixture<AedesFixture>
{
    [Theory]
    [InlineData(MqttQualityOfService.AtMostOnce)]
    [InlineData(MqttQualityOfService.AtLeastOnce)]
    [InlineData(MqttQualityOfService.ExactlyOnce)]
    public Task Qos_round_trips_in_both_directions(MqttQualityOfService qos) =>
        BrokerSuite.QosRoundTripsBothDirections(fixture.Broker.TcpUrl, MqttProtocolVersion.V311, qos);

    [Fact]
    public Task Retained_message_is_delivered_on_subscribe() => BrokerSuite.RetainedMessageIsDeliveredOnSubscribe(fixture.Broker.TcpUrl, MqttProtocolVersion.V311);

    [Fact]
    public Task Will_is_published_when_the_socket_dies() => BrokerSuite.WillIsPublishedWhenTheSocketDies(fixture.Broker.TcpUrl, MqttProtocolVersion.V311);

    [Fact]
    public Task Clean_disconnect_does_not_publish_the_will() => BrokerSuite.CleanDisconnectDoesNotPublishTheWill(fixture.Broker.TcpUrl, MqttProtocolVersion.V311);

    [Fact]
    public Task Unsubscribe_stops_deliveries() => BrokerSuite.UnsubscribeStopsDeliveries(fixture.Broker.TcpUrl, MqttProtocolVersion.V311);
}
