using System.Buffers;
using System.Collections.Concurrent;
using Schlage2Mqtt.Mqtt.Client;
using Schlage2Mqtt.Mqtt.Protocol;

namespace Schlage2Mqtt.Mqtt.Tests.Client;

/// <summary>
/// Messages a persistent session queued while the client was away arrive in the same read as CONNACK. The handler
/// must already find the client connected: an answer it publishes at QoS 0 (the bridge's <c>bridge/log</c> warning for
/// a retained command that waited in the session) would otherwise be dropped as "not connected".
/// </summary>
public sealed class SessionDeliveryTests
{
    private static readonly TimeSpan Timeout = StrictBroker.Timeout;

    private static byte[] ConnAckThen(StrictBroker broker, bool sessionPresent, PublishPacket queued)
    {
        var writer = new ArrayBufferWriter<byte>();
        MqttPacketEncoder.Encode(writer, new ConnAckPacket(sessionPresent, ConnectReasonCode.Success), broker.Version);
        MqttPacketEncoder.Encode(writer, queued, broker.Version);
        return writer.WrittenSpan.ToArray();
    }

    [Fact]
    public async Task A_connection_holding_delivery_reads_and_keeps_messages_but_hands_out_and_acknowledges_none_until_started()
    {
        await using var broker = new StrictBroker();
        var options = new MqttClientOptions { Server = broker.Url, ClientId = "held", CleanStart = false, SessionExpiryInterval = TimeSpan.FromHours(1) };
        await using var connection = new MqttConnection(options, null, null, new MqttSession(keepInflightAcrossConnections: true), holdDelivery: true);
        var handled = new ConcurrentQueue<string>();
        connection.MessageReceived = (message, _) =>
        {
            handled.Enqueue(message.Topic);
            return ValueTask.CompletedTask;
        };
        var connect = connection.ConnectAsync();
        await broker.AcceptAsync();
        await broker.SendAsync(ConnAckThen(broker, true, new PublishPacket(new MqttMessage("queued/1", new byte[] { 1 }, MqttQualityOfService.AtLeastOnce), 7)));
        Assert.True((await connect.WaitAsync(Timeout)).IsSuccess);

        // The ping's answer comes after the PUBLISH on the same stream: once it is back, the PUBLISH has been read.
        var ping = connection.PingAsync();
        await broker.ExpectAsync<PingReqPacket>();
        await broker.SendAsync(0xD0, 0x00);
        await ping.WaitAsync(Timeout);
        Assert.Empty(handled);

        connection.StartDelivery();
        var ack = await broker.ExpectAsync<PublishAckPacket>();
        Assert.Equal((ushort)7, ack.PacketId);
        Assert.Equal(["queued/1"], handled);
    }

    // Through the reconnecting client, which holds each connection's delivery until it is live, on fresh connections.
    [Fact]
    public async Task A_handler_answering_a_message_queued_behind_CONNACK_is_never_dropped()
    {
        await using var broker = new StrictBroker();
        var options = new MqttClientOptions
        {
            Server = broker.Url,
            ClientId = "session",
            CleanStart = false,
            SessionExpiryInterval = TimeSpan.FromHours(1),
        };
        // Every reconnect is immediate, so the race is run on many fresh connections in one test.
        await using var client = new ReconnectingMqttClient(options, new MqttReconnectOptions { DelayOverride = _ => TimeSpan.Zero });
        var failures = new ConcurrentQueue<string>();
        client.MessageReceived = async (message, ct) =>
        {
            try
            {
                await client.PublishAsync(new MqttMessage("answer/" + message.Topic, message.Payload), ct);
            }
            catch (MqttException ex)
            {
                failures.Enqueue($"{message.Topic}: {ex.Message}");
            }
        };
        await client.StartAsync();

        const int Rounds = 25;
        for (var round = 0; round < Rounds; round++)
        {
            await broker.AcceptAsync();
            // CONNACK and the session's queued message in one segment: the client reads both before it resumes.
            await broker.SendAsync(ConnAckThen(broker, round > 0, new PublishPacket(new MqttMessage($"queued/{round}", new byte[] { 1 }))));

            var answer = await broker.ExpectAsync<PublishPacket>().WaitAsync(Timeout);
            Assert.Equal($"answer/queued/{round}", answer.Message.Topic);
            broker.Drop();
        }
        Assert.Empty(failures);
        Assert.Equal(Rounds, client.Counters.MessagesReceived);
    }
}
