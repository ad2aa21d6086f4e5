using System.Text;

namespace Schlage2Mqtt.Mqtt.Tests.Integration;

/// <summary>
/// The basic behaviour every broker must show with our client; run against mosquitto (both versions) and aedes
/// (3.1.1) and MQTTnet.Server (both versions, in process). Each scenario uses its own topics, so scenarios can share a broker.
/// </summary>
internal static class BrokerSuite
{
    public static async Task QosRoundTripsBothDirections(string server, MqttProtocolVersion version, MqttQualityOfService qos)
    {
        var topic = $"suite/{Guid.NewGuid():N}/qos{(int)qos}";
        var (subscriber, inbox) = await TestClients.ConnectAsync(TestClients.Options(server, version));
        var (publisher, publisherInbox) = await TestClients.ConnectAsync(TestClients.Options(server, version));
        await using (subscriber)
        await using (publisher)
        {
            var sub = await subscriber.SubscribeAsync([new MqttSubscription(topic + "/m/#", qos)]);
            Assert.Equal((SubscribeReasonCode)(byte)qos, Assert.Single(sub.ReasonCodes));
            // And the reverse direction: the publisher subscribes to what the subscriber sends back.
            await publisher.SubscribeAsync([new MqttSubscription(topic + "/echo", qos)]);

            for (var i = 0; i < 20; i++)
            {
                var result = await publisher.PublishAsync(new MqttMessage($"{topic}/m", Encoding.UTF8.GetBytes($"msg {i}"), qos));
                Assert.True(result.IsSuccess, result.ToString());
            }
            var received = await inbox.TakeAsync(20);
            Assert.Equal(Enumerable.Range(0, 20).Select(i => $"msg {i}"), received.Select(m => m.PayloadAsString()));
            Assert.All(received, m => Assert.Equal(qos, m.QualityOfService));
            Assert.All(received, m => Assert.False(m.Retain));

            var echo = await subscriber.PublishAsync(new MqttMessage($"{topic}/echo", "back"u8.ToArray(), qos));
            Assert.True(echo.IsSuccess);
            var back = await publisherInbox.NextAsync();
            Assert.Equal("back", back.PayloadAsString());
            Assert.Equal(qos, back.QualityOfService);
            await subscriber.PingAsync().WaitAsync(TestClients.Timeout);
            Assert.False(inbox.TryTake(out _), "no duplicate deliveries");
            Assert.True(subscriber.MessagesReceived >= 20);
        }
    }

    public static async Task RetainedMessageIsDeliveredOnSubscribe(string server, MqttProtocolVersion version)
    {
        var topic = $"suite/{Guid.NewGuid():N}/retained";
        var (publisher, _) = await TestClients.ConnectAsync(TestClients.Options(server, version));
        await using (publisher)
        {
            await publisher.PublishAsync(new MqttMessage(topic, "kept"u8.ToArray(), MqttQualityOfService.AtLeastOnce, Retain: true));
            var (subscriber, inbox) = await TestClients.ConnectAsync(TestClients.Options(server, version));
            await using (subscriber)
            {
                await subscriber.SubscribeAsync([new MqttSubscription(topic, MqttQualityOfService.AtLeastOnce)]);
                var message = await inbox.NextAsync();
                Assert.True(message.Retain);
                Assert.Equal("kept", message.PayloadAsString());
                // Clearing: an empty retained message removes it.
                await publisher.PublishAsync(new MqttMessage(topic, ReadOnlyMemory<byte>.Empty, MqttQualityOfService.AtLeastOnce, Retain: true));
            }
        }
    }

    public static async Task WillIsPublishedWhenTheSocketDies(string server, MqttProtocolVersion version)
    {
        var topic = $"suite/{Guid.NewGuid():N}/bridge/state";
        var (watcher, inbox) = await TestClients.ConnectAsync(TestClients.Options(server, version));
        await using (watcher)
        {
            await watcher.SubscribeAsync([new MqttSubscription(topic, MqttQualityOfService.AtLeastOnce)]);
            var options = TestClients.Options(server, version) with
            {
                Will = new MqttMessage(topic, "offline"u8.ToArray(), MqttQualityOfService.AtLeastOnce, Retain: true),
            };
            var (dying, _) = await TestClients.ConnectAsync(options);
            await dying.PublishAsync(new MqttMessage(topic, "online"u8.ToArray(), MqttQualityOfService.AtLeastOnce, Retain: true));
            Assert.Equal("online", (await inbox.NextAsync()).PayloadAsString());

            dying.AbortTransportForTests();

            var will = await inbox.NextAsync();
            Assert.Equal("offline", will.PayloadAsString());
            Assert.Equal(MqttQualityOfService.AtLeastOnce, will.QualityOfService);
            var info = await dying.Completion.WaitAsync(TestClients.Timeout);
            Assert.Equal(MqttDisconnectSource.Transport, info.Source);
            await dying.DisposeAsync();
            await watcher.PublishAsync(new MqttMessage(topic, ReadOnlyMemory<byte>.Empty, MqttQualityOfService.AtLeastOnce, Retain: true));
        }
    }

    public static async Task CleanDisconnectDoesNotPublishTheWill(string server, MqttProtocolVersion version)
    {
        var topic = $"suite/{Guid.NewGuid():N}/will";
        var (watcher, inbox) = await TestClients.ConnectAsync(TestClients.Options(server, version));
        await using (watcher)
        {
            await watcher.SubscribeAsync([new MqttSubscription(topic)]);
            var (leaving, _) = await TestClients.ConnectAsync(TestClients.Options(server, version) with { Will = new MqttMessage(topic, "gone"u8.ToArray()) });
            await leaving.DisconnectAsync();
            var info = await leaving.Completion.WaitAsync(TestClients.Timeout);
            Assert.Equal(MqttDisconnectSource.Client, info.Source);
            await leaving.DisposeAsync();
            // A marker published after the disconnect arrives; the will, had it been sent, would have come first.
            await watcher.PublishAsync(new MqttMessage(topic, "marker"u8.ToArray()));
            Assert.Equal("marker", (await inbox.NextAsync()).PayloadAsString());
        }
    }

    public static async Task UnsubscribeStopsDeliveries(string server, MqttProtocolVersion version)
    {
        var topic = $"suite/{Guid.NewGuid():N}/unsub";
        var (client, inbox) = await TestClients.ConnectAsync(TestClients.Options(server, version));
        await using (client)
        {
            await client.SubscribeAsync([new MqttSubscription(topic + "/a"), new MqttSubscription(topic + "/b")]);
            var result = await client.UnsubscribeAsync([topic + "/a"]);
            Assert.Equal(UnsubscribeReasonCode.Success, Assert.Single(result.ReasonCodes));
            await client.PublishAsync(new MqttMessage(topic + "/a", "x"u8.ToArray(), MqttQualityOfService.AtLeastOnce));
            await client.PublishAsync(new MqttMessage(topic + "/b", "y"u8.ToArray(), MqttQualityOfService.AtLeastOnce));
            Assert.Equal("y", (await inbox.NextAsync()).PayloadAsString());
        }
    }
}
