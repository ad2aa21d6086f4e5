namespace Schlage2Mqtt.Simulator.Calls;

/// <summary>Which face of the simulator a call hit.</summary>
public enum CallSurface
{
    /// <summary>The REST API under <c>/v1</c>.</summary>
    Api,

    /// <summary>The Cognito endpoint.</summary>
    Cognito,

    /// <summary>The push channel's broker: the simulated phone app taking the client id (eviction, drop).</summary>
    Push,
}

/// <summary>
/// One call as the simulator saw it. Secrets (passwords, tokens, PINs) are never recorded;
/// <see cref="Detail"/> carries the non-secret gist (e.g. <c>lockState=0</c>, a command name).
/// </summary>
/// <param name="Sequence">Order of arrival, from 1.</param>
/// <param name="Timestamp">Simulator clock at arrival.</param>
/// <param name="Surface">REST or Cognito.</param>
/// <param name="Operation">The endpoint name (<see cref="Faults.ApiEndpoint"/>) or Cognito operation (<see cref="CognitoOperations"/>).</param>
/// <param name="Method">HTTP method.</param>
/// <param name="Path">Path and query.</param>
/// <param name="DeviceId">The device the call was about, if any.</param>
/// <param name="Subject">Who called: the account email, or the username given to Cognito.</param>
/// <param name="StatusCode">The status answered.</param>
/// <param name="Fault">The fault rule that shaped the answer, if any.</param>
/// <param name="Detail">Non-secret gist of the request.</param>
public sealed record CallRecord(
    long Sequence,
    DateTimeOffset Timestamp,
    CallSurface Surface,
    string Operation,
    string Method,
    string Path,
    string? DeviceId,
    string? Subject,
    int StatusCode,
    string? Fault,
    string? Detail);

/// <summary>Operation names the call log uses for Cognito calls.</summary>
public static class CognitoOperations
{
    /// <summary>InitiateAuth with USER_SRP_AUTH (the start of an SRP login).</summary>
    public const string InitiateSrp = "InitiateAuth:USER_SRP_AUTH";

    /// <summary>InitiateAuth with REFRESH_TOKEN_AUTH.</summary>
    public const string Refresh = "InitiateAuth:REFRESH_TOKEN_AUTH";

    /// <summary>RespondToAuthChallenge with PASSWORD_VERIFIER (the end of an SRP login).</summary>
    public const string RespondPasswordVerifier = "RespondToAuthChallenge:PASSWORD_VERIFIER";
}

/// <summary>Operation names the call log uses for the push channel (<see cref="CallSurface.Push"/>).</summary>
public static class PushOperations
{
    /// <summary>The simulated phone app connected with an account's client id (the broker drops whoever held it).</summary>
    public const string PhoneAppConnect = "PhoneAppConnect";
}

/// <summary>Totals since the last reset.</summary>
/// <param name="SrpLoginAttempts">USER_SRP_AUTH InitiateAuth calls.</param>
/// <param name="SrpLogins">Completed SRP logins (tokens issued).</param>
/// <param name="RefreshAttempts">REFRESH_TOKEN_AUTH calls.</param>
/// <param name="Refreshes">Successful refreshes.</param>
/// <param name="ApiCalls">REST calls.</param>
/// <param name="PerOperation">Calls per operation name.</param>
public sealed record CallCounters(
    long SrpLoginAttempts,
    long SrpLogins,
    long RefreshAttempts,
    long Refreshes,
    long ApiCalls,
    IReadOnlyDictionary<string, long> PerOperation);
