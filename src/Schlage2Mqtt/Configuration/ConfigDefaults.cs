namespace Schlage2Mqtt.Configuration;

/// <summary>
/// Defaults for the Schlage Home consumer cloud, from the community client pyschlage. Every one is
/// overridable in configuration because none is published by Allegion and any may rotate.
/// </summary>
public static class ConfigDefaults
{
    /// <summary>The consumer cloud's REST base URL.</summary>
    public const string ApiBaseUrl = "https://api.allegion.yonomi.cloud/v1";

    /// <summary>The <c>X-Api-Key</c> the Schlage Home app sends.</summary>
    public const string ApiKey = "hnuu9jbbJr7MssFDWm5nU2Z7nG5Q5rxsaqWsE7e9";

    /// <summary>The Cognito region.</summary>
    public const string CognitoRegion = "us-west-2";

    /// <summary>The Cognito user pool id.</summary>
    public const string CognitoUserPoolId = "us-west-2_2zhrVs9d4";

    /// <summary>The Cognito app client id.</summary>
    public const string CognitoClientId = "t5836cptp2s1il0u9lki03j5";

    /// <summary>The Cognito app client secret.</summary>
    public const string CognitoClientSecret = "1kfmt18bgaig51in4j4v1j3jbe7ioqtjhle5o6knqc5dat0tpuvo";

    /// <summary>The Cognito endpoint for a region.</summary>
    public static Uri CognitoEndpoint(string region) => new($"https://cognito-idp.{region}.amazonaws.com/");
}
