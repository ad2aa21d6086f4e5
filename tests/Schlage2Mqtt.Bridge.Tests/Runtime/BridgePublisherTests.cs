using Microsoft.Extensions.Logging.Abstractions;
using Schlage2Mqtt.Bridge.Runtime;
using Schlage2Mqtt.Bridge.Tests.Fakes;
using Schlage2Mqtt.Mqtt;
using Schlage2Mqtt.TestSupport;

namespace Schlage2Mqtt.Bridge.Tests.Runtime;

/// <summary>
/// The last <c>offline</c> of a clean stop is published and waited for, at most its limit: a broker that dies after
/// the client took the message never acknowledges it, and the client does not give a taken QoS 1 message back when
/// the caller's token is cancelled. Ctrl+C on <c>schlage2mqtt demo</c> (which stops its private mosquitto at the same
/// moment) hung the stop that way.
/// </summary>
public sealed class BridgePublisherTests
{
    private static readonly MqttMessage Offline = new("schlage2mqtt/bridge/state", "offline"u8.ToArray(), MqttQualityOfService.AtLeastOnce, Retain: true);

    [Fact]
    public async Task A_wait_for_an_acknowledgement_that_never_comes_ends_at_its_limit_even_when_the_client_ignores_the_token()
    {
        var time = new ManualTimeProvider();
        var client = new FakeMqttClient { WithholdAcknowledgements = true };
        client.Connect();
        var counters = new BridgeCounters();
        var publisher = new BridgePublisher(client, counters, time, NullLogger.Instance);

        var wait = publisher.PublishAndWaitAsync(Offline, TimeSpan.FromSeconds(1.5));
        time.Advance(TimeSpan.FromSeconds(1.4));
        Assert.False(wait.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(0.1));

        Assert.False(await wait.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(1, counters.PublishFailures);
    }

    [Fact]
    public async Task An_acknowledged_publish_is_reported_as_sent()
    {
        var time = new ManualTimeProvider();
        var client = new FakeMqttClient();
        client.Connect();
        var publisher = new BridgePublisher(client, new BridgeCounters(), time, NullLogger.Instance);

        Assert.True(await publisher.PublishAndWaitAsync(Offline, TimeSpan.FromSeconds(1.5)));
        Assert.Equal(["offline"], client.On("schlage2mqtt/bridge/state"));
    }
}
