namespace Schlage2Mqtt.Cloud;

/// <summary>How a lock is reached, which decides how it is locked.</summary>
public enum LockFamily
{
    /// <summary>A Wi-Fi lock (Encode family): locked by writing its lockState attribute.</summary>
    WiFi,

    /// <summary>A lock behind a bridge (Sense): locked by the <c>changelockstate</c> command.</summary>
    Bridge,
}
