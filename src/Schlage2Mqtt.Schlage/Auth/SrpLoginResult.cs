namespace Schlage2Mqtt.Schlage.Auth;

/// <summary>Outcome of a full SRP login: tokens plus the internal username, or a failure.</summary>
internal sealed record SrpLoginResult(AuthTokens? Tokens, string? UserIdForSrp, AuthFailure? Failure);
