namespace Schlage2Mqtt.Simulator;

/// <summary>
/// The consumer cloud's well-known constants (reference section 2). The simulator uses them by
/// default so a client configured for the real cloud only needs its URLs overridden.
/// </summary>
public static class SimulatorDefaults
{
    /// <summary>The <c>X-Api-Key</c> every REST call must carry.</summary>
    public const string ApiKey = "hnuu9jbbJr7MssFDWm5nU2Z7nG5Q5rxsaqWsE7e9";

    /// <summary>The Cognito user pool id; the SRP "pool name" is the part after the underscore.</summary>
    public const string UserPoolId = "us-west-2_2zhrVs9d4";

    /// <summary>The app client pyschlage uses (it has a secret).</summary>
    public const string ClientId = "t5836cptp2s1il0u9lki03j5";

    /// <summary>The secret of <see cref="ClientId"/>.</summary>
    public const string ClientSecret = "1kfmt18bgaig51in4j4v1j3jbe7ioqtjhle5o6knqc5dat0tpuvo";

    /// <summary>The app client seed 000 names (no secret), also what AWS's JS client can use.</summary>
    public const string PublicClientId = "26ujbcfppen6t3afts2ad7vfgs";
}
