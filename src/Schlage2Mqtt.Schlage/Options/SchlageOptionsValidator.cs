using System.Text.RegularExpressions;

namespace Schlage2Mqtt.Schlage.Options;

/// <summary>Validates <see cref="SchlageCloudOptions"/>; field paths use the config file's snake_case spelling.</summary>
internal static partial class SchlageOptionsValidator
{
    [GeneratedRegex("^[a-z]{2}(-[a-z]+)+-[0-9]+$")]
    private static partial Regex RegionPattern();

    [GeneratedRegex("^[a-z]{2}(-[a-z]+)+-[0-9]+_[0-9A-Za-z]+$")]
    private static partial Regex UserPoolIdPattern();

    public static IReadOnlyList<OptionsError> Validate(SchlageCloudOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<OptionsError>();
        void Fail(string field, string message) => errors.Add(new OptionsError(field, message));

        if (!IsHttpUrl(options.ApiBaseUrl))
        {
            Fail("api_base_url", $"must be an absolute http(s) URL, e.g. {SchlageCloudOptions.DefaultApiBaseUrl}");
        }
        if (string.IsNullOrWhiteSpace(options.ApiKey))
        {
            Fail("api_key", "must not be empty; remove the setting to use the Schlage Home app's key");
        }
        if (options.RequestTimeout <= TimeSpan.Zero || options.RequestTimeout > TimeSpan.FromMinutes(5))
        {
            Fail("request_timeout", "must be between 1 second and 5 minutes (lock commands take 5-30 s; 30 s is a good value)");
        }
        if (options.MaxCallsPerMinute is < 1 or > 600)
        {
            Fail("max_calls_per_minute", "must be between 1 and 600 (default 30; the cloud may block faster clients)");
        }
        if (options.BudgetWait < TimeSpan.Zero)
        {
            Fail("budget_wait", "must not be negative");
        }
        if (options.ReadRetries is < 0 or > 10)
        {
            Fail("read_retries", "must be between 0 and 10");
        }
        if (options.RetryBaseDelay <= TimeSpan.Zero)
        {
            Fail("retry_base_delay", "must be positive");
        }
        if (options.MaxRetryAfter < TimeSpan.Zero)
        {
            Fail("max_retry_after", "must not be negative");
        }
        if (options.BreakerFailureRatio is <= 0 or > 1)
        {
            Fail("breaker_failure_ratio", "must be greater than 0 and at most 1");
        }
        if (options.BreakerMinimumThroughput < 2)
        {
            Fail("breaker_minimum_throughput", "must be at least 2");
        }
        if (options.BreakerSamplingDuration < TimeSpan.FromMilliseconds(500))
        {
            Fail("breaker_sampling_duration", "must be at least 0.5 seconds");
        }
        if (options.BreakerBreakDuration < TimeSpan.FromMilliseconds(500))
        {
            Fail("breaker_break_duration", "must be at least 0.5 seconds");
        }

        ValidateCognito(options.Cognito, Fail);

        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Accounts.Count; i++)
        {
            ValidateAccount(options.Accounts[i], $"accounts[{i}]", keys, Fail);
        }
        return errors;
    }

    private static void ValidateCognito(CognitoOptions cognito, Action<string, string> fail)
    {
        if (cognito is null)
        {
            fail("cognito", "must be set");
            return;
        }
        if (string.IsNullOrWhiteSpace(cognito.Region) || !RegionPattern().IsMatch(cognito.Region))
        {
            fail("cognito.region", "must be an AWS region such as us-west-2");
        }
        if (string.IsNullOrWhiteSpace(cognito.UserPoolId) || !UserPoolIdPattern().IsMatch(cognito.UserPoolId))
        {
            fail("cognito.user_pool_id", "must look like <region>_<pool name>, e.g. us-west-2_2zhrVs9d4");
        }
        if (string.IsNullOrWhiteSpace(cognito.ClientId))
        {
            fail("cognito.client_id", $"must not be empty; remove the setting to use {CognitoOptions.DefaultClientId}");
        }
        if (cognito.ClientSecret is { Length: > 0 } secret && string.IsNullOrWhiteSpace(secret))
        {
            fail("cognito.client_secret", "must not be blank; remove it when the app client has no secret");
        }
        if (!Enum.IsDefined(cognito.TokenType))
        {
            fail("cognito.token_type", "must be access or id");
        }
        if (cognito.Endpoint is not null && !IsHttpUrl(cognito.Endpoint))
        {
            fail("cognito.endpoint", "must be an absolute http(s) URL, or be removed to use the AWS endpoint of the region");
        }
        if (cognito.RefreshLeeway < TimeSpan.Zero || cognito.RefreshLeeway > TimeSpan.FromMinutes(30))
        {
            fail("cognito.refresh_leeway", "must be between 0 and 30 minutes (tokens last about 60 minutes)");
        }
    }

    private static void ValidateAccount(SchlageAccountOptions account, string path, HashSet<string> keys, Action<string, string> fail)
    {
        if (account is null)
        {
            fail(path, "must not be empty");
            return;
        }
        if (string.IsNullOrWhiteSpace(account.Key))
        {
            fail($"{path}.key", "must not be empty");
        }
        else if (!keys.Add(account.Key))
        {
            fail($"{path}.key", $"'{account.Key}' is used by two accounts; give each account its own key");
        }
        var hasUser = !string.IsNullOrWhiteSpace(account.Username);
        if (hasUser && !account.Username!.Contains('@', StringComparison.Ordinal))
        {
            fail($"{path}.username", "must be the email address of the Schlage Home account");
        }
        if (!string.IsNullOrEmpty(account.Password) && !hasUser)
        {
            fail($"{path}.username", "is required when a password is set");
        }
        if (!hasUser && string.IsNullOrWhiteSpace(account.AccessToken) && string.IsNullOrWhiteSpace(account.RefreshToken))
        {
            fail(path, "needs a username (with a password, or after `schlage2mqtt login`) or a pasted access_token / refresh_token");
        }
    }

    private static bool IsHttpUrl(Uri? uri) =>
        uri is { IsAbsoluteUri: true } && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
}
