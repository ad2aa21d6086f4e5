namespace Schlage2Mqtt.Schlage.Options;

/// <summary>Which Cognito token goes into <c>Authorization: Bearer</c>.</summary>
public enum TokenType
{
    /// <summary>The AccessToken (what pyschlage sends; the default).</summary>
    Access,

    /// <summary>The IdToken (what some integrations, e.g. seed 000's driver, send).</summary>
    Id,
}
