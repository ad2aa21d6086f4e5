namespace Schlage2Mqtt.Simulator.Cognito;

/// <summary>A Cognito error: HTTP 400 with <c>{"__type": Type, "message": ...}</c>.</summary>
internal sealed class CognitoException : Exception
{
    public CognitoException(string type, string message)
        : base(message)
    {
        Type = type;
    }

    public CognitoException()
    {
    }

    public CognitoException(string message)
        : base(message)
    {
    }

    public CognitoException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public string Type { get; } = "InternalErrorException";

    public static CognitoException NotAuthorized(string message = "Incorrect username or password.") => new("NotAuthorizedException", message);

    public static CognitoException InvalidParameter(string message) => new("InvalidParameterException", message);

    public static CognitoException UserNotFound() => new("UserNotFoundException", "User does not exist.");
}
