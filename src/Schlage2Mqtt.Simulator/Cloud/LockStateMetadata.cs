namespace Schlage2Mqtt.Simulator.Cloud;

/// <summary>Who moved the bolt last (<c>lockStateMetadata</c>).</summary>
internal sealed record LockStateMetadata(string ActionType, string? Uuid, string? Name, string? ClientId)
{
    public const string ThumbTurn = "thumbTurn";
    public const string OneTouch = "1touchLocking";
    public const string AccessCode = "accesscode";
    public const string VirtualKey = "virtualKey";
    public const string AppleHomeNfc = "AppleHomeNFC";

    /// <summary>Key fobs, inside buttons and mechanical keys have no documented actionType; this name is the simulator's choice.</summary>
    public const string Local = "local";

    /// <summary>Auto-lock has no documented actionType; this name is the simulator's choice.</summary>
    public const string AutoLock = "autoLock";

    public const string PeriodicDeepQuery = "periodicDeepQuery";

    /// <summary>The cloud's own status check: it names no actor and moves no bolt.</summary>
    public static LockStateMetadata Initial { get; } = new(PeriodicDeepQuery, null, null, null);
}
