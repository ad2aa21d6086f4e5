using Schlage2Mqtt.Mqtt.Protocol;
using Schlage2Mqtt.TestSupport;

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
    [InlineData(14u)]
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

    // Item 4
    [Fact]
    public async Task A_shared_subscription_with_no_local_is_rejected_when_given_and_never_sent()
    {
        await using var broker = new StrictBroker();
        await using var client = new ReconnectingMqttClient(new MqttClientOptions { Server = broker.Url, ClientId = "strict" }, s_immediate);
        var invalid = new MqttSubscription("$share/group/t", MqttQualityOfService.AtLeastOnce) { NoLocal = true };
        await Assert.ThrowsAsync<ArgumentException>(() => client.SubscribeAsync([invalid]).WaitAsync(Timeout));
        await client.StartAsync();
        await broker.AcceptAndConnAckAsync(StrictLimits.Tight);
        // Connected: the refused subscription was never remembered, so nothing is (re)subscribed.
        Assert.Empty(await broker.BarrierAsync());
    }

    // Item 4
    [Theory]
    [InlineData("content type")]
    [InlineData("user property")]
    [InlineData("response topic")]
    public async Task A_publish_that_cannot_be_encoded_is_rejected_when_given_not_queued(string what)
    {
        await using var client = new ReconnectingMqttClient(new MqttClientOptions { Server = "mqtt://127.0.0.1:1", ClientId = "strict" });
        var message = what switch
        {
            "content type" => Message("s/t") with { ContentType = "text/\uD800plain" },
            "user property" => Message("s/t") with { UserProperties = [new MqttUserProperty("k", "a\0b")] },
            _ => Message("s/t") with { ResponseTopic = "s/reply/#" },
        };
        var error = await Assert.ThrowsAsync<ArgumentException>(() => client.PublishAsync(message).AsTask());
        Assert.Contains("s/t", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, client.Counters.QueuedMessages);
    }

    // Item 4
    [Fact]
    public async Task A_restored_subscription_the_broker_cannot_take_is_dropped_once_not_retried_forever()
    {
        await using var broker = new StrictBroker();
        await using var client = new ReconnectingMqttClient(new MqttClientOptions { Server = broker.Url, ClientId = "strict" }, s_immediate);
        await client.StartAsync();
        await broker.AcceptAndConnAckAsync(StrictLimits.None);
        var longFilter = "s/" + new string('x', 300);
        var subscribing = client.SubscribeAsync([new MqttSubscription("s/short"), new MqttSubscription(longFilter)]);
        var first = await broker.ExpectAsync<SubscribePacket>();
        await broker.SendAsync(new SubAckPacket(first.PacketId, [SubscribeReasonCode.GrantedQoS0, SubscribeReasonCode.GrantedQoS0]));
        Assert.True((await subscribing.WaitAsync(Timeout)).IsSuccess);
        broker.Drop();

        // A new session under a 256-byte limit: the long filter cannot be sent; the short one is restored alone.
        await broker.AcceptAndConnAckAsync(StrictLimits.Tight);
        var restored = await broker.ExpectAsync<SubscribePacket>();
        Assert.Equal("s/short", Assert.Single(restored.Subscriptions).TopicFilter);
        await broker.SendAsync(new SubAckPacket(restored.PacketId, [SubscribeReasonCode.GrantedQoS0]));
        Assert.Empty(await broker.BarrierAsync());
        broker.Drop();

        // The next connection does not try the long filter again.
        await broker.AcceptAndConnAckAsync(StrictLimits.Tight);
        var again = await broker.ExpectAsync<SubscribePacket>();
        Assert.Equal("s/short", Assert.Single(again.Subscriptions).TopicFilter);
        await broker.SendAsync(new SubAckPacket(again.PacketId, [SubscribeReasonCode.GrantedQoS0]));
        Assert.Empty(await broker.BarrierAsync());
        Assert.Equal(MqttConnectionState.Connected, client.State);
    }

    // Item 7: re-publishing a delivery
    [Fact]
    public async Task Republishing_a_received_message_does_not_copy_its_subscription_identifier()
    {
        await using var broker = new StrictBroker();
        await using var connection = await ConnectAsync(broker, StrictLimits.Tight);
        var republished = new TaskCompletionSource<Task<PublishResult>>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.MessageReceived = (m, _) =>
        {
            republished.TrySetResult(connection.PublishAsync(m with { Topic = "s/out" }, CancellationToken.None).AsTask());
            return ValueTask.CompletedTask;
        };
        var delivery = new MqttMessage("s/in", "x"u8.ToArray()) { SubscriptionIdentifiers = [7] };
        await broker.SendAsync(new PublishPacket(delivery));
        // Checked by the strict broker: a client PUBLISH with a Subscription Identifier fails the test here.
        var sent = await broker.ExpectAsync<PublishPacket>();
        Assert.Equal("s/out", sent.Message.Topic);
        Assert.Empty(sent.Message.SubscriptionIdentifiers);
        Assert.True((await (await republished.Task.WaitAsync(Timeout)).WaitAsync(Timeout)).IsSuccess);
    }

    // Item 7: UTF-8 string properties and the Response Topic on the way out
    [Theory]
    [InlineData("content type")]
    [InlineData("user property name")]
    [InlineData("response topic wildcard")]
    [InlineData("response topic nul")]
    public async Task String_properties_are_validated_on_the_way_out(string what)
    {
        await using var broker = new StrictBroker();
        await using var connection = await ConnectAsync(broker, StrictLimits.Tight);
        var message = what switch
        {
            "content type" => Message("s/t") with { ContentType = "text\0plain" },
            "user property name" => Message("s/t") with { UserProperties = [new MqttUserProperty("k\0", "v")] },
            "response topic wildcard" => Message("s/t") with { ResponseTopic = "s/+/reply" },
            _ => Message("s/t") with { ResponseTopic = "s/\0" },
        };
        await Assert.ThrowsAsync<ArgumentException>(() => connection.PublishAsync(message).AsTask());
        Assert.Empty(await broker.BarrierAsync());
    }

    // Item 7: keepalive
    [Fact]
    public async Task Pingreq_goes_out_before_the_keepalive_deadline()
    {
        var time = new ManualTimeProvider();
        await using var broker = new StrictBroker();
        var options = new MqttClientOptions { Server = broker.Url, ClientId = "strict", KeepAlive = TimeSpan.FromSeconds(20) };
        await using var connection = await ConnectAsync(broker, StrictLimits.Tight, options, time);
        time.Advance(TimeSpan.FromSeconds(16));
        await broker.ExpectAsync<PingReqPacket>();
        Assert.Equal(TimeSpan.FromSeconds(55), MqttConnection.PingInterval(TimeSpan.FromSeconds(60)));
    }

    // Item 7: topic alias 0
    [Fact]
    public async Task Topic_alias_0_is_answered_with_topic_alias_invalid()
    {
        await using var broker = new StrictBroker();
        await using var connection = await ConnectAsync(broker, StrictLimits.Tight);
        // PUBLISH QoS 0 to "t" with the property Topic Alias = 0.
        await broker.SendAsync(Convert.FromHexString("300700017403230000"));
        var info = await connection.Completion.WaitAsync(Timeout);
        Assert.Equal(DisconnectReasonCode.TopicAliasInvalid, info.ReasonCode);
        Assert.Equal(DisconnectReasonCode.TopicAliasInvalid, (await broker.ExpectAsync<DisconnectPacket>()).ReasonCode);
    }

    // Item 7: session present on a clean start
    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Session_present_after_a_clean_start_is_a_protocol_error(MqttProtocolVersion version)
    {
        await using var broker = new StrictBroker(version);
        await using var connection = new MqttConnection(new MqttClientOptions { Server = broker.Url, ProtocolVersion = version, ClientId = "strict", CleanStart = true });
        var connect = connection.ConnectAsync();
        Assert.True((await broker.AcceptAsync()).CleanStart);
        await broker.ConnAckAsync(StrictLimits.Tight, sessionPresent: true);
        var error = await Assert.ThrowsAsync<MqttConnectException>(() => connect.WaitAsync(Timeout));
        Assert.Contains("Session Present", error.Message, StringComparison.Ordinal);
        Assert.False(connection.IsConnected);
    }

    // Item 6
    [Fact]
    public async Task A_will_the_broker_refuses_is_lowered_once_and_the_client_connects()
    {
        await using var broker = new StrictBroker();
        var options = new MqttClientOptions
        {
            Server = broker.Url,
            ClientId = "strict",
            Will = new MqttMessage("s/state", "offline"u8.ToArray(), MqttQualityOfService.AtLeastOnce, Retain: true),
        };
        await using var client = new ReconnectingMqttClient(options, s_immediate);
        var connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.StateChanged += (_, e) => { if (e.State == MqttConnectionState.Connected) { connected.TrySetResult(); } };
        await client.StartAsync();

        var first = (await broker.AcceptAsync()).Will!;
        Assert.True(first.Retain);
        await broker.RefuseAsync(ConnectReasonCode.RetainNotSupported);
        var second = (await broker.AcceptAsync()).Will!;
        Assert.False(second.Retain);
        Assert.Equal(MqttQualityOfService.AtLeastOnce, second.QualityOfService);
        await broker.RefuseAsync(ConnectReasonCode.QoSNotSupported);
        var third = (await broker.AcceptAsync()).Will!;
        Assert.False(third.Retain);
        Assert.Equal(MqttQualityOfService.AtMostOnce, third.QualityOfService);
        Assert.Equal("offline", third.PayloadAsString());
        await broker.ConnAckAsync(StrictLimits.Tight);
        await connected.Task.WaitAsync(Timeout);
        Assert.Equal(MqttWillAdjustments.RetainDropped | MqttWillAdjustments.QosLowered, client.WillAdjustments);
        Assert.Equal(MqttWillAdjustments.RetainDropped | MqttWillAdjustments.QosLowered, ((IMqttClient)client).WillAdjustments);
    }
}
