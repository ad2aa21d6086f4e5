namespace Schlage2Mqtt.Cloud;

/// <summary>One activity event of a lock.</summary>
/// <param name="Id">Entry id.</param>
/// <param name="EventCode">Vendor event code (1/2 keypad lock/unlock, 3/4 thumbturn, ...).</param>
/// <param name="Time">When it happened (the lock's time, else the cloud's).</param>
/// <param name="AccessorId">The user behind it; null for the all-f "none" id.</param>
/// <param name="AccessCodeId">The access code behind it; null for the all-f "none" id.</param>
public sealed record CloudLogEntry(string? Id, int? EventCode, DateTimeOffset? Time, string? AccessorId, string? AccessCodeId);
