using System.Globalization;
using Schlage2Mqtt.Simulator.Internal;

namespace Schlage2Mqtt.Simulator.Faults;

/// <summary>
/// The active fault rules, each with the calls it has left. Thread-safe; ids are "f1", "f2", ... in order of addition.
/// Rules with a <see cref="FaultRule.Probability"/> draw from <paramref name="random"/> (the simulator's seed).
/// </summary>
internal sealed class FaultInjector(SeededRandom? random = null)
{
    private readonly SeededRandom _random = random ?? new SeededRandom(1, 4);
    private readonly Lock _gate = new();
    private readonly List<Entry> _rules = [];
    private readonly List<AccessEntry> _accessRules = [];
    private int _nextId;

    public string Add(FaultRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        lock (_gate)
        {
            var id = NextId();
            _rules.Add(new Entry(id, rule, rule.Count));
            return id;
        }
    }

    public string Add(AccessCodeFaultRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        lock (_gate)
        {
            var id = NextId();
            _accessRules.Add(new AccessEntry(id, rule, rule.Count));
            return id;
        }
    }

    public bool Remove(string id)
    {
        lock (_gate)
        {
            return _rules.RemoveAll(e => e.Id == id) + _accessRules.RemoveAll(e => e.Id == id) > 0;
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _rules.Clear();
            _accessRules.Clear();
        }
    }

    public IReadOnlyList<ActiveFault> List()
    {
        lock (_gate)
        {
            return [.. _rules.Select(e => new ActiveFault(e.Id, e.Rule, null, e.Remaining)),
                .. _accessRules.Select(e => new ActiveFault(e.Id, null, e.Rule, e.Remaining))];
        }
    }

    /// <summary>Consumes the rules a call matches: the summed latency and the deciding rule, if any.</summary>
    public (TimeSpan Latency, FaultRule? Decision) Match(ApiEndpoint endpoint, string? deviceId, string? command)
    {
        lock (_gate)
        {
            var latency = TimeSpan.Zero;
            FaultRule? decision = null;
            foreach (var entry in _rules.ToList())
            {
                var rule = entry.Rule;
                if ((rule.Endpoint is { } e && e != endpoint)
                    || (rule.DeviceId is { } d && !string.Equals(d, deviceId, StringComparison.Ordinal))
                    || (rule.Command is { } c && !string.Equals(c, command, StringComparison.OrdinalIgnoreCase)))
                {
                    continue;
                }
                if (rule.Probability is { } chance && !(_random.NextDouble() < chance))
                {
                    continue;
                }
                if (rule.Action == FaultAction.Latency)
                {
                    latency += rule.Delay;
                }
                else if (decision is null)
                {
                    decision = rule;
                }
                else
                {
                    continue;
                }
                Consume(entry);
            }
            return (latency, decision);
        }
    }

    public AccessCodeFaultRule? MatchAccessCode(string deviceId, string command)
    {
        lock (_gate)
        {
            foreach (var entry in _accessRules)
            {
                var rule = entry.Rule;
                if ((rule.DeviceId is { } d && !string.Equals(d, deviceId, StringComparison.Ordinal))
                    || (rule.Command is { } c && !string.Equals(c, command, StringComparison.OrdinalIgnoreCase)))
                {
                    continue;
                }
                if (entry.Remaining is { } left)
                {
                    entry.Remaining = left - 1;
                    if (entry.Remaining <= 0)
                    {
                        _accessRules.Remove(entry);
                    }
                }
                return rule;
            }
            return null;
        }
    }

    private void Consume(Entry entry)
    {
        if (entry.Remaining is { } left)
        {
            entry.Remaining = left - 1;
            if (entry.Remaining <= 0)
            {
                _rules.Remove(entry);
            }
        }
    }

    private string NextId() => "f" + (++_nextId).ToString(CultureInfo.InvariantCulture);

    private sealed class Entry(string id, FaultRule rule, int? remaining)
    {
        public string Id { get; } = id;

        public FaultRule Rule { get; } = rule;

        public int? Remaining { get; set; } = remaining;
    }

    private sealed class AccessEntry(string id, AccessCodeFaultRule rule, int? remaining)
    {
        public string Id { get; } = id;

        public AccessCodeFaultRule Rule { get; } = rule;

        public int? Remaining { get; set; } = remaining;
    }
}
