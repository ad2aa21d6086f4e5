namespace Schlage2Mqtt.Schlage.Auth;

/// <summary>Why a login, refresh or token lookup failed.</summary>
public enum AuthFailureKind
{
    /// <summary>Cognito says the password is wrong (NotAuthorizedException at login).</summary>
    WrongPassword,

    /// <summary>No such user (UserNotFoundException); usernames are email addresses.</summary>
    UnknownUser,

    /// <summary>The account was never confirmed (UserNotConfirmedException).</summary>
    UserNotConfirmed,

    /// <summary>Cognito demands a password reset (PasswordResetRequiredException).</summary>
    PasswordResetRequired,

    /// <summary>Too many requests or attempts (TooManyRequestsException, "Password attempts exceeded").</summary>
    Throttled,

    /// <summary>Cognito refused the refresh token (expired, revoked, or SECRET_HASH mismatch).</summary>
    RefreshRefused,

    /// <summary>A pasted token has expired and there is no refresh token or password to renew it.</summary>
    TokenExpired,

    /// <summary>No way left to obtain a token: the user must run <c>schlage2mqtt login</c>.</summary>
    ReauthRequired,

    /// <summary>The client id, user pool or client secret is wrong (ResourceNotFound, InvalidParameter, SecretHash).</summary>
    Misconfigured,

    /// <summary>Cognito asked for a challenge this client cannot answer (MFA, new password).</summary>
    UnsupportedChallenge,

    /// <summary>Cognito could not be reached, timed out or answered 5xx; worth trying again later.</summary>
    Unavailable,

    /// <summary>Cognito answered something this client cannot read.</summary>
    InvalidResponse,
}
