namespace Schlage2Mqtt.Simulator.Faults;

/// <summary>Errors Cognito can be told to answer for one user.</summary>
public enum CognitoUserError
{
    /// <summary><c>NotAuthorizedException</c> "Incorrect username or password."</summary>
    NotAuthorized,

    /// <summary><c>UserNotFoundException</c> "User does not exist."</summary>
    UserNotFound,

    /// <summary><c>UserNotConfirmedException</c> "User is not confirmed."</summary>
    UserNotConfirmed,

    /// <summary><c>PasswordResetRequiredException</c> "Password reset required for the user".</summary>
    PasswordResetRequired,

    /// <summary><c>TooManyRequestsException</c> "Rate exceeded".</summary>
    TooManyRequests,
}
