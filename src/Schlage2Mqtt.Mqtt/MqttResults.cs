namespace Schlage2Mqtt.Mqtt;

/// <summary>The broker's answer to CONNECT. Broker limits are reported with their MQTT defaults when not sent.</summary>
/// <param name="ReasonCode">CONNACK reason (3.1.1 return codes mapped, see <see cref="ConnectReasonCode"/>).</param>
/// <param name="SessionPresent">The broker resumed a stored session: subscriptions and in-flight messages still exist.</param>
public sealed record ConnectResult(ConnectReasonCode ReasonCode, bool SessionPresent)
{
    /// <summary>True when the connection is accepted.</summary>
    public bool IsSuccess => ReasonCode == ConnectReasonCode.Success;

    /// <summary>Protocol version in use.</summary>
    public MqttProtocolVersion ProtocolVersion { get; init; }

    /// <summary>Client identifier the broker assigned (MQTT 5, when the client sent an empty one).</summary>
    public string? AssignedClientId { get; init; }

    /// <summary>MQTT 5 reason string (diagnostic text from the broker).</summary>
    public string? ReasonString { get; init; }

    /// <summary>Keepalive the broker imposes (MQTT 5 Server Keep Alive), if it sent one.</summary>
    public TimeSpan? ServerKeepAlive { get; init; }

    /// <summary>Session expiry the broker imposes, if it sent one.</summary>
    public TimeSpan? SessionExpiryInterval { get; init; }

    /// <summary>How many QoS 1/2 publishes the broker accepts in flight from this client (default 65535).</summary>
    public ushort ReceiveMaximum { get; init; } = ushort.MaxValue;

    /// <summary>Highest QoS the broker accepts from this client (default 2).</summary>
    public MqttQualityOfService MaximumQoS { get; init; } = MqttQualityOfService.ExactlyOnce;

    /// <summary>Whether the broker supports retained messages (default true).</summary>
    public bool RetainAvailable { get; init; } = true;

    /// <summary>Largest packet the broker accepts; <see langword="null"/> when unlimited.</summary>
    public uint? MaximumPacketSize { get; init; }

    /// <summary>Highest topic alias the broker accepts from this client (0: none).</summary>
    public ushort TopicAliasMaximum { get; init; }

    /// <summary>Whether wildcard subscriptions are available (default true).</summary>
    public bool WildcardSubscriptionAvailable { get; init; } = true;

    /// <summary>Whether subscription identifiers are available (default true).</summary>
    public bool SubscriptionIdentifiersAvailable { get; init; } = true;

    /// <summary>Whether shared subscriptions are available (default true).</summary>
    public bool SharedSubscriptionAvailable { get; init; } = true;

    /// <summary>MQTT 5 Response Information.</summary>
    public string? ResponseInformation { get; init; }

    /// <summary>MQTT 5 Server Reference (another server to use).</summary>
    public string? ServerReference { get; init; }

    /// <summary>MQTT 5 User Properties of the CONNACK.</summary>
    public IReadOnlyList<MqttUserProperty> UserProperties { get; init; } = [];
}

/// <summary>The outcome of a publish: the PUBACK (QoS 1) or PUBREC/PUBCOMP (QoS 2) reason, or Success once a QoS 0 message is handed to the transport.</summary>
/// <param name="ReasonCode">Broker's reason code; always <see cref="PublishReasonCode.Success"/> for QoS 0 and under 3.1.1.</param>
/// <param name="ReasonString">MQTT 5 reason string, if the broker sent one.</param>
public readonly record struct PublishResult(PublishReasonCode ReasonCode, string? ReasonString = null)
{
    /// <summary>True when the broker accepted the message (reason below 0x80).</summary>
    public bool IsSuccess => (byte)ReasonCode < 0x80;

    /// <summary>A successful result without details.</summary>
    public static PublishResult Success => default;
}

/// <summary>The broker's SUBACK: one reason code per requested filter, in order.</summary>
/// <param name="ReasonCodes">Granted QoS or failure per filter.</param>
public sealed record SubscribeResult(IReadOnlyList<SubscribeReasonCode> ReasonCodes)
{
    /// <summary>True when every filter was granted.</summary>
    public bool IsSuccess => ReasonCodes.All(c => (byte)c < 0x80);

    /// <summary>MQTT 5 reason string.</summary>
    public string? ReasonString { get; init; }

    /// <summary>MQTT 5 User Properties of the SUBACK.</summary>
    public IReadOnlyList<MqttUserProperty> UserProperties { get; init; } = [];
}

/// <summary>The broker's UNSUBACK: one reason code per filter (all <see cref="UnsubscribeReasonCode.Success"/> under 3.1.1).</summary>
/// <param name="ReasonCodes">Result per filter, in order.</param>
public sealed record UnsubscribeResult(IReadOnlyList<UnsubscribeReasonCode> ReasonCodes)
{
    /// <summary>True when no filter failed.</summary>
    public bool IsSuccess => ReasonCodes.All(c => (byte)c < 0x80);

    /// <summary>MQTT 5 reason string.</summary>
    public string? ReasonString { get; init; }

    /// <summary>MQTT 5 User Properties of the UNSUBACK.</summary>
    public IReadOnlyList<MqttUserProperty> UserProperties { get; init; } = [];
}

/// <summary>Who or what ended a connection.</summary>
public enum MqttDisconnectSource
{
    /// <summary>This client closed it (DisconnectAsync, dispose or stop).</summary>
    Client,

    /// <summary>The broker sent DISCONNECT (MQTT 5) with a reason code.</summary>
    Server,

    /// <summary>The transport closed or failed without a DISCONNECT (broker restart, network drop, eviction under 3.1.1).</summary>
    Transport,

    /// <summary>No PINGRESP arrived within the keepalive interval.</summary>
    KeepAliveTimeout,

    /// <summary>The broker violated the protocol (malformed or unexpected packet); the client closed with <see cref="MqttDisconnectInfo.ReasonCode"/>.</summary>
    ProtocolError,
}

/// <summary>Why a connection ended and how long it had been up.</summary>
/// <param name="Source">Who or what ended it.</param>
/// <param name="ReasonCode">The DISCONNECT reason received or sent (or the closest code for a transport failure).</param>
/// <param name="ConnectedFor">Time from CONNACK to the end (zero if it never got one).</param>
public sealed record MqttDisconnectInfo(MqttDisconnectSource Source, DisconnectReasonCode ReasonCode, TimeSpan ConnectedFor)
{
    /// <summary>MQTT 5 reason string from the broker's DISCONNECT, or a description of the local cause.</summary>
    public string? ReasonString { get; init; }

    /// <summary>MQTT 5 Server Reference from the broker's DISCONNECT.</summary>
    public string? ServerReference { get; init; }

    /// <summary>The failure behind a transport or protocol disconnect, if any.</summary>
    public Exception? Exception { get; init; }
}

/// <summary>Raised when a connection ends.</summary>
public sealed class MqttDisconnectedEventArgs(MqttDisconnectInfo info) : EventArgs
{
    /// <summary>Why and when it ended.</summary>
    public MqttDisconnectInfo Info { get; } = info;
}
