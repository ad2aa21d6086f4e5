using Schlage2Mqtt.Mqtt.Protocol;

namespace Schlage2Mqtt.Mqtt.Tests.Client;

/// <summary>
/// The handler returning is the acknowledgement: PUBACK/PUBREC go out only after the message handler completed, in
/// arrival order. Each test holds the handler and uses a ping round trip to show what was (not) sent meanwhile.
/// </summary>
public sealed class DurableAckTests
{
    private static readonly TimeSpan Timeout = StrictBroker.Timeout;

    private static async Task<MqttConnection> ConnectAsync(StrictBroker broker)
    {
        var connection = new MqttConnection(new MqttClientOptions { Server = broker.Url, ProtocolVersion = broker.Version, ClientId = "durable" });
        var connect = connection.ConnectAsync();
        await broker.AcceptAndConnAckAsync(StrictLimits.None);
        Assert.True((await connect.WaitAsync(Timeout)).IsSuccess);
        return connection;
    }

    /// <summary>Everything the client wrote before it answers a PINGREQ round trip started now.</summary>
    private static async Task<List<MqttPacket>> SentBeforePingAsync(StrictBroker broker, MqttConnection connection)
    {
        var ping = connection.PingAsync();
        var before = new List<MqttPacket>();
        while (await broker.ReadAsync() is { } packet and not PingReqPacket)
        {
            before.Add(packet);
        }
        await broker.SendAsync(0xD0, 0x00);
        await ping.WaitAsync(Timeout);
        return before;
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task The_ack_is_sent_only_after_the_handler_completed(MqttProtocolVersion version)
    {
        await using var broker = new StrictBroker(version);
        await using var connection = await ConnectAsync(broker);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Waits with the handler's token, so a failing assertion still lets the connection close.
        connection.MessageReceived = async (_, token) =>
        {
            entered.TrySetResult();
            await stored.Task.WaitAsync(token);
        };
        await broker.SendAsync(new PublishPacket(new MqttMessage("d/code", "1234"u8.ToArray(), MqttQualityOfService.AtLeastOnce), 5));
        await entered.Task.WaitAsync(Timeout);
        Assert.Empty(await SentBeforePingAsync(broker, connection));

        stored.SetResult();
        var ack = await broker.ExpectAsync<PublishAckPacket>();
        Assert.Equal((MqttPacketType.PubAck, (ushort)5), (ack.AckType, ack.PacketId));
    }

    [Fact]
    public async Task Acks_keep_the_arrival_order_including_a_qos2_duplicate_and_a_failing_handler()
    {
        await using var broker = new StrictBroker();
        await using var connection = await ConnectAsync(broker);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handled = new List<string>();
        connection.MessageReceived = async (m, token) =>
        {
            handled.Add(m.PayloadAsString());
            if (m.PayloadAsString() == "first")
            {
                entered.TrySetResult();
                await release.Task.WaitAsync(token);
            }
            if (m.PayloadAsString() == "fails")
            {
                throw new InvalidOperationException("handler failure");
            }
        };
        var qos2 = new PublishPacket(new MqttMessage("d/t", "second"u8.ToArray(), MqttQualityOfService.ExactlyOnce), 2);
        await broker.SendAsync(new PublishPacket(new MqttMessage("d/t", "first"u8.ToArray(), MqttQualityOfService.AtLeastOnce), 1));
        await broker.SendAsync(qos2);
        await broker.SendAsync(qos2 with { Dup = true });
        await broker.SendAsync(new PublishPacket(new MqttMessage("d/t", "zero"u8.ToArray())));
        await broker.SendAsync(new PublishPacket(new MqttMessage("d/t", "fails"u8.ToArray(), MqttQualityOfService.AtLeastOnce), 3));
        await entered.Task.WaitAsync(Timeout);
        // The duplicate's PUBREC must not overtake the first message's PUBACK either.
        Assert.Empty(await SentBeforePingAsync(broker, connection));

        release.SetResult();
        var acks = new List<(MqttPacketType, ushort)>();
        for (var i = 0; i < 4; i++)
        {
            var ack = await broker.ExpectAsync<PublishAckPacket>();
            acks.Add((ack.AckType, ack.PacketId));
        }
        Assert.Equal([(MqttPacketType.PubAck, 1), (MqttPacketType.PubRec, 2), (MqttPacketType.PubRec, 2), (MqttPacketType.PubAck, 3)], acks);
        Assert.Equal(["first", "second", "zero", "fails"], handled);
    }
}
