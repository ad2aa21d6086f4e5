namespace Schlage2Mqtt.Schlage.Auth;

/// <summary>Maps Cognito error types to typed failures with messages that say what to do.</summary>
internal static class CognitoErrors
{
    public const string LoginHint = "run `schlage2mqtt login`";

    /// <summary>Strips namespaces and suffixes: <c>com.amazon...#NotAuthorizedException:http://...</c> becomes <c>NotAuthorizedException</c>.</summary>
    public static string NormalizeType(string type)
    {
        var name = type;
        var hash = name.LastIndexOf('#');
        if (hash >= 0)
        {
            name = name[(hash + 1)..];
        }
        var colon = name.IndexOf(':', StringComparison.Ordinal);
        return colon >= 0 ? name[..colon] : name;
    }

    /// <summary>Cognito's "SecretHash does not match" (or "Unable to verify secret hash"): the hash, not the token, is wrong.</summary>
    public static bool IsSecretHashMismatch(string? cognitoMessage) =>
        cognitoMessage is not null
        && (cognitoMessage.Contains("SecretHash", StringComparison.OrdinalIgnoreCase) || cognitoMessage.Contains("secret hash", StringComparison.OrdinalIgnoreCase));

    public static AuthFailure Map(string type, string? message, int status, bool duringRefresh)
    {
        var text = message ?? "";
        AuthFailure Make(AuthFailureKind kind, string what) => new(kind, what, type, message, status);
        return type switch
        {
            // Checked before the refusal: a hash over the wrong username says nothing about the token itself.
            "NotAuthorizedException" when duringRefresh && IsSecretHashMismatch(text) =>
                Make(AuthFailureKind.Misconfigured, "Cognito rejected the refresh SECRET_HASH for every username form tried: check that cognito.client_secret belongs to cognito.client_id (remove client_secret for an app client without one)."),
            "NotAuthorizedException" when duringRefresh =>
                Make(AuthFailureKind.RefreshRefused, $"Cognito refused the refresh token ({text})."),
            "NotAuthorizedException" when text.Contains("attempts exceeded", StringComparison.OrdinalIgnoreCase) =>
                Make(AuthFailureKind.Throttled, "Too many failed login attempts; Cognito blocks this account for a while. Wait, then check the password."),
            "NotAuthorizedException" when text.Contains("SecretHash", StringComparison.OrdinalIgnoreCase) =>
                Make(AuthFailureKind.Misconfigured, "Cognito rejected the SECRET_HASH: cognito.client_secret does not belong to cognito.client_id (remove client_secret for an app client without one)."),
            "NotAuthorizedException" =>
                Make(AuthFailureKind.WrongPassword, "Incorrect username or password: check the Schlage Home password, then " + LoginHint + "."),
            "UserNotFoundException" =>
                Make(AuthFailureKind.UnknownUser, "No Schlage Home account has this email address: check the username (it is the account's email)."),
            "UserNotConfirmedException" =>
                Make(AuthFailureKind.UserNotConfirmed, "The Schlage Home account is not confirmed yet: finish sign-up in the Schlage Home app, then " + LoginHint + "."),
            "PasswordResetRequiredException" =>
                Make(AuthFailureKind.PasswordResetRequired, "Schlage requires a password reset: reset it in the Schlage Home app, then " + LoginHint + "."),
            "TooManyRequestsException" or "LimitExceededException" =>
                Make(AuthFailureKind.Throttled, "Cognito is throttling requests; the client will try again later."),
            "ResourceNotFoundException" or "InvalidParameterException" or "InvalidUserPoolConfigurationException" =>
                Make(AuthFailureKind.Misconfigured, $"Cognito rejected the request ({text}): check cognito.user_pool_id, cognito.client_id and cognito.client_secret."),
            _ when status >= 500 =>
                Make(AuthFailureKind.Unavailable, $"Cognito answered {status}; the client will try again later."),
            _ => Make(AuthFailureKind.InvalidResponse, $"Cognito answered {status} {type}: {text}"),
        };
    }
}
