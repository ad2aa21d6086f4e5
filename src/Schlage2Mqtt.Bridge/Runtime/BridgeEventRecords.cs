using Schlage2Mqtt.Bridge.Contract;
using Schlage2Mqtt.Cloud;

namespace Schlage2Mqtt.Bridge.Runtime;

/// <summary>Marks the records <see cref="BridgeEvents"/> carries.</summary>
internal interface IBridgeEvent;

/// <summary>The bridge saw a lock for the first time since it started (its topics and discovery are out).</summary>
internal sealed record LockListed(LockEntry Lock) : IBridgeEvent;

/// <summary>A lock changed in a way its activity log will show (bolt, who, battery, door, connection).</summary>
internal sealed record LockChanged(LockEntry Lock) : IBridgeEvent;

/// <summary>Locks were added or removed (what <c>bridge/info</c> lists changed).</summary>
internal sealed record LockSetChanged : IBridgeEvent;

/// <summary>The lock's state topic was published with <paramref name="State"/> (the hub's funnel raises it, once per publish).</summary>
internal sealed record LockStatePublished(LockEntry Lock, LockStatePayload State) : IBridgeEvent;

/// <summary>The lock's availability topic was published.</summary>
internal sealed record LockAvailabilityPublished(LockEntry Lock, string Availability) : IBridgeEvent;

/// <summary>One account's poll was applied and published (<paramref name="Ok"/> false when the cloud could not be read).</summary>
internal sealed record AccountPolled(AccountRuntime Account, bool Ok) : IBridgeEvent;

/// <summary>An account's push channel changed state.</summary>
internal sealed record PushStateChanged(AccountRuntime Account, PushState State, string? Detail) : IBridgeEvent;

/// <summary>The MQTT client (re)connected to the broker: retained topics are to be announced again.</summary>
internal sealed record BrokerConnected : IBridgeEvent;

/// <summary>Home Assistant announced itself online (its birth message): discovery and state are to be re-published.</summary>
internal sealed record HomeAssistantOnline : IBridgeEvent;
