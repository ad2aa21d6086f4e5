using System.Collections.Concurrent;
using System.Text;
using Schlage2Mqtt.TestSupport;

namespace Schlage2Mqtt.Mqtt.Tests.Integration;

/// <summary>The reconnecting client against a mosquitto that is killed and restarted on the same port.</summary>
public sealed class ReconnectTests
{
    private static readonly MqttReconnectOptions s_fastRetry = new()
    {
        InitialDelay = TimeSpan.FromMilliseconds(50),
        MaxDelay = TimeSpan.FromMilliseconds(200),
        Jitter = 0,
    };

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Broker_restart_reconnects_resubscribes_and_delivers_every_queued_message(MqttProtocolVersion version)
    {
        await using var broker = await MosquittoBroker.StartAsync();
        var topic = $"rc/{Guid.NewGuid():N}";
        var states = new BlockingCollection<MqttConnectionStateChangedEventArgs>();
        var received = new ConcurrentDictionary<string, int>();
        var gotAll = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        const int count = 200;

        await using var client = new ReconnectingMqttClient(TestClients.Options(broker.TcpUrl, version), s_fastRetry);
        client.StateChanged += (_, e) => states.Add(e);
        client.MessageReceived = (message, _) =>
        {
            received.AddOrUpdate(message.PayloadAsString(), 1, (_, n) => n + 1);
            if (received.Count == count + 1)
            {
                gotAll.TrySetResult();
            }
            return ValueTask.CompletedTask;
        };
        await client.StartAsync();
        var first = await NextConnectedAsync(states);
        Assert.False(first.ConnectResult!.SessionPresent);
        var subscribed = await client.SubscribeAsync([new MqttSubscription(topic + "/#", MqttQualityOfService.AtLeastOnce)]).WaitAsync(TestClients.Timeout);
        Assert.True(subscribed.IsSuccess);
        Assert.True((await client.PublishAsync(new MqttMessage(topic + "/before", "before"u8.ToArray(), MqttQualityOfService.AtLeastOnce)).AsTask().WaitAsync(TestClients.Timeout)).IsSuccess);

        await broker.KillAsync();
        var down = await NextStateAsync(states, MqttConnectionState.Disconnected);
        Assert.Equal(MqttDisconnectSource.Transport, down.Disconnect!.Source);

        // Published while the broker is down: queued, acknowledged after the restart.
        var pending = Enumerable.Range(0, count)
            .Select(i => client.PublishAsync(new MqttMessage($"{topic}/q", Encoding.UTF8.GetBytes($"queued {i}"), MqttQualityOfService.AtLeastOnce)).AsTask())
            .ToList();
        Assert.Equal(count, client.Counters.QueuedMessages);

        await broker.RestartAsync();
        var again = await NextConnectedAsync(states);
        Assert.False(again.ConnectResult!.SessionPresent);
        var results = await Task.WhenAll(pending).WaitAsync(TestClients.Timeout);
        Assert.All(results, r => Assert.True(r.IsSuccess));
        await gotAll.Task.WaitAsync(TestClients.Timeout);

        // Every queued message arrived exactly once (resubscription happened before the queue drained).
        Assert.All(Enumerable.Range(0, count), i => Assert.Equal(1, received[$"queued {i}"]));
        var counters = client.Counters;
        Assert.Equal(1, counters.Reconnects);
        Assert.Equal(0, counters.DroppedMessages);
        Assert.Equal(0, counters.QueuedMessages);
        Assert.Equal(count + 1, counters.MessagesReceived);
    }

    [Fact]
    public async Task Queue_overflow_drops_the_oldest_and_counts_it()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        var states = new BlockingCollection<MqttConnectionStateChangedEventArgs>();
        await using var client = new ReconnectingMqttClient(TestClients.Options(broker.TcpUrl, MqttProtocolVersion.V500), s_fastRetry with { QueueCapacity = 3 });
        client.StateChanged += (_, e) => states.Add(e);
        await client.StartAsync();
        await NextConnectedAsync(states);
        await broker.KillAsync();
        await NextStateAsync(states, MqttConnectionState.Disconnected);

        var tasks = Enumerable.Range(0, 5).Select(i => client.PublishAsync(new MqttMessage("q/over", new byte[] { (byte)i }, MqttQualityOfService.AtLeastOnce)).AsTask()).ToList();
        await Assert.ThrowsAsync<MqttPublishDroppedException>(() => tasks[0]);
        await Assert.ThrowsAsync<MqttPublishDroppedException>(() => tasks[1]);
        Assert.Equal(2, client.Counters.DroppedMessages);
        Assert.Equal(3, client.Counters.QueuedMessages);
        await Assert.ThrowsAsync<MqttNotConnectedException>(() => client.PublishAsync(new MqttMessage("q/zero", new byte[] { 1 })).AsTask());

        await broker.RestartAsync();
        await NextConnectedAsync(states);
        await Task.WhenAll(tasks.Skip(2)).WaitAsync(TestClients.Timeout);
    }

    [Fact]
    public async Task Options_factory_is_called_before_every_attempt_and_stop_is_prompt()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        var calls = 0;
        var states = new BlockingCollection<MqttConnectionStateChangedEventArgs>();
        var durations = new ConcurrentQueue<MqttReconnectAttempt>();
        var client = new ReconnectingMqttClient(
            _ =>
            {
                var n = Interlocked.Increment(ref calls);
                return ValueTask.FromResult(TestClients.Options(broker.TcpUrl, MqttProtocolVersion.V311, clientId: $"fresh-{n}"));
            },
            s_fastRetry with { DelayOverride = attempt => { durations.Enqueue(attempt); return TimeSpan.FromMilliseconds(10); } });
        client.StateChanged += (_, e) => states.Add(e);
        await client.StartAsync();
        await NextConnectedAsync(states);
        await broker.RestartAsync();
        var down = await NextStateAsync(states, MqttConnectionState.Disconnected);
        Assert.True(down.Disconnect!.ConnectedFor > TimeSpan.Zero);
        await NextConnectedAsync(states);
        Assert.True(calls >= 2);
        Assert.Contains(durations, a => a.LastDisconnect is not null);

        await client.StopAsync().WaitAsync(TestClients.Timeout);
        Assert.Equal(MqttConnectionState.Stopped, client.State);
        await client.DisposeAsync();
    }

    private static async Task<MqttConnectionStateChangedEventArgs> NextConnectedAsync(BlockingCollection<MqttConnectionStateChangedEventArgs> states) =>
        await NextStateAsync(states, MqttConnectionState.Connected);

    private static Task<MqttConnectionStateChangedEventArgs> NextStateAsync(BlockingCollection<MqttConnectionStateChangedEventArgs> states, MqttConnectionState wanted) =>
        Task.Run(() =>
        {
            while (states.TryTake(out var change, TestClients.Timeout))
            {
                if (change.State == wanted)
                {
                    return change;
                }
            }
            throw new TimeoutException($"No {wanted} state change within {TestClients.Timeout}.");
        });
}
