namespace Schlage2Mqtt.Schlage.Auth;

/// <summary>A typed authentication failure with an actionable message (never containing a secret).</summary>
/// <param name="Kind">What went wrong.</param>
/// <param name="Message">What happened and what the user should do.</param>
/// <param name="CognitoErrorType">Cognito's error type, e.g. <c>NotAuthorizedException</c>, when Cognito answered.</param>
/// <param name="CognitoMessage">Cognito's own message, when it sent one.</param>
/// <param name="HttpStatus">HTTP status of Cognito's answer, when there was one.</param>
public sealed record AuthFailure(
    AuthFailureKind Kind,
    string Message,
    string? CognitoErrorType = null,
    string? CognitoMessage = null,
    int? HttpStatus = null)
{
    /// <summary>True when only the user can fix it (wrong password, expired pasted token...), so retrying is pointless.</summary>
    public bool NeedsUser => Kind is not (AuthFailureKind.Throttled or AuthFailureKind.Unavailable or AuthFailureKind.InvalidResponse);

    /// <inheritdoc />
    public override string ToString() => $"{Kind}: {Message}";
}
