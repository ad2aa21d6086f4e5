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
        if (options.RetryAfterCap <= TimeSpan.Zero)
        {
            Fail("max_retry_after", "must be positive");
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
        ValidatePush(options.Push, Fail);

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

    private static void ValidatePush(PushOptions push, Action<string, string> fail)
    {
        if (push is null)
        {
            fail("push", "must be set");
            return;
        }
        if (!Enum.IsDefined(push.Mode))
        {
            fail("push.mode", "must be consumer_cloud, subscribers or off");
        }
        if (push.SubscriberApiBaseUrl is not null && !IsHttpUrl(push.SubscriberApiBaseUrl))
        {
            fail("push.subscriber_api_url", "must be an absolute http(s) URL, e.g. https://api.example.com/v1");
        }
        else if (push.Mode == PushMode.Subscribers && push.SubscriberApiBaseUrl is null)
        {
            fail("push.subscriber_api_url", "is required when push.mode is subscribers (the base URL of the subscriber API); or choose another push.mode");
        }
        if (push.SubscriberWebSocketUrl is { } ws && !(ws.IsAbsoluteUri && (ws.Scheme == "ws" || ws.Scheme == "wss")))
        {
            fail("push.subscriber_websocket_url", "must be an absolute ws:// or wss:// URL, or be removed to derive it from push.subscriber_api_url");
        }
        if (push.ReconnectDelay < TimeSpan.FromMilliseconds(100) || push.ReconnectDelay > TimeSpan.FromMinutes(5))
        {
            fail("push.reconnect_delay", "must be between 0.1 seconds and 5 minutes (default 2 s)");
        }
        if (push.MaxReconnectDelay < push.ReconnectDelay || push.MaxReconnectDelay > TimeSpan.FromHours(1))
        {
            fail("push.max_reconnect_delay", "must be at least push.reconnect_delay and at most 1 hour (default 5 minutes)");
        }
        if (!(push.Jitter is >= 0 and <= 1))
        {
            fail("push.jitter", "must be between 0 and 1 (default 0.2)");
        }
        if (push.StableConnectionTime < TimeSpan.FromSeconds(1) || push.StableConnectionTime > TimeSpan.FromMinutes(10))
        {
            fail("push.stable_connection_time", "must be between 1 second and 10 minutes (default 30 s)");
        }
        if (push.EvictionConnections is < 2 or > 100)
        {
            fail("push.eviction_connections", "must be between 2 and 100 (default 3)");
        }
        if (push.EvictionWindow < push.StableConnectionTime || push.EvictionWindow > TimeSpan.FromHours(1))
        {
            fail("push.eviction_window", "must be at least push.stable_connection_time and at most 1 hour (default 5 minutes)");
        }
        if (push.EvictedBackoffMin < TimeSpan.FromSeconds(1) || push.EvictedBackoffMin > TimeSpan.FromHours(6))
        {
            fail("push.evicted_backoff_min", "must be between 1 second and 6 hours (default 10 minutes)");
        }
        if (push.EvictedBackoffMax < push.EvictedBackoffMin || push.EvictedBackoffMax > TimeSpan.FromHours(6))
        {
            fail("push.evicted_backoff_max", "must be at least push.evicted_backoff_min and at most 6 hours (default 30 minutes)");
        }
        if (push.DetailsRetries is < 0 or > 10)
        {
            fail("push.details_retries", "must be between 0 and 10 (default 3)");
        }
        if (push.DetailsRetryDelay < TimeSpan.FromMilliseconds(100) || push.DetailsRetryDelay > TimeSpan.FromMinutes(1))
        {
            fail("push.details_retry_delay", "must be between 0.1 seconds and 1 minute (default 2 s)");
        }
        if (push.KeepAlive < TimeSpan.FromSeconds(30) || push.KeepAlive > TimeSpan.FromSeconds(1200))
        {
            fail("push.keepalive", "must be between 30 and 1200 seconds (AWS IoT's range; default 60 s)");
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
