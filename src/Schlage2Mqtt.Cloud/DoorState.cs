namespace Schlage2Mqtt.Cloud;

/// <summary>Door position sensor.</summary>
public enum DoorState
{
    /// <summary>The sensor reports unknown.</summary>
    Unknown,

    /// <summary>Open.</summary>
    Open,

    /// <summary>Closed.</summary>
    Closed,

    /// <summary>The sensor is faulty.</summary>
    Faulty,
}
