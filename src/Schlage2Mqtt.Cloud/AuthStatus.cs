namespace Schlage2Mqtt.Cloud;

/// <summary>Health of an account's authentication, for the bridge's info and health topics.</summary>
public enum AuthStatus
{
    /// <summary>No token has been asked for yet.</summary>
    Unknown,

    /// <summary>The last token request succeeded.</summary>
    Ok,

    /// <summary>The last attempt failed for a reason that may pass (Cognito unreachable or throttling).</summary>
    Degraded,

    /// <summary>The account cannot log in without the user (reported as <c>reauth_required</c>).</summary>
    ReauthRequired,
}
