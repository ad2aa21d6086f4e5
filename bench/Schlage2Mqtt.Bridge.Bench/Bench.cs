namespace Schlage2Mqtt.Bridge.Bench;

/// <summary>Settings every run shares.</summary>
internal static class Bench
{
    /// <summary>The bridge's default <c>mqtt.base_topic</c>.</summary>
    public const string BaseTopic = "schlage2mqtt";
}
