namespace Schlage2Mqtt.Mqtt;

/// <summary>
/// The narrow MQTT client the rest of schlage2mqtt depends on: a long-lived, self-healing connection. Another
/// MQTT library can stand behind it. <see cref="ReconnectingMqttClient"/> is this library's implementation.
/// </summary>
public interface IMqttClient : IAsyncDisposable
{
    /// <summary>Current connection state.</summary>
    MqttConnectionState State { get; }

    /// <summary>Raised on every state change: Connected (with the CONNACK, session-present flag included) and Disconnected (with the reason and duration).</summary>
    event EventHandler<MqttConnectionStateChangedEventArgs>? StateChanged;

    /// <summary>
    /// Handler for incoming messages; called one at a time, in order, off the receive loop. The handler returning is
    /// the acknowledgement: await whatever must be durable before returning. The PUBACK (QoS 1) or PUBREC (QoS 2) is
    /// sent only once the handler has completed (successfully or not), in arrival order; a message whose handler had
    /// not completed when the connection dropped is not acknowledged, so the broker delivers it again (DUP) on a
    /// resumed session (a duplicate for QoS 1). While the handler is busy, reading stops once the incoming queue is
    /// full (back-pressure); the token is cancelled when the connection ends.
    /// </summary>
    Func<MqttMessage, CancellationToken, ValueTask>? MessageReceived { get; set; }

    /// <summary>Running totals for health reporting; <see cref="MqttClientCounters.Refused"/> counts publishes refused for the broker's limits (report it, e.g. as <c>mqtt.refused</c>).</summary>
    MqttClientCounters Counters { get; }

    /// <summary>
    /// How the will had to be lowered for this broker: a broker that refuses CONNECT with 0x9A (retain not supported)
    /// or 0x9B (the will's QoS not supported) is connected to again at once with the will not retained, or at QoS 0,
    /// for the rest of the client's life (logged once as a warning). None when the will is sent as configured.
    /// </summary>
    MqttWillAdjustments WillAdjustments => MqttWillAdjustments.None;

    /// <summary>Starts connecting in the background; returns at once. Connection progress is reported by <see cref="StateChanged"/>.</summary>
    Task StartAsync(CancellationToken cancellationToken = default);

    /// <summary>Disconnects cleanly (DISCONNECT, so no will) and stops reconnecting. Queued messages are dropped with <see cref="MqttPublishDroppedException"/>.</summary>
    Task StopAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Publishes. QoS 1/2: completes when the broker acknowledged, surviving reconnects (queued while disconnected,
    /// bounded). QoS 0: completes when written; fails with <see cref="MqttNotConnectedException"/> while disconnected.
    /// Invalid input (topic, a UTF-8 string property, a Response Topic with wildcards) throws <see cref="System.ArgumentException"/>
    /// at once. A publish the broker's announced limits rule out fails with <see cref="MqttPacketTooLargeException"/>
    /// (over its Maximum Packet Size; carries topic, size and limit) or <see cref="MqttPublishRefusedException"/> (QoS or
    /// retain not available), is counted in <see cref="MqttClientCounters.Refused"/> and is never retried.
    /// The token cancels only the hand-over to the connection: a QoS 1/2 message once queued or sent stays with the
    /// client until acknowledged or <see cref="StopAsync"/>, so a caller that must not wait longer bounds the wait
    /// (<c>WaitAsync</c>) itself.
    /// </summary>
    ValueTask<PublishResult> PublishAsync(MqttMessage message, CancellationToken cancellationToken = default);

    /// <summary>
    /// Subscribes and remembers the subscription, restoring it after every reconnect unless the broker kept the session
    /// (Connected's <see cref="ConnectResult.SessionPresent"/> false: subscribed again before queued messages are sent).
    /// Invalid input (filter, QoS, <c>$share</c> with NoLocal) throws <see cref="System.ArgumentException"/> at once and is
    /// not remembered; a subscription the broker refuses for good (invalid filter; shared, wildcard or identifier
    /// subscriptions unsupported) or that exceeds its Maximum Packet Size is forgotten, not retried on every reconnect.
    /// </summary>
    Task<SubscribeResult> SubscribeAsync(IReadOnlyList<MqttSubscription> subscriptions, CancellationToken cancellationToken = default);

    /// <summary>Unsubscribes and forgets the subscriptions.</summary>
    Task<UnsubscribeResult> UnsubscribeAsync(IReadOnlyList<string> topicFilters, CancellationToken cancellationToken = default);
}

/// <summary>How the client lowered its will to what the broker accepts (see <see cref="IMqttClient.WillAdjustments"/>).</summary>
[Flags]
public enum MqttWillAdjustments
{
    /// <summary>The will is sent as configured.</summary>
    None = 0,

    /// <summary>The broker refused a retained will (0x9A): it is sent without retain.</summary>
    RetainDropped = 1,

    /// <summary>The broker refused the will's QoS (0x9B): it is sent at QoS 0.</summary>
    QosLowered = 2,
}

/// <summary>State of a reconnecting client.</summary>
public enum MqttConnectionState
{
    /// <summary>Not started, or between connection attempts.</summary>
    Disconnected,

    /// <summary>A connection attempt is under way.</summary>
    Connecting,

    /// <summary>Connected (CONNACK success).</summary>
    Connected,

    /// <summary>Stopped for good.</summary>
    Stopped,
}

/// <summary>A state change of an <see cref="IMqttClient"/>.</summary>
public sealed class MqttConnectionStateChangedEventArgs : EventArgs
{
    /// <summary>Creates the event data.</summary>
    public MqttConnectionStateChangedEventArgs(MqttConnectionState state, ConnectResult? connectResult = null, MqttDisconnectInfo? disconnect = null, Exception? error = null)
    {
        State = state;
        ConnectResult = connectResult;
        Disconnect = disconnect;
        Error = error;
    }

    /// <summary>The new state.</summary>
    public MqttConnectionState State { get; }

    /// <summary>The CONNACK when <see cref="State"/> is Connected (see <see cref="ConnectResult.SessionPresent"/>).</summary>
    public ConnectResult? ConnectResult { get; }

    /// <summary>Why the last connection ended, when <see cref="State"/> is Disconnected after a connection.</summary>
    public MqttDisconnectInfo? Disconnect { get; }

    /// <summary>Why a connection attempt failed, when <see cref="State"/> is Disconnected after a failed attempt.</summary>
    public Exception? Error { get; }
}

/// <summary>Client totals since it was created.</summary>
/// <param name="MessagesReceived">Messages handed to the message handler.</param>
/// <param name="MessagesPublished">Publishes handed to a connection (QoS 1/2 retransmissions excluded).</param>
/// <param name="Reconnects">Successful connections after the first.</param>
/// <param name="DroppedMessages">Publishes dropped: queue overflow, QoS 0 while disconnected, or stop.</param>
/// <param name="QueuedMessages">QoS 1/2 publishes waiting for a connection right now.</param>
public readonly record struct MqttClientCounters(long MessagesReceived, long MessagesPublished, long Reconnects, long DroppedMessages, int QueuedMessages)
{
    /// <summary>
    /// Publishes the client refused to send because the broker's announced limits rule them out (over its Maximum
    /// Packet Size, above its Maximum QoS, retained while Retain Available is 0) or because they cannot be encoded.
    /// Each one's publish failed with <see cref="MqttPacketTooLargeException"/> or <see cref="MqttPublishRefusedException"/>
    /// (both carry the topic) and is not retried. Not part of the positional constructor, so existing callers are unaffected.
    /// </summary>
    public long Refused { get; init; }
}
