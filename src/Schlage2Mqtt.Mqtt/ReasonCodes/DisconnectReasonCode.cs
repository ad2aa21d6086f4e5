namespace Schlage2Mqtt.Mqtt;

/// <summary>MQTT 5 DISCONNECT reason code; also used to say why this client closed a connection.</summary>
public enum DisconnectReasonCode : byte
{
    /// <summary>Close the connection normally; do not send the will message.</summary>
    NormalDisconnection = 0x00,
    /// <summary>The client wishes to disconnect but requires that the server also publishes its will message.</summary>
    DisconnectWithWillMessage = 0x04,
    /// <summary>The connection is closed but the sender either does not wish to reveal the reason, or none of the other codes apply.</summary>
    UnspecifiedError = 0x80,
    /// <summary>The received packet does not conform to this specification.</summary>
    MalformedPacket = 0x81,
    /// <summary>An unexpected or out of order packet was received.</summary>
    ProtocolError = 0x82,
    /// <summary>The packet received is valid but cannot be processed by this implementation.</summary>
    ImplementationSpecificError = 0x83,
    /// <summary>The request is not authorized.</summary>
    NotAuthorized = 0x87,
    /// <summary>The server is busy and cannot continue processing requests from this client.</summary>
    ServerBusy = 0x89,
    /// <summary>The server is shutting down.</summary>
    ServerShuttingDown = 0x8B,
    /// <summary>The connection is closed because no packet has been received for 1.5 times the keepalive time.</summary>
    KeepAliveTimeout = 0x8D,
    /// <summary>Another connection using the same client id has connected, causing this connection to be closed.</summary>
    SessionTakenOver = 0x8E,
    /// <summary>The topic filter is correctly formed, but is not accepted by this server.</summary>
    TopicFilterInvalid = 0x8F,
    /// <summary>The topic name is correctly formed, but is not accepted by this client or server.</summary>
    TopicNameInvalid = 0x90,
    /// <summary>More than Receive Maximum publications were received without sending PUBACK or PUBCOMP.</summary>
    ReceiveMaximumExceeded = 0x93,
    /// <summary>A topic alias greater than the maximum was received.</summary>
    TopicAliasInvalid = 0x94,
    /// <summary>The packet size is greater than the maximum packet size for this client or server.</summary>
    PacketTooLarge = 0x95,
    /// <summary>The received data rate is too high.</summary>
    MessageRateTooHigh = 0x96,
    /// <summary>An implementation or administrative imposed limit has been exceeded.</summary>
    QuotaExceeded = 0x97,
    /// <summary>The connection is closed due to an administrative action.</summary>
    AdministrativeAction = 0x98,
    /// <summary>The payload format does not match the one specified by the payload format indicator.</summary>
    PayloadFormatInvalid = 0x99,
    /// <summary>The server does not support retained messages.</summary>
    RetainNotSupported = 0x9A,
    /// <summary>The client specified a QoS greater than the maximum QoS in the CONNACK.</summary>
    QoSNotSupported = 0x9B,
    /// <summary>The client should temporarily change its server.</summary>
    UseAnotherServer = 0x9C,
    /// <summary>The server is moved and the client should permanently change its server location.</summary>
    ServerMoved = 0x9D,
    /// <summary>The server does not support shared subscriptions.</summary>
    SharedSubscriptionsNotSupported = 0x9E,
    /// <summary>This connection is closed because the connection rate is too high.</summary>
    ConnectionRateExceeded = 0x9F,
    /// <summary>The maximum connection time authorized for this connection has been exceeded.</summary>
    MaximumConnectTime = 0xA0,
    /// <summary>The server does not support subscription identifiers.</summary>
    SubscriptionIdentifiersNotSupported = 0xA1,
    /// <summary>The server does not support wildcard subscriptions.</summary>
    WildcardSubscriptionsNotSupported = 0xA2,
}
