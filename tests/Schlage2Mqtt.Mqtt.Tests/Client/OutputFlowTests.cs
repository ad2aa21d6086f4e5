using System.Buffers.Binary;
using Schlage2Mqtt.Mqtt.Protocol;

namespace Schlage2Mqtt.Mqtt.Tests.Client;

/// <summary>
/// The output path when the socket backs up: a broker that stops reading makes QoS 0 publishers wait for space and
/// resume; whatever the socket accepts per write, packets arrive whole and in order and every task completes (QoS 0
/// once written, QoS 1 on its PUBACK). No timing: the broker reads only after back-pressure has been observed.
/// </summary>
public sealed class OutputFlowTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private const int PayloadSize = 1000;

    // Far beyond any kernel's loopback socket buffers plus the client's own high-water mark.
    private const long BackPressureBound = 256L * 1024 * 1024;

    private static MqttMessage Numbered(int n, MqttQualityOfService qos = MqttQualityOfService.AtMostOnce, int publisher = 0)
    {
        var payload = new byte[PayloadSize];
        BinaryPrimitives.WriteInt32BigEndian(payload, publisher);
        BinaryPrimitives.WriteInt32BigEndian(payload.AsSpan(4), n);
        return new MqttMessage("flow/t", payload, qos);
    }

    private static (int Publisher, int Number) Read(PublishPacket packet)
    {
        var span = packet.Message.Payload.Span;
        Assert.Equal(PayloadSize, span.Length);
        return (BinaryPrimitives.ReadInt32BigEndian(span), BinaryPrimitives.ReadInt32BigEndian(span[4..]));
    }

    private static async Task<(ScriptedBroker Broker, MqttConnection Connection)> StartAsync(MqttProtocolVersion version)
    {
        var broker = new ScriptedBroker(receiveBufferSize: 4096);
        var connection = new MqttConnection(new MqttClientOptions { Server = broker.Url, ProtocolVersion = version, ClientId = "flow" });
        var connect = connection.ConnectAsync();
        await broker.AcceptAsync();
        Assert.IsType<ConnectPacket>(await broker.ReadPacketAsync(version));
        await broker.SendAsync(new ConnAckPacket(false, ConnectReasonCode.Success, null), version);
        Assert.True((await connect.WaitAsync(Timeout)).IsSuccess);
        return (broker, connection);
    }

    /// <summary>Publishes numbered QoS 0 messages until one has to wait for output space; returns that one and the count.</summary>
    private static (ValueTask<PublishResult> Blocked, int Sent) PublishUntilBackPressure(MqttConnection connection)
    {
        for (var sent = 0; (long)sent * PayloadSize < BackPressureBound; sent++)
        {
            var task = connection.PublishAsync(Numbered(sent));
            if (!task.IsCompleted)
            {
                return (task, sent + 1);
            }
            Assert.True(task.Result.IsSuccess);
        }
        Assert.Fail("A broker that reads nothing never made a QoS 0 publisher wait for output space.");
        return default;
    }

    private static async Task PingRoundTripAsync(ScriptedBroker broker, MqttConnection connection, MqttProtocolVersion version)
    {
        var ping = connection.PingAsync();
        Assert.IsType<PingReqPacket>(await broker.ReadPacketAsync(version));
        await broker.SendAsync(0xD0, 0x00);
        await ping.WaitAsync(Timeout);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Backed_up_output_makes_qos0_wait_then_everything_arrives_in_order_and_completes(MqttProtocolVersion version)
    {
        var (broker, connection) = await StartAsync(version);
        await using (broker)
        await using (connection)
        {
            var (blocked, sent) = PublishUntilBackPressure(connection);
            // Queued behind the backlog: a QoS 1 publish (completes on its PUBACK) and another QoS 0 one.
            var acked = connection.PublishAsync(Numbered(sent++, MqttQualityOfService.AtLeastOnce)).AsTask();
            var last = connection.PublishAsync(Numbered(sent++)).AsTask();
            Assert.False(acked.IsCompleted);

            for (var expected = 0; expected < sent; expected++)
            {
                var publish = Assert.IsType<PublishPacket>(await broker.ReadPacketAsync(version));
                Assert.Equal((0, expected), Read(publish));
                if (publish.Message.QualityOfService == MqttQualityOfService.AtLeastOnce)
                {
                    Assert.Equal(sent - 2, expected);
                    await broker.SendAsync(new PublishAckPacket(MqttPacketType.PubAck, publish.PacketId, PublishReasonCode.Success), version);
                }
            }
            Assert.True((await blocked.AsTask().WaitAsync(Timeout)).IsSuccess);
            Assert.True((await acked.WaitAsync(Timeout)).IsSuccess);
            Assert.True((await last.WaitAsync(Timeout)).IsSuccess);
            await PingRoundTripAsync(broker, connection, version);
            Assert.Equal(sent, connection.MessagesSent);
        }
    }

    [Fact]
    public async Task Cancelling_a_qos0_publish_that_waits_for_space_cancels_the_wait_not_the_message()
    {
        const MqttProtocolVersion version = MqttProtocolVersion.V311;
        var (broker, connection) = await StartAsync(version);
        await using (broker)
        await using (connection)
        {
            // A wait may end on its own while the kernel still takes bytes; once its buffers are full too, one cannot,
            // and cancelling it is what ends it. Either way the message itself was already handed to the output.
            var sent = 0;
            var cancelled = false;
            while (!cancelled)
            {
                Assert.True((long)sent * PayloadSize < BackPressureBound, "A broker that reads nothing never made a QoS 0 publisher wait.");
                using var cancel = new CancellationTokenSource();
                var task = connection.PublishAsync(Numbered(sent++), cancel.Token);
                if (task.IsCompleted)
                {
                    continue;
                }
                await cancel.CancelAsync();
                try
                {
                    Assert.True((await task.AsTask().WaitAsync(Timeout)).IsSuccess);
                }
                catch (OperationCanceledException)
                {
                    cancelled = true;
                }
            }
            for (var expected = 0; expected < sent; expected++)
            {
                Assert.Equal((0, expected), Read(Assert.IsType<PublishPacket>(await broker.ReadPacketAsync(version))));
            }
            await PingRoundTripAsync(broker, connection, version);
            Assert.True(connection.IsConnected);
        }
    }

    [Fact]
    public async Task Concurrent_publishers_keep_their_own_order_and_packets_stay_whole()
    {
        const MqttProtocolVersion version = MqttProtocolVersion.V500;
        const int publishers = 4;
        const int perPublisher = 1500;
        var (broker, connection) = await StartAsync(version);
        await using (broker)
        await using (connection)
        {
            // Odd publishers use QoS 1 with a window of 64 unacknowledged; even ones QoS 0 as fast as the output allows.
            var running = Enumerable.Range(0, publishers).Select(p => Task.Run(async () =>
            {
                var qos = p % 2 == 1 ? MqttQualityOfService.AtLeastOnce : MqttQualityOfService.AtMostOnce;
                var window = new Queue<Task<PublishResult>>();
                for (var n = 0; n < perPublisher; n++)
                {
                    window.Enqueue(connection.PublishAsync(Numbered(n, qos, p)).AsTask());
                    if (window.Count == 64)
                    {
                        Assert.True((await window.Dequeue()).IsSuccess);
                    }
                }
                foreach (var task in window)
                {
                    Assert.True((await task).IsSuccess);
                }
            })).ToList();

            var next = new int[publishers];
            for (var received = 0; received < publishers * perPublisher; received++)
            {
                var publish = Assert.IsType<PublishPacket>(await broker.ReadPacketAsync(version));
                var (p, n) = Read(publish);
                Assert.Equal(next[p]++, n);
                Assert.Equal(p % 2 == 1 ? MqttQualityOfService.AtLeastOnce : MqttQualityOfService.AtMostOnce, publish.Message.QualityOfService);
                if (publish.PacketId != 0)
                {
                    await broker.SendAsync(new PublishAckPacket(MqttPacketType.PubAck, publish.PacketId, PublishReasonCode.Success), version);
                }
            }
            await Task.WhenAll(running).WaitAsync(Timeout);
            Assert.All(next, count => Assert.Equal(perPublisher, count));
            await PingRoundTripAsync(broker, connection, version);
        }
    }
}
