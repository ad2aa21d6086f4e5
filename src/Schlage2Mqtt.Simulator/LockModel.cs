namespace Schlage2Mqtt.Simulator;

/// <summary>The lock models the simulator can play.</summary>
public enum LockModel
{
    /// <summary>Schlage Encode deadbolt, Wi-Fi (<c>be489wifi</c>).</summary>
    Encode,

    /// <summary>Schlage Encode Plus deadbolt, Wi-Fi (<c>be499wifi</c>).</summary>
    EncodePlus,

    /// <summary>Schlage Encode lever, Wi-Fi (<c>fe789wifi</c>).</summary>
    EncodeLever,

    /// <summary>Schlage Sense deadbolt behind a Wi-Fi bridge (<c>be479</c>): lock/unlock only by the <c>changelockstate</c> command.</summary>
    Sense,
}
