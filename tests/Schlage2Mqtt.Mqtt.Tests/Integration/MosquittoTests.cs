using System.Text;

namespace Schlage2Mqtt.Mqtt.Tests.Integration;

public sealed class MosquittoTests(MosquittoFixture fixture) : IClassFixture<MosquittoFixture>
{
    private string Tcp => fixture.Broker.TcpUrl;

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

    [Fact]
    public async Task Retain_handling_2_does_not_deliver_the_retained_message_on_subscribe()
    {
        var topic = $"rh/{Guid.NewGuid():N}/set";
        var (client, inbox) = await TestClients.ConnectAsync(TestClients.Options(Tcp, MqttProtocolVersion.V500));
        await using (client)
        {
            await client.PublishAsync(new MqttMessage(topic, "UNLOCK"u8.ToArray(), MqttQualityOfService.AtLeastOnce, Retain: true));
            await client.SubscribeAsync([new MqttSubscription(topic, MqttQualityOfService.AtLeastOnce) { RetainHandling = MqttRetainHandling.DoNotSend }]);
            await client.PublishAsync(new MqttMessage(topic, "LOCK"u8.ToArray(), MqttQualityOfService.AtLeastOnce));
            // The first delivery is the live LOCK: the retained UNLOCK was not replayed.
            var first = await inbox.NextAsync();
            Assert.Equal("LOCK", first.PayloadAsString());
            Assert.False(first.Retain);
            await client.PublishAsync(new MqttMessage(topic, ReadOnlyMemory<byte>.Empty, MqttQualityOfService.AtLeastOnce, Retain: true));
        }
    }

    [Fact]
    public async Task Request_and_response_carry_response_topic_correlation_data_and_user_properties()
    {
        var baseTopic = $"rr/{Guid.NewGuid():N}";
        var (responder, requests) = await TestClients.ConnectAsync(TestClients.Options(Tcp, MqttProtocolVersion.V500));
        var (requester, responses) = await TestClients.ConnectAsync(TestClients.Options(Tcp, MqttProtocolVersion.V500));
        await using (responder)
        await using (requester)
        {
            await responder.SubscribeAsync([new MqttSubscription(baseTopic + "/request/+", MqttQualityOfService.AtLeastOnce)]);
            await requester.SubscribeAsync([new MqttSubscription(baseTopic + "/reply/me", MqttQualityOfService.AtLeastOnce)]);
            await requester.PublishAsync(new MqttMessage(baseTopic + "/request/lock", "{\"lock\":\"front\"}"u8.ToArray(), MqttQualityOfService.AtLeastOnce)
            {
                ResponseTopic = baseTopic + "/reply/me",
                CorrelationData = new byte[] { 1, 2, 3, 250 },
                ContentType = "application/json",
                PayloadFormat = MqttPayloadFormat.Utf8,
                UserProperties = [new MqttUserProperty("trace", "abc"), new MqttUserProperty("trace", "def")],
            });
            var request = await requests.NextAsync();
            Assert.Equal(baseTopic + "/reply/me", request.ResponseTopic);
            Assert.Equal(new byte[] { 1, 2, 3, 250 }, request.CorrelationData.ToArray());
            Assert.Equal("application/json", request.ContentType);
            Assert.Equal(MqttPayloadFormat.Utf8, request.PayloadFormat);
            Assert.Equal([new MqttUserProperty("trace", "abc"), new MqttUserProperty("trace", "def")], request.UserProperties);

            await responder.PublishAsync(new MqttMessage(request.ResponseTopic!, "{\"status\":\"ok\"}"u8.ToArray(), MqttQualityOfService.AtLeastOnce)
            {
                CorrelationData = request.CorrelationData,
                UserProperties = request.UserProperties,
            });
            var response = await responses.NextAsync();
            Assert.Equal("{\"status\":\"ok\"}", response.PayloadAsString());
            Assert.Equal(new byte[] { 1, 2, 3, 250 }, response.CorrelationData.ToArray());
            Assert.Equal(2, response.UserProperties.Count);
        }
    }

    [Fact]
    public async Task No_local_suppresses_own_messages_and_message_expiry_is_carried()
    {
        var topic = $"nl/{Guid.NewGuid():N}";
        var (client, inbox) = await TestClients.ConnectAsync(TestClients.Options(Tcp, MqttProtocolVersion.V500));
        var (other, _) = await TestClients.ConnectAsync(TestClients.Options(Tcp, MqttProtocolVersion.V500));
        await using (client)
        await using (other)
        {
            await client.SubscribeAsync([new MqttSubscription(topic, MqttQualityOfService.AtLeastOnce) { NoLocal = true }]);
            await client.PublishAsync(new MqttMessage(topic, "mine"u8.ToArray(), MqttQualityOfService.AtLeastOnce));
            await other.PublishAsync(new MqttMessage(topic, "theirs"u8.ToArray(), MqttQualityOfService.AtLeastOnce) { MessageExpiryInterval = TimeSpan.FromSeconds(300) });
            var message = await inbox.NextAsync();
            Assert.Equal("theirs", message.PayloadAsString());
            Assert.NotNull(message.MessageExpiryInterval);
            Assert.InRange(message.MessageExpiryInterval!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(300));
        }
    }

    [Fact]
    public async Task Connack_reports_broker_limits_and_an_assigned_client_id()
    {
        var connection = new MqttConnection(TestClients.Options(Tcp, MqttProtocolVersion.V500, clientId: ""));
        await using (connection)
        {
            var result = await connection.ConnectAsync().WaitAsync(TestClients.Timeout);
            Assert.True(result.IsSuccess);
            Assert.False(string.IsNullOrEmpty(result.AssignedClientId));
            Assert.False(result.SessionPresent);
        }
    }

    [Fact]
    public async Task Session_is_resumed_with_clean_start_off_and_session_expiry()
    {
        var clientId = "resume-" + Guid.NewGuid().ToString("N")[..8];
        var topic = $"resume/{Guid.NewGuid():N}";
        var options = TestClients.Options(Tcp, MqttProtocolVersion.V500, clientId) with { CleanStart = false, SessionExpiryInterval = TimeSpan.FromMinutes(5) };
        var (first, _) = await TestClients.ConnectAsync(options);
        await first.SubscribeAsync([new MqttSubscription(topic, MqttQualityOfService.AtLeastOnce)]);
        await first.DisposeAsync();

        var (publisher, _) = await TestClients.ConnectAsync(TestClients.Options(Tcp, MqttProtocolVersion.V500));
        await using (publisher)
        {
            // Sent while the subscriber is away: the broker queues it in the stored session.
            await publisher.PublishAsync(new MqttMessage(topic, "while away"u8.ToArray(), MqttQualityOfService.AtLeastOnce));
        }
        var second = new MqttConnection(options);
        var inbox = new Inbox();
        second.MessageReceived = inbox.HandleAsync;
        await using (second)
        {
            var result = await second.ConnectAsync().WaitAsync(TestClients.Timeout);
            Assert.True(result.SessionPresent);
            Assert.Equal("while away", (await inbox.NextAsync()).PayloadAsString());
        }
    }

    [Fact]
    public async Task Wrong_credentials_type_is_a_typed_refusal()
    {
        // 3.1.1 with a password but no user name is rejected by validation, naming the field.
        var options = TestClients.Options(Tcp, MqttProtocolVersion.V311) with { Password = "secret" };
        var ex = Assert.Throws<ArgumentException>(() => new MqttConnection(options));
        Assert.Equal("Password", ex.ParamName);
        Assert.DoesNotContain("secret", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public Task WebSocket_listener_carries_the_same_traffic(MqttProtocolVersion version) =>
        BrokerSuite.QosRoundTripsBothDirections(fixture.Broker.WebSocketUrl, version, MqttQualityOfService.AtLeastOnce);

    [Fact]
    public async Task WebSocket_url_query_and_custom_headers_are_accepted()
    {
        var options = TestClients.Options($"ws://127.0.0.1:{fixture.Broker.WebSocketPort}/mqtt?X-Amz-Signature=abc&token=1", MqttProtocolVersion.V311) with
        {
            WebSocketHeaders = new Dictionary<string, string> { ["X-Custom"] = "yes" },
        };
        var (client, inbox) = await TestClients.ConnectAsync(options);
        await using (client)
        {
            var topic = $"wsq/{Guid.NewGuid():N}";
            await client.SubscribeAsync([new MqttSubscription(topic)]);
            await client.PublishAsync(new MqttMessage(topic, "ok"u8.ToArray()));
            Assert.Equal("ok", (await inbox.NextAsync()).PayloadAsString());
        }
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Tls_listener_with_the_test_ca(MqttProtocolVersion version)
    {
        var options = TestClients.Options(fixture.Broker.TlsUrl, version) with { Tls = new MqttTlsOptions { CaFile = fixture.Certificates.CaCertFile } };
        var (client, inbox) = await TestClients.ConnectAsync(options);
        await using (client)
        {
            var topic = $"tls/{Guid.NewGuid():N}";
            await client.SubscribeAsync([new MqttSubscription(topic, MqttQualityOfService.AtLeastOnce)]);
            await client.PublishAsync(new MqttMessage(topic, "secret"u8.ToArray(), MqttQualityOfService.AtLeastOnce));
            Assert.Equal("secret", (await inbox.NextAsync()).PayloadAsString());
        }
    }

    [Fact]
    public async Task Tls_with_the_wrong_ca_fails_to_connect()
    {
        var options = TestClients.Options(fixture.Broker.TlsUrl, MqttProtocolVersion.V500) with { Tls = new MqttTlsOptions { CaFile = fixture.Certificates.OtherCaCertFile } };
        await using var connection = new MqttConnection(options);
        var ex = await Assert.ThrowsAsync<MqttConnectException>(() => connection.ConnectAsync().WaitAsync(TestClients.Timeout));
        Assert.IsType<System.Security.Authentication.AuthenticationException>(ex.InnerException);
    }

    [Fact]
    public async Task Tls_with_a_wrong_server_name_fails_and_reject_unauthorized_false_connects()
    {
        var wrongName = TestClients.Options(fixture.Broker.TlsUrl, MqttProtocolVersion.V311) with
        {
            Tls = new MqttTlsOptions { CaFile = fixture.Certificates.CaCertFile, ServerName = "not-the-broker.example" },
        };
        await using (var connection = new MqttConnection(wrongName))
        {
            await Assert.ThrowsAsync<MqttConnectException>(() => connection.ConnectAsync().WaitAsync(TestClients.Timeout));
        }
        var insecure = TestClients.Options(fixture.Broker.TlsUrl, MqttProtocolVersion.V311) with { Tls = new MqttTlsOptions { RejectUnauthorized = false } };
        var (client, _) = await TestClients.ConnectAsync(insecure);
        await client.DisposeAsync();
    }

    [Fact]
    public async Task Secure_websocket_with_the_test_ca()
    {
        var options = TestClients.Options(fixture.Broker.SecureWebSocketUrl, MqttProtocolVersion.V311) with { Tls = new MqttTlsOptions { CaFile = fixture.Certificates.CaCertFile } };
        var (client, inbox) = await TestClients.ConnectAsync(options);
        await using (client)
        {
            var topic = $"wss/{Guid.NewGuid():N}";
            await client.SubscribeAsync([new MqttSubscription(topic)]);
            await client.PublishAsync(new MqttMessage(topic, Encoding.UTF8.GetBytes("over wss")));
            Assert.Equal("over wss", (await inbox.NextAsync()).PayloadAsString());
        }
    }
}
