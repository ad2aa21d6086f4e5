namespace Schlage2Mqtt.Bridge.Runtime;

/// <summary>
/// One part of the bridge (polling, push, commands, requests, discovery, bridge info and health, activity, access
/// codes). Each is registered once by <c>AddBridge</c>; the runtime starts them in registration order and stops them
/// in reverse, so a feature may rely on those registered before it being started. A feature talks to the others only
/// through the core (<see cref="LockStateHub"/>, <see cref="LockRegistry"/>, <see cref="BridgeEvents"/>).
/// </summary>
internal interface IBridgeFeature
{
    /// <summary>Subscribes to what the feature reacts to and starts its background work.</summary>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Stops what the feature started; background work as a whole is stopped by the core.</summary>
    Task StopAsync(CancellationToken cancellationToken);
}
