using System.Net;
using MQTTnet.Server;
using Schlage2Mqtt.TestSupport;

namespace Schlage2Mqtt.Mqtt.Tests.Integration;

/// <summary>MQTTnet.Server, in process on a free loopback port: a third broker implementation beside mosquitto and aedes.</summary>
public sealed class MqttNetServerFixture : IAsyncLifetime
{
    private MqttServer? _server;

    public string TcpUrl { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var port = FreePort.Next();
        var factory = new MqttServerFactory();
        var options = factory.CreateServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
            .WithDefaultEndpointPort(port)
            .Build();
        _server = factory.CreateMqttServer(options);
        await _server.StartAsync();
        TcpUrl = $"mqtt://127.0.0.1:{port}";
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.StopAsync();
            _server.Dispose();
        }
    }
}

public sealed class MqttNetServerTests(MqttNetServerFixture fixture) : IClassFixture<MqttNetServerFixture>
{
    private string Tcp => fixture.TcpUrl;

    [Theory]
    [InlineData(MqttProtocolVersion.V311, MqttQualityOfService.AtMostOnce)]
    [InlineData(MqttProtocolVersion.V311, MqttQualityOfService.AtLeastOnce)]
    [InlineData(MqttProtocolVersion.V311, MqttQualityOfService.ExactlyOnce)]
    [InlineData(MqttProtocolVersion.V500, MqttQualityOfService.AtMostOnce)]
    [InlineData(MqttProtocolVersion.V500, MqttQualityOfService.AtLeastOnce)]
    [InlineData(MqttProtocolVersion.V500, MqttQualityOfService.ExactlyOnce)]
    public Task Qos_round_trips_in_both_directions(MqttProtocolVersion version, MqttQualityOfService qos) =>
        BrokerSuite.QosRoundTripsBothDirections(Tcp, version, qos);

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public Task Retained_message_is_delivered_on_subscribe(MqttProtocolVersion version) => BrokerSuite.RetainedMessageIsDeliveredOnSubscribe(Tcp, version);

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public Task Will_is_published_when_the_socket_dies(MqttProtocolVersion version) => BrokerSuite.WillIsPublishedWhenTheSocketDies(Tcp, version);

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public Task Clean_disconnect_does_not_publish_the_will(MqttProtocolVersion version) => BrokerSuite.CleanDisconnectDoesNotPublishTheWill(Tcp, version);

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public Task Unsubscribe_stops_deliveries(MqttProtocolVersion version) => BrokerSuite.UnsubscribeStopsDeliveries(Tcp, version);
}
