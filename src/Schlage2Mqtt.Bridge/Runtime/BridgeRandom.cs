namespace Schlage2Mqtt.Bridge.Runtime;

/// <summary>The bridge's source of jitter (poll spread, Home Assistant re-publish delay); tests seed it to repeat a run.</summary>
internal sealed record BridgeRandom(Random Value);
