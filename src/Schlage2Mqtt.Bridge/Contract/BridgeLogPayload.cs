namespace Schlage2Mqtt.Bridge.Contract;

/// <summary>A line on <c>&lt;base&gt;/bridge/log</c>: <c>{level, message, lock?, code?, hint?}</c>.</summary>
public sealed record BridgeLogPayload(string Level, string Message, string? Lock, string? Code, string? Hint);
