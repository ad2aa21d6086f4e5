using Schlage2Mqtt.Mqtt.Protocol;
using Schlage2Mqtt.TestSupport;

namespace Schlage2Mqtt.Mqtt.Tests.Client;

/// <summary>Connection behaviour driven by a scripted broker: bad bytes, keepalive, flow control, AUTH, aliases.</summary>
public sealed class ConnectionBehaviourTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private static async Task<(ScriptedBroker Broker, MqttConnection Connection, Task<ConnectResult> Connect)> StartAsync(
        MqttProtocolVersion version, TimeProvider? time = null, MqttProperties? connAckProperties = null, TimeSpan? keepAlive = null)
    {
        var broker = new ScriptedBroker();
        var connection = new MqttConnection(new MqttClientOptions { Server = broker.Url, ProtocolVersion = version, ClientId = "c", KeepAlive = keepAlive ?? TimeSpan.FromSeconds(60) }, timeProvider: time);
        var connect = connection.ConnectAsync();
        await broker.AcceptAsync();
        var packet = await broker.ReadPacketAsync(version);
        Assert.IsType<ConnectPacket>(packet);
        await broker.SendAsync(new ConnAckPacket(false, ConnectReasonCode.Success, connAckProperties), version);
        Assert.True((await connect.WaitAsync(Timeout)).IsSuccess);
        return (broker, connection, connect);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311, "36 03 00 01 74", DisconnectReasonCode.MalformedPacket)]
    [InlineData(MqttProtocolVersion.V500, "36 03 00 01 74", DisconnectReasonCode.MalformedPacket)]
    [InlineData(MqttProtocolVersion.V500, "30 FF FF FF FF 7F", DisconnectReasonCode.MalformedPacket)]
    [InlineData(MqttProtocolVersion.V500, "C0 00", DisconnectReasonCode.ProtocolError)]
    [InlineData(MqttProtocolVersion.V500, "90 03 00 07 00", DisconnectReasonCode.ProtocolError)]
    public async Task Bad_bytes_from_the_broker_close_the_connection_with_the_reason(MqttProtocolVersion version, string hex, DisconnectReasonCode expected)
    {
        var (broker, connection, _) = await StartAsync(version);
        await using (broker)
        await using (connection)
        {
            await broker.SendAsync(Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal)));
            var info = await connection.Completion.WaitAsync(Timeout);
            Assert.Equal(MqttDisconnectSource.ProtocolError, info.Source);
            Assert.Equal(expected, info.ReasonCode);
            if (version == MqttProtocolVersion.V500)
            {
                // MQTT 5: the client tells the broker why before closing.
                var disconnect = Assert.IsType<DisconnectPacket>(await broker.ReadPacketAsync(version));
                Assert.Equal(expected, disconnect.ReasonCode);
            }
            await Assert.ThrowsAsync<MqttNotConnectedException>(() => connection.PublishAsync(new MqttMessage("t", new byte[1])).AsTask());
        }
    }

    [Fact]
    public async Task Auth_from_the_broker_is_rejected_cleanly()
    {
        var (broker, connection, _) = await StartAsync(MqttProtocolVersion.V500);
        await using (broker)
        await using (connection)
        {
            await broker.SendAsync(new AuthPacket(0x18, new MqttProperties { AuthenticationMethod = "SCRAM" }), MqttProtocolVersion.V500);
            var info = await connection.Completion.WaitAsync(Timeout);
            Assert.Equal(DisconnectReasonCode.ProtocolError, info.ReasonCode);
        }
    }

    [Fact]
    public async Task Missing_pingresp_is_detected_by_the_keepalive_timer()
    {
        var time = new ManualTimeProvider();
        var (broker, connection, _) = await StartAsync(MqttProtocolVersion.V311, time, keepAlive: TimeSpan.FromSeconds(30));
        await using (broker)
        await using (connection)
        {
            time.Advance(TimeSpan.FromSeconds(30));
            Assert.IsType<PingReqPacket>(await broker.ReadPacketAsync(MqttProtocolVersion.V311));
            // An explicit ping waits for the next PINGRESP; queued before the broker answers, so awaiting it proves the
            // client processed the answer (which also settles the keepalive PINGREQ) before the clock moves on.
            var answered = connection.PingAsync();
            Assert.IsType<PingReqPacket>(await broker.ReadPacketAsync(MqttProtocolVersion.V311));
            await broker.SendAsync(0xD0, 0x00);
            await answered.WaitAsync(Timeout);
            time.Advance(TimeSpan.FromSeconds(30));
            Assert.IsType<PingReqPacket>(await broker.ReadPacketAsync(MqttProtocolVersion.V311));
            Assert.False(connection.Completion.IsCompleted);
            // This one is never answered.
            time.Advance(TimeSpan.FromSeconds(30));
            var info = await connection.Completion.WaitAsync(Timeout);
            Assert.Equal(MqttDisconnectSource.KeepAliveTimeout, info.Source);
            Assert.Equal(DisconnectReasonCode.KeepAliveTimeout, info.ReasonCode);
        }
    }

    [Fact]
    public async Task Receive_maximum_of_the_broker_limits_publishes_in_flight()
    {
        var (broker, connection, _) = await StartAsync(MqttProtocolVersion.V500, connAckProperties: new MqttProperties { ReceiveMaximum = 2 });
        await using (broker)
        await using (connection)
        {
            var publishes = Enumerable.Range(0, 3).Select(i => connection.PublishAsync(new MqttMessage("t", new[] { (byte)i }, MqttQualityOfService.AtLeastOnce)).AsTask()).ToList();
            var first = Assert.IsType<PublishPacket>(await broker.ReadPacketAsync(MqttProtocolVersion.V500));
            var second = Assert.IsType<PublishPacket>(await broker.ReadPacketAsync(MqttProtocolVersion.V500));
            // The third waits for quota: only after one PUBACK does it go out.
            Assert.False(publishes[2].IsCompleted);
            await broker.SendAsync(new PublishAckPacket(MqttPacketType.PubAck, first.PacketId, PublishReasonCode.NoMatchingSubscribers), MqttProtocolVersion.V500);
            var third = Assert.IsType<PublishPacket>(await broker.ReadPacketAsync(MqttProtocolVersion.V500));
            Assert.Equal(new byte[] { 2 }, third.Message.Payload.ToArray());
            var result = await publishes[0].WaitAsync(Timeout);
            Assert.Equal(PublishReasonCode.NoMatchingSubscribers, result.ReasonCode);
            Assert.True(result.IsSuccess);
            await broker.SendAsync(new PublishAckPacket(MqttPacketType.PubAck, second.PacketId, PublishReasonCode.NotAuthorized, new MqttProperties { ReasonString = "no" }), MqttProtocolVersion.V500);
            var refused = await publishes[1].WaitAsync(Timeout);
            Assert.False(refused.IsSuccess);
            Assert.Equal("no", refused.ReasonString);
        }
    }

    [Fact]
    public async Task Inbound_topic_alias_is_resolved_and_qos2_duplicates_are_delivered_once()
    {
        var (broker, connection, _) = await StartAsync(MqttProtocolVersion.V500);
        var received = new List<MqttMessage>();
        connection.MessageReceived = (m, _) => { lock (received) { received.Add(m); } return ValueTask.CompletedTask; };
        await using (broker)
        await using (connection)
        {
            await broker.SendAsync(new PublishPacket(new MqttMessage("long/topic/name", "1"u8.ToArray()), TopicAlias: 3), MqttProtocolVersion.V500);
            await broker.SendAsync(new PublishPacket(new MqttMessage("", "2"u8.ToArray()), TopicAlias: 3), MqttProtocolVersion.V500);
            var qos2 = new PublishPacket(new MqttMessage("q", "3"u8.ToArray(), MqttQualityOfService.ExactlyOnce), 9);
            await broker.SendAsync(qos2, MqttProtocolVersion.V500);
            Assert.Equal(MqttPacketType.PubRec, (await broker.ReadPacketAsync(MqttProtocolVersion.V500))!.Type);
            await broker.SendAsync(qos2 with { Dup = true }, MqttProtocolVersion.V500);
            Assert.Equal(MqttPacketType.PubRec, (await broker.ReadPacketAsync(MqttProtocolVersion.V500))!.Type);
            await broker.SendAsync(new PublishAckPacket(MqttPacketType.PubRel, 9), MqttProtocolVersion.V500);
            var pubComp = Assert.IsType<PublishAckPacket>(await broker.ReadPacketAsync(MqttProtocolVersion.V500));
            Assert.Equal(MqttPacketType.PubComp, pubComp.Type);
            Assert.Equal(PublishReasonCode.Success, pubComp.ReasonCode);
            var ping = connection.PingAsync();
            Assert.IsType<PingReqPacket>(await broker.ReadPacketAsync(MqttProtocolVersion.V500));
            await broker.SendAsync(0xD0, 0x00);
            await ping.WaitAsync(Timeout);
            // Disposing drains the dispatch loop, so every delivery has reached the handler.
            await connection.DisposeAsync();
            Assert.Equal(["long/topic/name", "long/topic/name", "q"], received.Select(m => m.Topic));
        }
    }
}
