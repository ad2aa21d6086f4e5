using System.Collections.Concurrent;
using System.Text;
using Schlage2Mqtt.Mqtt;

namespace Schlage2Mqtt.Bridge.Tests.Fakes;

/// <summary>An in-memory <see cref="IMqttClient"/>: records what the bridge publishes and lets a test deliver messages.</summary>
internal sealed class FakeMqttClient : IMqttClient
{
    private readonly ConcurrentQueue<MqttMessage> _published = new();
    private readonly ConcurrentQueue<MqttSubscription> _subscriptions = new();
    private TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public MqttConnectionState State { get; private set; } = MqttConnectionState.Disconnected;

    public event EventHandler<MqttConnectionStateChangedEventArgs>? StateChanged;

    public Func<MqttMessage, CancellationToken, ValueTask>? MessageReceived { get; set; }

    public MqttClientCounters Counters => new(0, _published.Count, 0, 0, 0) { Refused = _refused };

    private long _refused;

    /// <summary>When set, publishes with a larger payload are refused as the client does for the broker's Maximum Packet Size.</summary>
    public int? MaxPayload { get; set; }

    /// <summary>
    /// When set, QoS 1/2 publishes are taken but never acknowledged, and the caller's token is ignored as the real
    /// client does once a message is queued or sent: a broker that died after the client handed it the message.
    /// </summary>
    public bool WithholdAcknowledgements { get; set; }

    public IReadOnlyList<MqttMessage> Published => [.. _published];

    public IReadOnlyList<MqttSubscription> Subscriptions => [.. _subscriptions];

    public bool Stopped { get; private set; }

    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        Connect();
        return Task.CompletedTask;
    }

    public void Connect()
    {
        State = MqttConnectionState.Connected;
        _connected.TrySetResult();
        StateChanged?.Invoke(this, new MqttConnectionStateChangedEventArgs(MqttConnectionState.Connected, new ConnectResult(ConnectReasonCode.Success, false)));
    }

    public void Disconnect()
    {
        State = MqttConnectionState.Disconnected;
        _connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        StateChanged?.Invoke(this, new MqttConnectionStateChangedEventArgs(MqttConnectionState.Disconnected,
            disconnect: new MqttDisconnectInfo(MqttDisconnectSource.Transport, DisconnectReasonCode.UnspecifiedError, TimeSpan.FromSeconds(1))));
    }

    public Task StopAsync(CancellationToken cancellationToken = default)
    {
        Stopped = true;
        State = MqttConnectionState.Stopped;
        return Task.CompletedTask;
    }

    public ValueTask<PublishResult> PublishAsync(MqttMessage message, CancellationToken cancellationToken = default)
    {
        if (MaxPayload is { } max && message.Payload.Length > max)
        {
            Interlocked.Increment(ref _refused);
            return ValueTask.FromException<PublishResult>(new MqttPacketTooLargeException(message.Topic, message.Payload.Length + message.Topic.Length + 10, (uint)max));
        }
        _published.Enqueue(message);
        if (WithholdAcknowledgements && message.QualityOfService != MqttQualityOfService.AtMostOnce)
        {
            return new ValueTask<PublishResult>(new TaskCompletionSource<PublishResult>().Task);
        }
        return ValueTask.FromResult(PublishResult.Success);
    }

    public async Task<SubscribeResult> SubscribeAsync(IReadOnlyList<MqttSubscription> subscriptions, CancellationToken cancellationToken = default)
    {
        foreach (var s in subscriptions)
        {
            _subscriptions.Enqueue(s);
        }
        await _connected.Task.WaitAsync(cancellationToken);
        return new SubscribeResult(subscriptions.Select(s => (SubscribeReasonCode)(byte)s.QualityOfService).ToList());
    }

    public Task<UnsubscribeResult> UnsubscribeAsync(IReadOnlyList<string> topicFilters, CancellationToken cancellationToken = default) =>
        Task.FromResult(new UnsubscribeResult(topicFilters.Select(_ => UnsubscribeReasonCode.Success).ToList()));

    /// <summary>Delivers a message as the broker would.</summary>
    public ValueTask DeliverAsync(string topic, string payload, bool retain = false, string? responseTopic = null, byte[]? correlation = null) =>
        MessageReceived!(new MqttMessage(topic, Encoding.UTF8.GetBytes(payload), MqttQualityOfService.AtLeastOnce, retain)
        {
            ResponseTopic = responseTopic,
            CorrelationData = correlation ?? ReadOnlyMemory<byte>.Empty,
        }, CancellationToken.None);

    /// <summary>Payloads published on <paramref name="topic"/>, in order.</summary>
    public IReadOnlyList<string> On(string topic) => Published.Where(m => m.Topic == topic).Select(m => m.PayloadAsString()).ToList();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
