namespace Schlage2Mqtt.Cloud;

/// <summary>An account's authentication state and, when it is not <see cref="AuthStatus.Ok"/>, what to do.</summary>
/// <param name="Status">The state.</param>
/// <param name="Message">Actionable message (e.g. "run `schlage2mqtt login`"); null when all is well.</param>
/// <param name="Since">When the state was entered.</param>
/// <param name="Failure">
/// The provider's name for the failure behind a non-OK state (e.g. <c>WrongPassword</c>), for logs and tests; the
/// neutral layer does not interpret it, <see cref="Status"/> and <see cref="Message"/> are what the bridge acts on.
/// </param>
public sealed record AccountAuthState(AuthStatus Status, string? Message, DateTimeOffset? Since, string? Failure = null)
{
    /// <summary>The state before any attempt.</summary>
    public static AccountAuthState Initial { get; } = new(AuthStatus.Unknown, null, null);

    /// <summary>The wire spelling for the MQTT info topic: <c>unknown</c>, <c>ok</c>, <c>degraded</c>, <c>reauth_required</c>.</summary>
    public string Code => Status switch
    {
        AuthStatus.Ok => "ok",
        AuthStatus.Degraded => "degraded",
        AuthStatus.ReauthRequired => "reauth_required",
        _ => "unknown",
    };
}
