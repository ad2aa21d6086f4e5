namespace Schlage2Mqtt.Mqtt;

/// <summary>Per-filter SUBACK reason code (3.1.1 return codes 0, 1, 2 and 0x80 share these values).</summary>
public enum SubscribeReasonCode : byte
{
    /// <summary>The subscription is accepted with maximum QoS 0.</summary>
    GrantedQoS0 = 0x00,
    /// <summary>The subscription is accepted with maximum QoS 1.</summary>
    GrantedQoS1 = 0x01,
    /// <summary>The subscription is accepted with maximum QoS 2.</summary>
    GrantedQoS2 = 0x02,
    /// <summary>The subscription is not accepted (the only 3.1.1 failure code).</summary>
    UnspecifiedError = 0x80,
    /// <summary>The SUBSCRIBE is valid but the server does not accept it.</summary>
    ImplementationSpecificError = 0x83,
    /// <summary>The client is not authorized to make this subscription.</summary>
    NotAuthorized = 0x87,
    /// <summary>The topic filter is correctly formed but is not allowed for this client.</summary>
    TopicFilterInvalid = 0x8F,
    /// <summary>The packet identifier is already in use.</summary>
    PacketIdentifierInUse = 0x91,
    /// <summary>An implementation or administrative imposed limit has been exceeded.</summary>
    QuotaExceeded = 0x97,
    /// <summary>The server does not support shared subscriptions for this client.</summary>
    SharedSubscriptionsNotSupported = 0x9E,
    /// <summary>The server does not support subscription identifiers.</summary>
    SubscriptionIdentifiersNotSupported = 0xA1,
    /// <summary>The server does not support wildcard subscriptions.</summary>
    WildcardSubscriptionsNotSupported = 0xA2,
}
