namespace Schlage2Mqtt.Cloud;

/// <summary>A notify-on-use subscription of an access code.</summary>
/// <param name="Id">Notification id.</param>
/// <param name="AccessCodeName">The code's name (the cloud's filter value).</param>
/// <param name="Active">Whether it is on.</param>
public sealed record CloudNotification(string Id, string? AccessCodeName, bool? Active);
