namespace Schlage2Mqtt.Tests.EndToEnd;

/// <summary>
/// End-to-end worlds (broker, simulator, bridge) run one at a time: on a 2-core machine several at once would
/// only make each slower, and timing-sensitive behaviour (confirmation windows) deserves a quiet machine.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EndToEndGroup
{
    public const string Name = "end-to-end";
}
