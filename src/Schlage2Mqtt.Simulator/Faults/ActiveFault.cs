namespace Schlage2Mqtt.Simulator.Faults;

/// <summary>An installed fault rule and how many more calls it affects (null: until removed).</summary>
/// <param name="Id">The id to remove it by.</param>
/// <param name="Rule">The REST rule, when it is one.</param>
/// <param name="AccessCodeRule">The access-code rule, when it is one.</param>
/// <param name="Remaining">Calls left.</param>
public sealed record ActiveFault(string Id, FaultRule? Rule, AccessCodeFaultRule? AccessCodeRule, int? Remaining);
