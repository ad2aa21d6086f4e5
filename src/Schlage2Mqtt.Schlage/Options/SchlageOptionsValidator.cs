using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Schlage2Mqtt.Schlage.Options;

/// <summary>
/// The one place that knows the Schlage layer's ranges and rules. Every problem names its key in the config file's
/// snake_case spelling (e.g. <c>cognito.region</c>, <c>accounts[0].username</c>), after an optional key prefix, and
/// says what to do; the configuration loader runs it with <c>schlage.</c> so its messages point into the YAML.
/// </summary>
public sealed partial class SchlageOptionsValidator : IValidateOptions<SchlageCloudOptions>
{
    private readonly string _prefix;

    /// <summary>A validator whose keys are relative to the <c>schlage:</c> section (e.g. <c>cognito.region</c>).</summary>
    public SchlageOptionsValidator()
        : this("")
    {
    }

    /// <summary>A validator whose keys start with <paramref name="keyPrefix"/> (e.g. <c>schlage.</c>).</summary>
    public SchlageOptionsValidator(string keyPrefix)
    {
        ArgumentNullException.ThrowIfNull(keyPrefix);
        _prefix = keyPrefix;
    }

    // An AWS region ends in a number of any length; the user pool id repeats the region, so both patterns agree.
    [GeneratedRegex("^[a-z]{2}(-[a-z]+)+-[0-9]+$")]
    private static partial Regex RegionPattern();

    [GeneratedRegex("^[a-z]{2}(-[a-z]+)+-[0-9]+_[0-9A-Za-z]+$")]
    private static partial Regex UserPoolIdPattern();

    // Account names key stored tokens and appear in logs and bridge/info, so they stay file- and topic-safe.
    [GeneratedRegex("^[A-Za-z0-9_-]{1,32}$")]
    private static partial Regex NamePattern();

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SchlageCloudOptions options)
    {
        var failures = new List<string>();
        Check(options, (key, message) => failures.Add($"{key}: {message}"));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Reports every problem of <paramref name="options"/> to <paramref name="fail"/> as (key, message), in field order.</summary>
    public void Check(SchlageCloudOptions options, Action<string, string> fail)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(fail);
        void Fail(string key, string message) => fail(_prefix + key, message);

        if (!IsHttpUrl(options.ApiBaseUrl))
        {
            Fail("api_base_url", $"'{options.ApiBaseUrl?.OriginalString}' is not an http(s) URL; use e.g. {SchlageCloudOptions.DefaultApiBaseUrl}");
        }
        if (string.IsNullOrWhiteSpace(options.ApiKey))
        {
            Fail("api_key", "must not be empty; remove the setting to use the Schlage Home app's key");
        }
        Range(Fail, "request_timeout", options.RequestTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5), "lock commands take 5-30 s");
        if (options.MaxCallsPerMinute is < 1 or > 600)
        {
            Fail("max_calls_per_minute", $"'{options.MaxCallsPerMinute}' is not allowed; use a whole number from 1 to 600 calls per minute per account");
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
        Range(Fail, "max_retry_after", options.RetryAfterCap, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1), null);
        if (options.MaxRetryAfter < TimeSpan.Zero)
        {
            Fail("max_retry_after_wait", "must not be negative");
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

        CheckCognito(options.Cognito, Fail);
        CheckPush(options.Push, Fail);

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Accounts.Count; i++)
        {
            CheckAccount(options.Accounts[i], $"accounts[{i}]", names, Fail);
        }
    }

    private static void CheckCognito(CognitoOptions cognito, Action<string, string> fail)
    {
        if (cognito is null)
        {
            fail("cognito", "must be set");
            return;
        }
        if (string.IsNullOrWhiteSpace(cognito.Region) || !RegionPattern().IsMatch(cognito.Region))
        {
            fail("cognito.region", $"'{cognito.Region}' is not an AWS region; use e.g. us-west-2");
        }
        if (string.IsNullOrWhiteSpace(cognito.UserPoolId) || !UserPoolIdPattern().IsMatch(cognito.UserPoolId))
        {
            fail("cognito.user_pool_id", $"'{cognito.UserPoolId}' is not a Cognito user pool id; use <region>_<id>, e.g. us-west-2_2zhrVs9d4");
        }
        if (string.IsNullOrWhiteSpace(cognito.ClientId))
        {
            fail("cognito.client_id", $"must not be empty; remove the setting to use {CognitoOptions.DefaultClientId}");
        }
        if (cognito.ClientSecret is { Length: > 0 } secret && string.IsNullOrWhiteSpace(secret))
        {
            fail("cognito.client_secret", "must not be blank; set it to \"\" when the app client has no secret");
        }
        if (!Enum.IsDefined(cognito.TokenType))
        {
            fail("cognito.token_type", "must be access or id");
        }
        if (cognito.Endpoint is not null && !IsHttpUrl(cognito.Endpoint))
        {
            fail("cognito.endpoint", $"'{cognito.Endpoint.OriginalString}' is not an http(s) URL; remove it to use the AWS endpoint of the region");
        }
        if (cognito.RefreshLeeway < TimeSpan.Zero || cognito.RefreshLeeway > TimeSpan.FromMinutes(30))
        {
            fail("cognito.refresh_leeway", "must be between 0 and 30 minutes (tokens last about 60 minutes)");
        }
    }

    private void CheckPush(PushOptions push, Action<string, string> fail)
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
            fail("push.subscriber_api_url", $"'{push.SubscriberApiBaseUrl.OriginalString}' is not an http(s) URL; use e.g. https://api.example.com/v1");
        }
        else if (push.Mode == PushMode.Subscribers && push.SubscriberApiBaseUrl is null)
        {
            fail("push.mode", $"is subscribers but {_prefix}push.subscriber_api_url is not set; give the subscriber API's base URL, or use consumer_cloud");
        }
        if (push.SubscriberWebSocketUrl is { } ws && !(ws.IsAbsoluteUri && (ws.Scheme == "ws" || ws.Scheme == "wss")))
        {
            fail("push.subscriber_websocket_url", $"'{ws.OriginalString}' is not a websocket URL; use ws://host:port/path or wss://host/path, or remove it to derive it from {_prefix}push.subscriber_api_url");
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

    private void CheckAccount(SchlageAccountOptions account, string path, HashSet<string> names, Action<string, string> fail)
    {
        if (account is null)
        {
            fail(path, "must not be empty");
            return;
        }
        if (string.IsNullOrWhiteSpace(account.Key) || !NamePattern().IsMatch(account.Key))
        {
            fail($"{path}.name", $"'{account.Key}' is not a valid name; use 1-32 letters, digits, '-' or '_'");
        }
        else if (!names.Add(account.Key))
        {
            fail($"{path}.name", $"'{account.Key}' is used by another account; names must be unique");
        }
        var hasUser = !string.IsNullOrWhiteSpace(account.Username);
        if (hasUser && !account.Username!.Contains('@', StringComparison.Ordinal))
        {
            fail($"{path}.username", $"'{account.Username}' is not an email address; use the email you sign in to the Schlage Home app with");
        }
        // One message per account: a password without a username already says what is missing.
        if (!string.IsNullOrEmpty(account.Password) && !hasUser)
        {
            fail($"{path}.password", $"is set but {_prefix}{path}.username is not; add the account's email as username");
        }
        else if (!hasUser && string.IsNullOrWhiteSpace(account.AccessToken) && string.IsNullOrWhiteSpace(account.RefreshToken))
        {
            fail($"{path}.username", "is missing; an account needs username (+ password, or run `schlage2mqtt login`), or pasted access_token / refresh_token");
        }
    }

    private static void Range(Action<string, string> fail, string key, TimeSpan value, TimeSpan min, TimeSpan max, string? why)
    {
        if (value < min)
        {
            fail(key, $"'{Text(value)}' is below the minimum of {Text(min)}{(why is null ? "" : $" ({why})")}");
        }
        else if (value > max)
        {
            fail(key, $"'{Text(value)}' is above the maximum of {Text(max)}");
        }
    }

    // The config file's duration spelling (15s, 2m, 1h), so a message quotes the value as the user could write it.
    private static string Text(TimeSpan t) =>
        t.TotalMilliseconds % 1000 != 0 ? $"{t.TotalMilliseconds:0}ms"
        : t.TotalSeconds % 3600 == 0 && t.TotalSeconds > 0 ? $"{t.TotalHours:0}h"
        : t.TotalSeconds % 60 == 0 && t.TotalSeconds > 0 ? $"{t.TotalMinutes:0}m"
        : $"{t.TotalSeconds:0}s";

    private static bool IsHttpUrl(Uri? uri) =>
        uri is { IsAbsoluteUri: true } && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
}
