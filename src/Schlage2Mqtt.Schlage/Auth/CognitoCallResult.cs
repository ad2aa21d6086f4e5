namespace Schlage2Mqtt.Schlage.Auth;

/// <summary>One Cognito call: its answer or a typed failure.</summary>
internal sealed record CognitoCallResult(CognitoAuthResponse? Response, AuthFailure? Failure)
{
    public static CognitoCallResult Ok(CognitoAuthResponse response) => new(response, null);

    public static CognitoCallResult Fail(AuthFailure failure) => new(null, failure);
}
