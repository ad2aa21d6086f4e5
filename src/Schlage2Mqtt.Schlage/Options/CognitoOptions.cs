namespace Schlage2Mqtt.Schlage.Options;

/// <summary>The Cognito user pool and app client the Schlage Home app logs in with.</summary>
public sealed record CognitoOptions
{
    /// <summary>Default app client id (pyschlage).</summary>
    public const string DefaultClientId = "t5836cptp2s1il0u9lki03j5";

    /// <summary>AWS region of the user pool, e.g. <c>us-west-2</c>.</summary>
    public string Region { get; init; } = "us-west-2";

    /// <summary>User pool id, <c>&lt;region&gt;_&lt;pool name&gt;</c>.</summary>
    public string UserPoolId { get; init; } = "us-west-2_2zhrVs9d4";

    /// <summary>App client id.</summary>
    public string ClientId { get; init; } = DefaultClientId;

    /// <summary>App client secret; null or empty when the app client has none (then no SECRET_HASH is sent).</summary>
    public string? ClientSecret { get; init; } = "1kfmt18bgaig51in4j4v1j3jbe7ioqtjhle5o6knqc5dat0tpuvo";

    /// <summary>Which token authorises API calls.</summary>
    public TokenType TokenType { get; init; } = TokenType.Access;

    /// <summary>
    /// Cognito endpoint override (the simulator and tests point this at loopback);
    /// null means <c>https://cognito-idp.&lt;region&gt;.amazonaws.com/</c>.
    /// </summary>
    public Uri? Endpoint { get; init; }

    /// <summary>Tokens are renewed this long before they expire.</summary>
    public TimeSpan RefreshLeeway { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The endpoint actually used.</summary>
    public Uri EffectiveEndpoint => Endpoint ?? new Uri($"https://cognito-idp.{Region}.amazonaws.com/");

    /// <summary>The pool name SRP hashes: the part of <see cref="UserPoolId"/> after the underscore.</summary>
    public string PoolName => UserPoolId[(UserPoolId.IndexOf('_', StringComparison.Ordinal) + 1)..];

    /// <inheritdoc />
    public override string ToString() =>
        $"CognitoOptions {{ Region = {Region}, UserPoolId = {UserPoolId}, ClientId = {ClientId}, " +
        $"ClientSecret = {(string.IsNullOrEmpty(ClientSecret) ? "(none)" : "***")}, TokenType = {TokenType}, " +
        $"Endpoint = {EffectiveEndpoint}, RefreshLeeway = {RefreshLeeway} }}";
}
