namespace Schlage2Mqtt.Schlage.Api;

/// <summary>What a command answered: the new access code's id (<c>addaccesscode</c>) or an async command id.</summary>
/// <param name="AccessCodeId">Id of the created code, when sent.</param>
/// <param name="CommandId">Id of an asynchronous command, when sent.</param>
public sealed record CommandAnswerInfo(string? AccessCodeId, string? CommandId);
