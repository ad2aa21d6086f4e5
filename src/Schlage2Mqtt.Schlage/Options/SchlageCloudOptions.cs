namespace Schlage2Mqtt.Schlage.Options;

/// <summary>
/// Everything the Schlage consumer-cloud layer needs; the executable maps its YAML into this.
/// Defaults come from the reference (pyschlage) and all of them can be overridden.
/// </summary>
public sealed record SchlageCloudOptions
{
    /// <summary>Default REST base URL, as the README documents it (the API clients add the trailing slash relative paths need).</summary>
    public static readonly Uri DefaultApiBaseUrl = new("https://api.allegion.yonomi.cloud/v1");

    /// <summary>Default <c>X-Api-Key</c> shipped with the Schlage Home app.</summary>
    public const string DefaultApiKey = "hnuu9jbbJr7MssFDWm5nU2Z7nG5Q5rxsaqWsE7e9";

    /// <summary>REST base URL.</summary>
    public Uri ApiBaseUrl { get; init; } = DefaultApiBaseUrl;

    /// <summary>Value of the <c>X-Api-Key</c> header.</summary>
    public string ApiKey { get; init; } = DefaultApiKey;

    /// <summary>Cognito user pool and client.</summary>
    public CognitoOptions Cognito { get; init; } = new();

    /// <summary>Per-attempt timeout of one HTTP call. Lock commands take 5-30 s in the field.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Hard client-side ceiling of REST calls per account in any 60-second window (retries included).</summary>
    public int MaxCallsPerMinute { get; init; } = 30;

    /// <summary>How long a call may wait for room in the call budget before it fails as throttled.</summary>
    public TimeSpan BudgetWait { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Retries of an idempotent read after a 5xx, 429, timeout or network error.</summary>
    public int ReadRetries { get; init; } = 3;

    /// <summary>Base delay of the read retry backoff (exponential, with jitter).</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The longest wait a <c>Retry-After</c> may impose (<c>schlage.max_retry_after</c>): a longer one is cut to this,
    /// because it holds back every call of the account, commands included.
    /// </summary>
    public TimeSpan RetryAfterCap { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The longest <c>Retry-After</c> the client waits out by itself; longer ones are reported as throttled.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Circuit breaker: the failure ratio within <see cref="BreakerSamplingDuration"/> that opens the circuit.</summary>
    public double BreakerFailureRatio { get; init; } = 0.5;

    /// <summary>Circuit breaker: calls needed in the sampling window before the ratio counts.</summary>
    public int BreakerMinimumThroughput { get; init; } = 6;

    /// <summary>Circuit breaker: the sampling window.</summary>
    public TimeSpan BreakerSamplingDuration { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Circuit breaker: how long the circuit stays open before one trial call.</summary>
    public TimeSpan BreakerBreakDuration { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Push channel settings (default: the consumer cloud's AWS IoT channel).</summary>
    public PushOptions Push { get; init; } = new();

    /// <summary>Accounts to bridge.</summary>
    public IReadOnlyList<SchlageAccountOptions> Accounts { get; init; } = [];

    /// <summary>Checks every field; an empty list means valid. Each error names the field and the fix.</summary>
    public IReadOnlyList<OptionsError> Validate()
    {
        var errors = new List<OptionsError>();
        new SchlageOptionsValidator().Check(this, (key, message) => errors.Add(new OptionsError(key, message)));
        return errors;
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"SchlageCloudOptions {{ ApiBaseUrl = {ApiBaseUrl}, ApiKey = ***, Cognito = {Cognito}, RequestTimeout = {RequestTimeout}, " +
        $"MaxCallsPerMinute = {MaxCallsPerMinute}, Push = {Push?.Mode}, Accounts = [{string.Join(", ", Accounts)}] }}";
}
