using System.Globalization;

namespace Schlage2Mqtt.Chaos;

/// <summary>How much chaos: counts with CI-sized defaults in quick mode; every loop is bounded by these.</summary>
public sealed record ChaosOptions
{
    /// <summary>Quick mode (CI): small counts and short settle times.</summary>
    public bool Quick { get; init; }

    /// <summary>Sections to run (a-p); empty runs all.</summary>
    public IReadOnlySet<char> Only { get; init; } = new HashSet<char>();

    /// <summary>(a) hostile payloads sent.</summary>
    public int Hostile { get; init; } = 10_000;

    /// <summary>(a) seconds to wait before reading memory after the run (no GC can be forced from outside).</summary>
    public int SettleSeconds { get; init; } = 30;

    /// <summary>(b) run every corrupt kind on every state file (else one file per kind).</summary>
    public bool AllStateFiles { get; init; } = true;

    /// <summary>(c) kill -9 of the bridge during an access-code change.</summary>
    public int BridgeKills { get; init; } = 20;

    /// <summary>(d) kill -9 of the broker between two commands.</summary>
    public int BrokerKills { get; init; } = 10;

    /// <summary>(e) access-code operations under cloud faults.</summary>
    public int FaultOperations { get; init; } = 20;

    /// <summary>(h) runs of <c>simulator --push-broker --push-publish</c>.</summary>
    public int SimulatorRuns { get; init; } = 3;

    /// <summary>(i) access-code adds the lock Nacks while the cloud keeps them.</summary>
    public int NackOperations { get; init; } = 5;

    /// <summary>(k) requests sent at once while every cloud call takes 35 s.</summary>
    public int SlowRequests { get; init; } = 8;

    /// <summary>(m) gets of one lock sent at once.</summary>
    public int GetFlood { get; init; } = 200;

    /// <summary>(o) broker kills while the retained state shows LOCKING/UNLOCKING.</summary>
    public int TransitionalCycles { get; init; } = 10;

    /// <summary>Seed of the random delays.</summary>
    public int Seed { get; init; } = 19;

    /// <summary>The CI-sized run.</summary>
    public static ChaosOptions QuickDefaults { get; } = new()
    {
        Quick = true, Hostile = 1_500, SettleSeconds = 10, AllStateFiles = false, BridgeKills = 3, BrokerKills = 2, FaultOperations = 5,
        SimulatorRuns = 1, NackOperations = 2, SlowRequests = 3, GetFlood = 50, TransitionalCycles = 2,
    };

    /// <summary>Whether <paramref name="section"/> runs.</summary>
    public bool Runs(char section) => Only.Count == 0 || Only.Contains(section);

    /// <summary>Parses <c>--quick</c>, <c>--only a,c</c>, <c>--hostile N</c>, ... and CHAOS_* environment variables.</summary>
    public static ChaosOptions Parse(string[] args)
    {
        var options = args.Contains("--quick") || Environment.GetEnvironmentVariable("CHAOS_QUICK") == "1" ? QuickDefaults : new ChaosOptions();
        int Number(string name, string env, int current)
        {
            var index = Array.IndexOf(args, name);
            var text = index >= 0 && index + 1 < args.Length ? args[index + 1] : Environment.GetEnvironmentVariable(env);
            return text is null ? current : int.Parse(text, CultureInfo.InvariantCulture);
        }
        var only = Array.IndexOf(args, "--only") is var o and >= 0 && o + 1 < args.Length
            ? args[o + 1].Split(',').Select(s => s.Trim()[0]).ToHashSet()
            : (Environment.GetEnvironmentVariable("CHAOS_ONLY")?.Split(',').Select(s => s.Trim()[0]).ToHashSet() ?? []);
        return options with
        {
            Only = only,
            Hostile = Number("--hostile", "CHAOS_HOSTILE", options.Hostile),
            SettleSeconds = Number("--settle", "CHAOS_SETTLE_S", options.SettleSeconds),
            BridgeKills = Number("--bridge-kills", "CHAOS_BRIDGE_KILLS", options.BridgeKills),
            BrokerKills = Number("--broker-kills", "CHAOS_BROKER_KILLS", options.BrokerKills),
            FaultOperations = Number("--fault-ops", "CHAOS_FAULT_OPS", options.FaultOperations),
            SimulatorRuns = Number("--simulator-runs", "CHAOS_SIMULATOR_RUNS", options.SimulatorRuns),
            NackOperations = Number("--nack-ops", "CHAOS_NACK_OPS", options.NackOperations),
            SlowRequests = Number("--slow-requests", "CHAOS_SLOW_REQUESTS", options.SlowRequests),
            GetFlood = Number("--get-flood", "CHAOS_GET_FLOOD", options.GetFlood),
            TransitionalCycles = Number("--transitional-cycles", "CHAOS_TRANSITIONAL_CYCLES", options.TransitionalCycles),
            Seed = Number("--seed", "CHAOS_SEED", options.Seed),
        };
    }
}
