using System.Collections.Concurrent;
using Schlage2Mqtt.TestSupport;

namespace Schlage2Mqtt.Mqtt.Tests.Integration;

/// <summary>
/// Sessions against a real mosquitto: an unacknowledged delivery comes back after a dropped connection (the
/// handler returning is the acknowledgement), and the reconnecting client reports Session Present truthfully and
/// subscribes again when the broker lost the session.
/// </summary>
public sealed class SessionTests
{
    private static readonly MqttReconnectOptions s_fastRetry = new()
    {
        InitialDelay = TimeSpan.FromMilliseconds(50),
        MaxDelay = TimeSpan.FromMilliseconds(200),
        Jitter = 0,
    };

    private static MqttClientOptions Persistent(string server, MqttProtocolVersion version, string clientId) =>
        TestClients.Options(server, version, clientId) with { CleanStart = false, SessionExpiryInterval = TimeSpan.FromHours(1) };

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task A_message_whose_handler_did_not_finish_before_the_connection_dropped_is_delivered_again(MqttProtocolVersion version)
    {
        await using var broker = await MosquittoBroker.StartAsync();
        var topic = $"durable/{Guid.NewGuid():N}";
        var options = Persistent(broker.TcpUrl, version, "durable-" + Guid.NewGuid().ToString("N")[..8]);

        var first = new MqttConnection(options);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        first.MessageReceived = async (_, _) =>
        {
            entered.TrySetResult();
            await release.Task;
        };
        Assert.True((await first.ConnectAsync().WaitAsync(TestClients.Timeout)).IsSuccess);
        await first.SubscribeAsync([new MqttSubscription(topic, MqttQualityOfService.AtLeastOnce)]).WaitAsync(TestClients.Timeout);

        var (publisher, _) = await TestClients.ConnectAsync(TestClients.Options(broker.TcpUrl, version));
        await using (publisher)
        {
            await publisher.PublishAsync(new MqttMessage(topic, "code 1234"u8.ToArray(), MqttQualityOfService.AtLeastOnce)).AsTask().WaitAsync(TestClients.Timeout);
        }

        // The connection dies while the handler is still storing the message; then the handler finishes.
        await entered.Task.WaitAsync(TestClients.Timeout);
        first.AbortTransportForTests();
        await first.Completion.WaitAsync(TestClients.Timeout);
        release.SetResult();
        await first.DisposeAsync();

        var (second, inbox) = await ConnectResumedAsync(options);
        await using (second)
        {
            var again = await inbox.NextAsync();
            Assert.Equal("code 1234", again.PayloadAsString());
            Assert.Equal(topic, again.Topic);
        }
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Session_present_is_reported_truthfully_and_a_lost_session_is_subscribed_again(MqttProtocolVersion version)
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { Persistence = false });
        var topic = $"session/{Guid.NewGuid():N}";
        var connected = new BlockingCollection<ConnectResult>();
        var received = new BlockingCollection<string>();
        await using var client = new ReconnectingMqttClient(Persistent(broker.TcpUrl, version, "sess-" + Guid.NewGuid().ToString("N")[..8]), s_fastRetry);
        client.StateChanged += (_, e) =>
        {
            if (e.State == MqttConnectionState.Connected)
            {
                connected.Add(e.ConnectResult!);
            }
        };
        client.MessageReceived = (m, _) =>
        {
            received.Add(m.PayloadAsString(), CancellationToken.None);
            return ValueTask.CompletedTask;
        };
        await client.StartAsync();
        Assert.False((await TakeAsync(connected)).SessionPresent);
        Assert.True((await client.SubscribeAsync([new MqttSubscription(topic, MqttQualityOfService.AtLeastOnce)]).WaitAsync(TestClients.Timeout)).IsSuccess);
        await PublishAsync(broker, version, topic, "one");
        Assert.Equal("one", await TakeAsync(received));

        // Only the socket dies: the broker kept the session.
        client.AbortTransportForTests();
        Assert.True((await TakeAsync(connected)).SessionPresent);
        await PublishAsync(broker, version, topic, "two");
        await ExpectAsync(received, "two", "one");

        // kill -9 without persistence: the session is gone, the client must subscribe again by itself.
        await broker.RestartAsync();
        Assert.False((await TakeAsync(connected)).SessionPresent);
        await PublishAsync(broker, version, topic, "three");
        await ExpectAsync(received, "three", "one", "two");
    }

    private static async Task PublishAsync(MosquittoBroker broker, MqttProtocolVersion version, string topic, string payload)
    {
        var (publisher, _) = await TestClients.ConnectAsync(TestClients.Options(broker.TcpUrl, version));
        await using (publisher)
        {
            await publisher.PublishAsync(new MqttMessage(topic, System.Text.Encoding.UTF8.GetBytes(payload), MqttQualityOfService.AtLeastOnce)).AsTask().WaitAsync(TestClients.Timeout);
        }
    }

    /// <summary>
    /// Waits for <paramref name="expected"/>, allowing redeliveries of <paramref name="earlier"/>: the test drops the
    /// socket right after the handler saw a message, possibly before its PUBACK left, so the broker may send it again.
    /// </summary>
    private static async Task ExpectAsync(BlockingCollection<string> received, string expected, params string[] earlier)
    {
        string next;
        while ((next = await TakeAsync(received)) != expected)
        {
            Assert.Contains(next, earlier);
        }
    }

    private static Task<T> TakeAsync<T>(BlockingCollection<T> items) => Task.Run(() =>
        items.TryTake(out var item, TestClients.Timeout) ? item : throw new TimeoutException($"Nothing within {TestClients.Timeout}."));

    private static async Task<(MqttConnection, Inbox)> ConnectResumedAsync(MqttClientOptions options)
    {
        var connection = new MqttConnection(options);
        var inbox = new Inbox();
        connection.MessageReceived = inbox.HandleAsync;
        var result = await connection.ConnectAsync().WaitAsync(TestClients.Timeout);
        Assert.True(result.IsSuccess);
        Assert.True(result.SessionPresent);
        return (connection, inbox);
    }
}
