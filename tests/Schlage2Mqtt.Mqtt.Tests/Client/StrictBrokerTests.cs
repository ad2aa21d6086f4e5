using Schlage2Mqtt.Mqtt.Protocol;

namespace Schlage2Mqtt.Mqtt.Tests.Client;

/// <summary>
/// The client against <see cref="StrictBroker"/>: every limit the broker announces is held, and whatever the client
/// cannot send fails loud (a typed exception, a count), never silently and never in a retry loop.
/// </summary>
public sealed class StrictBrokerTests
{
    private static readonly TimeSpan Timeout = StrictBroker.Timeout;

    private static MqttMessage Message(string topic, int size = 1, MqttQualityOfService qos = MqttQualityOfService.AtLeastOnce, bool retain = false) =>
        new(topic, new byte[size], qos, retain);

    private static async Task<MqttConnection> ConnectAsync(StrictBroker broker, StrictLimits limits, MqttClientOptions? options = null, TimeProvider? time = null)
    {
        var connection = new MqttConnection(options ?? new MqttClientOptions { Server = broker.Url, ProtocolVersion = broker.Version, ClientId = "strict" }, timeProvider: time);
        var connect = connection.ConnectAsync();
        await broker.AcceptAndConnAckAsync(limits);
        Assert.True((await connect.WaitAsync(Timeout)).IsSuccess);
        return connection;
    }

    private static MqttClientOptions ResumableOptions(StrictBroker broker) => new()
    {
        Server = broker.Url,
        ProtocolVersion = broker.Version,
        ClientId = "strict",
        CleanStart = false,
        SessionExpiryInterval = TimeSpan.FromHours(1),
    };

    private static readonly MqttReconnectOptions s_immediate = new() { DelayOverride = _ => TimeSpan.Zero };

    // Item 1
    [Fact]
    public async Task Refused_publishes_give_back_their_in_flight_slots()
    {
        await using var broker = new StrictBroker();
        await using var connection = await ConnectAsync(broker, StrictLimits.Tight);

        var retained = await Assert.ThrowsAsync<MqttPublishRefusedException>(() => connection.PublishAsync(Message("s/retained", retain: true)).AsTask());
        Assert.Equal("s/retained", retained.Topic);
        var qos2 = await Assert.ThrowsAsync<MqttPublishRefusedException>(() => connection.PublishAsync(Message("s/qos2", qos: MqttQualityOfService.ExactlyOnce)).AsTask());
        Assert.Contains("QoS", qos2.Message, StringComparison.Ordinal);

        // Both slots of Receive Maximum 2 are still free.
        var first = connection.PublishAsync(Message("s/a")).AsTask();
        var second = connection.PublishAsync(Message("s/b")).AsTask();
        var a = await broker.ExpectAsync<PublishPacket>();
        var b = await broker.ExpectAsync<PublishPacket>();
        await broker.PubAckAsync(a.PacketId);
        await broker.PubAckAsync(b.PacketId);
        Assert.True((await first.WaitAsync(Timeout)).IsSuccess);
        Assert.True((await second.WaitAsync(Timeout)).IsSuccess);
        Assert.Equal(2, connection.MessagesRefused);
    }

    // Item 3
    [Fact]
    public async Task Resends_after_a_resumed_session_hold_the_new_connections_limits()
    {
        await using var broker = new StrictBroker();
        await using var client = new ReconnectingMqttClient(ResumableOptions(broker), s_immediate);
        await client.StartAsync();
        await broker.AcceptAndConnAckAsync(StrictLimits.None);

        var tasks = new[]
        {
            client.PublishAsync(Message("s/0")).AsTask(),
            client.PublishAsync(Message("s/1")).AsTask(),
            client.PublishAsync(Message("s/big", size: 300)).AsTask(),
            client.PublishAsync(Message("s/retained", retain: true)).AsTask(),
            client.PublishAsync(Message("s/qos2", qos: MqttQualityOfService.ExactlyOnce)).AsTask(),
            client.PublishAsync(Message("s/5")).AsTask(),
        };
        // The first broker has no limits and acknowledges nothing: six in flight when it goes away.
        for (var i = 0; i < tasks.Length; i++)
        {
            await broker.ExpectAsync<PublishPacket>();
        }
        broker.Drop();

        Assert.False((await broker.AcceptAsync()).CleanStart);
        await broker.ConnAckAsync(StrictLimits.Tight, sessionPresent: true);
        var r0 = await broker.ExpectAsync<PublishPacket>();
        var r1 = await broker.ExpectAsync<PublishPacket>();
        Assert.Equal(["s/0", "s/1"], new[] { r0.Message.Topic, r1.Message.Topic });
        Assert.True(r0.Dup && r1.Dup);
        // Receive Maximum 2: nothing else goes out until a slot frees (the barrier would see it).
        Assert.Empty(await broker.BarrierAsync());

        Assert.Equal("s/retained", (await Assert.ThrowsAsync<MqttPublishRefusedException>(() => tasks[3].WaitAsync(Timeout))).Topic);
        Assert.Equal("s/qos2", (await Assert.ThrowsAsync<MqttPublishRefusedException>(() => tasks[4].WaitAsync(Timeout))).Topic);

        // The freed slot goes to the next resend in order: the oversize one is refused, the one after it sent.
        await broker.PubAckAsync(r0.PacketId);
        var r5 = await broker.ExpectAsync<PublishPacket>();
        Assert.Equal("s/5", r5.Message.Topic);
        var big = await Assert.ThrowsAsync<MqttPacketTooLargeException>(() => tasks[2].WaitAsync(Timeout));
        Assert.Equal("s/big", big.Topic);
        Assert.Equal(256u, big.Limit);
        Assert.Equal(313, big.Size);
        await broker.PubAckAsync(r1.PacketId);
        await broker.PubAckAsync(r5.PacketId);
        await Task.WhenAll(tasks[0], tasks[1], tasks[5]).WaitAsync(Timeout);
        Assert.Equal(3, client.Counters.Refused);
    }

    // Item 5
    [Theory]
    [InlineData(MqttQualityOfService.AtMostOnce)]
    [InlineData(MqttQualityOfService.AtLeastOnce)]
    public async Task An_oversize_publish_fails_with_topic_size_and_limit_and_is_counted(MqttQualityOfService qos)
    {
        await using var broker = new StrictBroker();
        await using var client = new ReconnectingMqttClient(new MqttClientOptions { Server = broker.Url, ClientId = "strict" }, s_immediate);
        var connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.StateChanged += (_, e) => { if (e.State == MqttConnectionState.Connected) { connected.TrySetResult(); } };
        await client.StartAsync();
        await broker.AcceptAndConnAckAsync(StrictLimits.Tight);
        await connected.Task.WaitAsync(Timeout);

        var error = await Assert.ThrowsAsync<MqttPacketTooLargeException>(() => client.PublishAsync(Message("s/too/big", size: 300, qos: qos)).AsTask().WaitAsync(Timeout));
        Assert.Equal("s/too/big", error.Topic);
        Assert.Equal(256u, error.Limit);
        // Fixed header 3, topic 2 + 9, packet id 2 (QoS 1), properties 1, payload 300.
        Assert.Equal(3 + 11 + (qos == MqttQualityOfService.AtMostOnce ? 0 : 2) + 1 + 300, error.Size);
        Assert.Contains("s/too/big", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, client.Counters.Refused);
        // Not sent, not retried; the connection is fine.
        Assert.Empty(await broker.BarrierAsync());
        var ok = client.PublishAsync(Message("s/small", qos: qos)).AsTask();
        var sent = await broker.ExpectAsync<PublishPacket>();
        if (qos != MqttQualityOfService.AtMostOnce)
        {
            await broker.PubAckAsync(sent.PacketId);
        }
        Assert.True((await ok.WaitAsync(Timeout)).IsSuccess);
    }

    // Item 2
    [Theory]
    [InlineData(20u)]
    [InlineData(9u)]
    public async Task A_disconnect_reason_string_is_cut_to_the_brokers_maximum_packet_size_and_closing_completes(uint limit)
    {
        await using var broker = new StrictBroker();
        await using var connection = await ConnectAsync(broker, StrictLimits.Tight with { MaximumPacketSize = limit });
        // A PINGREQ from the broker is a protocol error; its description is longer than the broker accepts.
        await broker.SendAsync(0xC0, 0x00);
        var info = await connection.Completion.WaitAsync(Timeout);
        Assert.Equal(DisconnectReasonCode.ProtocolError, info.ReasonCode);
        // Read (and size-checked) by the strict broker.
        var disconnect = await broker.ExpectAsync<DisconnectPacket>();
        Assert.Equal(DisconnectReasonCode.ProtocolError, disconnect.ReasonCode);
        if (disconnect.Properties?.ReasonString is { } reason)
        {
            Assert.StartsWith(reason, info.ReasonString, StringComparison.Ordinal);
        }
        await connection.DisposeAsync().AsTask().WaitAsync(Timeout);
    }
}
