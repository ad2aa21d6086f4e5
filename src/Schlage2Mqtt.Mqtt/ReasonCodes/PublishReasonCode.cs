namespace Schlage2Mqtt.Mqtt;

/// <summary>Reason code of PUBACK, PUBREC, PUBREL and PUBCOMP (MQTT 5; always <see cref="Success"/> under 3.1.1).</summary>
public enum PublishReasonCode : byte
{
    /// <summary>The message is accepted (PUBACK/PUBREC) or the packet identifier released (PUBREL/PUBCOMP).</summary>
    Success = 0x00,
    /// <summary>The message is accepted but there are no subscribers.</summary>
    NoMatchingSubscribers = 0x10,
    /// <summary>The receiver does not accept the publish but does not wish to reveal the reason.</summary>
    UnspecifiedError = 0x80,
    /// <summary>The PUBLISH is valid but the receiver is not willing to accept it.</summary>
    ImplementationSpecificError = 0x83,
    /// <summary>The PUBLISH is not authorized.</summary>
    NotAuthorized = 0x87,
    /// <summary>The topic name is not malformed, but is not accepted.</summary>
    TopicNameInvalid = 0x90,
    /// <summary>The packet identifier is already in use.</summary>
    PacketIdentifierInUse = 0x91,
    /// <summary>The packet identifier is not known (PUBREL/PUBCOMP).</summary>
    PacketIdentifierNotFound = 0x92,
    /// <summary>An implementation or administrative imposed limit has been exceeded.</summary>
    QuotaExceeded = 0x97,
    /// <summary>The payload format does not match the payload format indicator.</summary>
    PayloadFormatInvalid = 0x99,
}
