namespace Schlage2Mqtt.Mqtt;

/// <summary>Base type of the errors this library raises.</summary>
public class MqttException : Exception
{
    /// <summary>Creates an exception with no message.</summary>
    public MqttException() { }

    /// <summary>Creates an exception with a message.</summary>
    public MqttException(string message) : base(message) { }

    /// <summary>Creates an exception with a message and a cause.</summary>
    public MqttException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>
/// The peer sent bytes that violate the MQTT specification (malformed or out-of-order packet). The connection is
/// closed with <see cref="ReasonCode"/>; this is the only exception the decoder raises.
/// </summary>
public sealed class MqttProtocolException : MqttException
{
    /// <summary>Creates a protocol error.</summary>
    public MqttProtocolException(DisconnectReasonCode reasonCode, string message) : base(message)
    {
        ReasonCode = reasonCode;
    }

    /// <summary>Creates a malformed-packet error.</summary>
    public MqttProtocolException() : this(DisconnectReasonCode.MalformedPacket, "Malformed packet.") { }

    /// <summary>Creates a malformed-packet error with a message.</summary>
    public MqttProtocolException(string message) : this(DisconnectReasonCode.MalformedPacket, message) { }

    /// <summary>Creates a malformed-packet error with a message and a cause.</summary>
    public MqttProtocolException(string message, Exception innerException) : base(message, innerException)
    {
        ReasonCode = DisconnectReasonCode.MalformedPacket;
    }

    /// <summary>The reason code the connection is closed with.</summary>
    public DisconnectReasonCode ReasonCode { get; }
}

/// <summary>The operation could not complete because the connection is not (or no longer) open.</summary>
public sealed class MqttNotConnectedException : MqttException
{
    /// <summary>Creates the exception with a default message.</summary>
    public MqttNotConnectedException() : base("The MQTT connection is not open.") { }

    /// <summary>Creates the exception with a message.</summary>
    public MqttNotConnectedException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public MqttNotConnectedException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>A publish was dropped by the client (outgoing queue overflow, QoS 0 while disconnected, or shutdown).</summary>
public sealed class MqttPublishDroppedException : MqttException
{
    /// <summary>Creates the exception with a default message.</summary>
    public MqttPublishDroppedException() : base("The message was dropped before it reached the broker.") { }

    /// <summary>Creates the exception with a message.</summary>
    public MqttPublishDroppedException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public MqttPublishDroppedException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>
/// A packet would exceed the Maximum Packet Size the peer accepts, so it is not sent. A publish refused this way
/// carries its <see cref="Topic"/>; it is counted in <see cref="MqttClientCounters.Refused"/> and never retried.
/// </summary>
public sealed class MqttPacketTooLargeException : MqttException
{
    /// <summary>Creates the exception for a publish to <paramref name="topic"/> of <paramref name="size"/> bytes over a limit of <paramref name="limit"/>.</summary>
    public MqttPacketTooLargeException(string? topic, int size, uint limit)
        : base(topic is null
            ? $"The packet is {size} bytes; the broker accepts at most {limit} (its Maximum Packet Size)."
            : $"The publish to '{topic}' is {size} bytes; the broker accepts at most {limit} (its Maximum Packet Size).")
    {
        Topic = topic;
        Size = size;
        Limit = limit;
    }

    /// <summary>Creates the exception for a packet of <paramref name="size"/> bytes over a limit of <paramref name="limit"/>.</summary>
    public MqttPacketTooLargeException(int size, uint limit)
        : base($"The packet is {size} bytes; the broker accepts at most {limit} (its Maximum Packet Size).")
    {
        Size = size;
        Limit = limit;
    }

    /// <summary>Creates the exception with a default message.</summary>
    public MqttPacketTooLargeException() : base("The packet exceeds the broker's Maximum Packet Size.") { }

    /// <summary>Creates the exception with a message.</summary>
    public MqttPacketTooLargeException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public MqttPacketTooLargeException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Topic of the refused publish; <see langword="null"/> for other packets.</summary>
    public string? Topic { get; }

    /// <summary>Encoded size of the refused packet.</summary>
    public int Size { get; }

    /// <summary>The peer's Maximum Packet Size.</summary>
    public uint Limit { get; }
}

/// <summary>
/// A publish the client refused to send because the broker's announced limits rule it out (QoS above its Maximum
/// QoS, retain while Retain Available is 0) or because it cannot be encoded. Counted in
/// <see cref="MqttClientCounters.Refused"/>; never retried. Oversize publishes fail with <see cref="MqttPacketTooLargeException"/>.
/// </summary>
public sealed class MqttPublishRefusedException : MqttException
{
    /// <summary>Creates the exception for a publish to <paramref name="topic"/>; <paramref name="reason"/> completes "refused: ...".</summary>
    public MqttPublishRefusedException(string topic, string reason)
        : base($"MQTT publish refused: {reason}.")
    {
        Topic = topic;
    }

    /// <summary>Creates the exception for a publish to <paramref name="topic"/> with the cause.</summary>
    public MqttPublishRefusedException(string topic, string reason, Exception innerException)
        : base($"MQTT publish refused: {reason}.", innerException)
    {
        Topic = topic;
    }

    /// <summary>Creates the exception with a default message.</summary>
    public MqttPublishRefusedException() : base("MQTT publish refused.") { }

    /// <summary>Creates the exception with a message.</summary>
    public MqttPublishRefusedException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public MqttPublishRefusedException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Topic of the refused publish.</summary>
    public string? Topic { get; }
}

/// <summary>Opening a connection failed: the transport could not be opened, TLS failed, or no CONNACK arrived in time.</summary>
public sealed class MqttConnectException : MqttException
{
    /// <summary>Creates the exception with a default message.</summary>
    public MqttConnectException() : base("Could not connect to the MQTT broker.") { }

    /// <summary>Creates the exception with a message.</summary>
    public MqttConnectException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public MqttConnectException(string message, Exception innerException) : base(message, innerException) { }
}
