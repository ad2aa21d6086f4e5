namespace Schlage2Mqtt.Simulator.Cloud;

/// <summary>One activity-log entry as the lock reported it.</summary>
internal sealed record LogEntry(
    string LogId,
    DateTimeOffset At,
    int EventCode,
    string AccessorUuid,
    string KeypadUuid);
