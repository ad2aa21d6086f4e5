using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Simulator.Faults;
using Schlage2Mqtt.Simulator.Internal;

namespace Schlage2Mqtt.Simulator.Cloud;

/// <summary>What every part of the device world shares: clock, ids, scheduler, options, faults, change notification.</summary>
internal sealed class CloudContext
{
    public CloudContext(SimulatorOptions options, TimeProvider time, SeededRandom ids, Scheduler scheduler,
        FaultInjector faults, ILogger logger, Action<string> deviceChanged)
    {
        Options = options;
        Time = time;
        Ids = ids;
        Scheduler = scheduler;
        Faults = faults;
        Logger = logger;
        DeviceChanged = deviceChanged;
    }

    public SimulatorOptions Options { get; }

    public TimeProvider Time { get; }

    public SeededRandom Ids { get; set; }

    public Scheduler Scheduler { get; }

    public FaultInjector Faults { get; }

    public ILogger Logger { get; }

    /// <summary>Called (outside any device lock) after a device document changed.</summary>
    public Action<string> DeviceChanged { get; }

    public DateTimeOffset Now => Time.GetUtcNow();
}
