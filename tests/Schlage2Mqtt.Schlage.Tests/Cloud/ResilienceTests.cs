using Schlage2Mqtt.Cloud;
using Schlage2Mqtt.Schlage.Tests.Fakes;
using Schlage2Mqtt.Schlage.Tests.Support;

namespace Schlage2Mqtt.Schlage.Tests.Cloud;

/// <summary>Timeouts, retries, Retry-After, outcome-unknown writes, the circuit breaker and the call budget.</summary>
public class ResilienceTests
{
    private static async Task<(CloudHarness H, Schlage2Mqtt.Schlage.Provider.SchlageLockAccount Account)> ReadyAsync(
        Func<Schlage2Mqtt.Schlage.Options.SchlageCloudOptions, Schlage2Mqtt.Schlage.Options.SchlageCloudOptions>? tweak = null)
    {
        var h = new CloudHarness();
        h.Cloud.AddWiFiLock("lock-1");
        var account = h.Account(tweak: tweak);
        Assert.True((await account.ListLocksAsync(default)).IsSuccess);
        return (h, account);
    }

    [Fact]
    public async Task A_read_answered_5xx_is_retried_with_backoff_and_succeeds()
    {
        var (h, account) = await ReadyAsync();
        using var _ = h;
        h.Cloud.Inject("GET", "devices/lock-1", Fault.Http(503, "busy"), times: 2);
        var before = h.Cloud.Requests.Count;

        var result = await h.Drive(account.GetLockAsync("lock-1", default));

        Assert.True(result.IsSuccess, result.Failure?.ToString());
        var calls = h.Cloud.Requests.Skip(before).ToList();
        Assert.Equal([503, 503, 200], calls.Select(c => c.Status));
        Assert.True(calls[1].At > calls[0].At && calls[2].At > calls[1].At, "each retry waited");
    }

    [Fact]
    public async Task A_read_that_keeps_failing_reports_ServerError_with_status_and_message_after_the_retries()
    {
        var (h, account) = await ReadyAsync();
        using var _ = h;
        h.Cloud.Inject("GET", "devices/lock-1", Fault.Http(500, "database on fire"), times: 10);
        var before = h.Cloud.Requests.Count;

        var result = await h.Drive(account.GetLockAsync("lock-1", default));

        Assert.Equal(CloudFailureKind.ServerError, result.Failure!.Kind);
        Assert.Equal(500, result.Failure.HttpStatus);
        Assert.Equal("database on fire", result.Failure.CloudMessage);
        Assert.Equal(4, h.Cloud.Requests.Count - before);
    }

    [Fact]
    public async Task A_read_that_times_out_is_retried()
    {
        var (h, account) = await ReadyAsync();
        using var _ = h;
        h.Cloud.Inject("GET", "devices/lock-1", Fault.Hanging());
        var before = h.Cloud.Requests.Count;
        var start = h.Time.GetUtcNow();

        var result = await h.Drive(account.GetLockAsync("lock-1", default));

        Assert.True(result.IsSuccess, result.Failure?.ToString());
        Assert.Equal(2, h.Cloud.Requests.Count - before);
        Assert.True(h.Cloud.Requests[^1].At - start >= TimeSpan.FromSeconds(30), "the first attempt ran into the 30 s timeout");
    }

    [Fact]
    public async Task A_network_error_on_a_read_is_retried()
    {
        var (h, account) = await ReadyAsync();
        using var _ = h;
        h.Cloud.Inject("GET", "devices/lock-1", Fault.Transport(HttpRequestError.ConnectionError));

        var result = await h.Drive(account.GetLockAsync("lock-1", default));

        Assert.True(result.IsSuccess, result.Failure?.ToString());
    }

    [Fact]
    public async Task A_write_answered_504_is_outcome_unknown_never_retried_and_a_later_read_shows_it_applied()
    {
        var (h, account) = await ReadyAsync();
        using var _ = h;
        h.Cloud.Inject("PUT", "devices/lock-1", Fault.Http(504, "Endpoint request timed out", applyAnyway: true));

        var result = await h.Drive(account.SetLockedAsync("lock-1", false, default));

        Assert.True(result.IsOutcomeUnknown);
        Assert.Equal(504, result.Failure!.HttpStatus);
        Assert.Equal("Endpoint request timed out", result.Failure.CloudMessage);
        Assert.Single(h.Cloud.Requests, r => r.Method == "PUT");
        Assert.Equal(LockState.Unlocked, (await account.GetLockAsync("lock-1", default)).Value!.State);
    }

    [Fact]
    public async Task A_write_answered_500_is_outcome_unknown()
    {
        var (h, account) = await ReadyAsync();
        using var _ = h;
        h.Cloud.Inject("POST", "devices/lock-1/commands", Fault.Http(500, "Internal error"));

        var result = await h.Drive(account.UpdateAccessCodeAsync("lock-1", "code-1", new NewAccessCode { Name = "A", Code = "1234" }, default));

        Assert.True(result.IsOutcomeUnknown);
        Assert.Single(h.Cloud.Requests, r => r.Method == "POST");
    }

    [Fact]
    public async Task A_write_that_times_out_is_outcome_unknown_and_not_retried()
    {
        var (h, account) = await ReadyAsync();
        using var _ = h;
        h.Cloud.Inject("PUT", "devices/lock-1", Fault.Hanging());

        var result = await h.Drive(account.SetBeeperAsync("lock-1", false, default));

        Assert.True(result.IsOutcomeUnknown);
        Assert.Contains("may still be applied", result.Failure!.Message, StringComparison.Ordinal);
        Assert.Single(h.Cloud.Requests, r => r.Method == "PUT");
    }

    [Fact]
    public async Task A_write_whose_connection_was_refused_is_unavailable_not_unknown()
    {
        var (h, account) = await ReadyAsync();
        using var _ = h;
        h.Cloud.Inject("PUT", "devices/lock-1", Fault.Transport(HttpRequestError.ConnectionError));
        h.Cloud.Inject("PUT", "devices/lock-1", Fault.Transport(HttpRequestError.ResponseEnded));

        var refused = await h.Drive(account.SetBeeperAsync("lock-1", false, default));
        var broken = await h.Drive(account.SetBeeperAsync("lock-1", false, default));

        Assert.Equal(CloudFailureKind.Unavailable, refused.Failure!.Kind);
        Assert.True(broken.IsOutcomeUnknown);
    }

    [Fact]
    public async Task A_503_to_lock_unlock_means_the_lock_is_offline()
    {
        var (h, account) = await ReadyAsync();
        using var _ = h;
        h.Cloud.Inject("PUT", "devices/lock-1", Fault.Http(503, "Device offline"));

        var result = await h.Drive(account.SetLockedAsync("lock-1", true, default));

        Assert.Equal(CloudFailureKind.LockOffline, result.Failure!.Kind);
        Assert.Equal(503, result.Failure.HttpStatus);
    }

    [Fact]
    public async Task A_429_on_a_read_waits_for_Retry_After()
    {
        var (h, account) = await ReadyAsync();
        using var _ = h;
        h.Cloud.Inject("GET", "devices/lock-1", Fault.Http(429, "Too Many Requests", retryAfter: TimeSpan.FromSeconds(17)));
        var before = h.Cloud.Requests.Count;

        var result = await h.Drive(account.GetLockAsync("lock-1", default));

        Assert.True(result.IsSuccess);
        var calls = h.Cloud.Requests.Skip(before).ToList();
        Assert.Equal([429, 200], calls.Select(c => c.Status));
        Assert.True(calls[1].At - calls[0].At >= TimeSpan.FromSeconds(17));
    }

    [Fact]
    public async Task A_429_holds_back_the_accounts_other_calls_too()
    {
        var (h, account) = await ReadyAsync();
        using var _ = h;
        h.Cloud.Inject("GET", "devices/lock-1", Fault.Http(429, "Too Many Requests", retryAfter: TimeSpan.FromSeconds(15)));
        var throttledAt = h.Time.GetUtcNow();
        var first = account.GetLockAsync("lock-1", default);
        var other = account.GetLogsAsync("lock-1", 5, default);

        await h.Drive(Task.WhenAll(first, other).ContinueWith(_ => true, TaskScheduler.Default));

        Assert.True((await other).IsSuccess);
        var logsCall = h.Cloud.Requests.Single(r => r.Path.StartsWith("devices/lock-1/logs", StringComparison.Ordinal));
        Assert.True(logsCall.At - throttledAt >= TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task Calls_that_cannot_wait_out_a_Retry_After_fail_as_throttled_without_calling()
    {
        var (h, account) = await ReadyAsync(o => o with { ReadRetries = 0, BudgetWait = TimeSpan.FromSeconds(10) });
        using var _ = h;
        h.Cloud.Inject("GET", "devices/lock-1", Fault.Http(429, "Too Many Requests", retryAfter: TimeSpan.FromSeconds(40)));
        await account.GetLockAsync("lock-1", default);
        var sent = h.Cloud.Requests.Count;

        var other = await h.Drive(account.GetLogsAsync("lock-1", 5, default));

        Assert.Equal(CloudFailureKind.Throttled, other.Failure!.Kind);
        Assert.True(other.Failure.RetryAfter > TimeSpan.FromSeconds(10));
        Assert.Equal(sent, h.Cloud.Requests.Count);
    }

    [Fact]
    public async Task A_429_on_a_write_is_retried_once_after_Retry_After_because_it_was_not_applied()
    {
        var (h, account) = await ReadyAsync();
        using var _ = h;
        h.Cloud.Inject("PUT", "devices/lock-1", Fault.Http(429, "Too Many Requests", retryAfter: TimeSpan.FromSeconds(5)));

        var result = await h.Drive(account.SetLockedAsync("lock-1", false, default));

        Assert.True(result.IsSuccess, result.Failure?.ToString());
        var puts = h.Cloud.Requests.Where(r => r.Method == "PUT").ToList();
        Assert.Equal([429, 200], puts.Select(p => p.Status));
        Assert.True(puts[1].At - puts[0].At >= TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_Retry_After_beyond_the_limit_is_reported_as_throttled_with_the_wait()
    {
        var (h, account) = await ReadyAsync();
        using var _ = h;
        h.Cloud.Inject("GET", "devices/lock-1", Fault.Http(429, "Slow down", retryAfter: TimeSpan.FromMinutes(10)));
        var before = h.Cloud.Requests.Count;

        var result = await h.Drive(account.GetLockAsync("lock-1", default));

        Assert.Equal(CloudFailureKind.Throttled, result.Failure!.Kind);
        Assert.Equal(429, result.Failure.HttpStatus);
        // The wait applied, cut to schlage.max_retry_after (60 s): the cloud's 10 minutes would block every call.
        Assert.Equal(TimeSpan.FromSeconds(60), result.Failure.RetryAfter);
        Assert.Equal(1, h.Cloud.Requests.Count - before);
    }

    [Fact]
    public async Task The_circuit_opens_after_repeated_failures_then_half_opens_and_closes()
    {
        var (h, account) = await ReadyAsync(o => o with
        {
            ReadRetries = 0,
            BreakerMinimumThroughput = 4,
            BreakerFailureRatio = 0.5,
            BreakerSamplingDuration = TimeSpan.FromSeconds(60),
            BreakerBreakDuration = TimeSpan.FromSeconds(30),
        });
        using var _ = h;
        // With the warm-up success in the window, the third failure makes 3 of 4 calls fail: open.
        h.Cloud.Inject("GET", "devices/lock-1", Fault.Http(500, "down"), times: 3);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(CloudFailureKind.ServerError, (await account.GetLockAsync("lock-1", default)).Failure!.Kind);
        }
        var sent = h.Cloud.Requests.Count;

        var whileOpen = await account.GetLockAsync("lock-1", default);
        Assert.Equal(CloudFailureKind.Unavailable, whileOpen.Failure!.Kind);
        Assert.Contains("circuit breaker", whileOpen.Failure.Message, StringComparison.Ordinal);
        Assert.Equal(sent, h.Cloud.Requests.Count);
        Assert.True(account.Statistics.CircuitOpen);

        h.Time.Advance(TimeSpan.FromSeconds(31));
        var trial = await account.GetLockAsync("lock-1", default);

        Assert.True(trial.IsSuccess, trial.Failure?.ToString());
        Assert.False(account.Statistics.CircuitOpen);
        Assert.True((await account.GetLockAsync("lock-1", default)).IsSuccess);
    }

    [Fact]
    public async Task A_failed_half_open_trial_opens_the_circuit_again()
    {
        var (h, account) = await ReadyAsync(o => o with { ReadRetries = 0, BreakerMinimumThroughput = 2, BreakerBreakDuration = TimeSpan.FromSeconds(30) });
        using var _ = h;
        h.Cloud.Inject("GET", "devices/lock-1", Fault.Http(502, "bad gateway"), times: 2);
        Assert.Equal(CloudFailureKind.ServerError, (await account.GetLockAsync("lock-1", default)).Failure!.Kind);
        Assert.True(account.Statistics.CircuitOpen);

        h.Time.Advance(TimeSpan.FromSeconds(31));
        var trial = await account.GetLockAsync("lock-1", default);
        var sent = h.Cloud.Requests.Count;
        var after = await account.GetLockAsync("lock-1", default);

        Assert.Equal(CloudFailureKind.ServerError, trial.Failure!.Kind);
        Assert.Equal(CloudFailureKind.Unavailable, after.Failure!.Kind);
        Assert.Equal(sent, h.Cloud.Requests.Count);
    }

    [Fact]
    public async Task Offline_lock_answers_do_not_open_the_circuit()
    {
        var (h, account) = await ReadyAsync(o => o with { BreakerMinimumThroughput = 2 });
        using var _ = h;
        h.Cloud.Inject("PUT", "devices/lock-1", Fault.Http(503, "Device offline"), times: 5);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(CloudFailureKind.LockOffline, (await account.SetLockedAsync("lock-1", true, default)).Failure!.Kind);
        }

        Assert.False(account.Statistics.CircuitOpen);
    }

    [Fact]
    public async Task The_call_budget_is_never_exceeded_under_a_burst_of_1000_requests()
    {
        var (h, account) = await ReadyAsync(o => o with { MaxCallsPerMinute = 30, BudgetWait = TimeSpan.FromSeconds(90) });
        using var _ = h;

        var start = h.Time.GetUtcNow();
        var burst = Enumerable.Range(0, 1000).Select(i => account.GetLockAsync("lock-1", default)).ToList();
        var results = await h.Drive(Task.WhenAll(burst), TimeSpan.FromSeconds(5));

        Assert.True(h.Cloud.MaxRequestsInAnyWindow(TimeSpan.FromMinutes(1)) <= 30);
        var succeeded = results.Count(r => r.IsSuccess);
        Assert.Equal(h.Cloud.Requests.Count - 1, succeeded);
        var minutes = (int)Math.Ceiling((h.Time.GetUtcNow() - start).TotalMinutes);
        Assert.InRange(succeeded, 29, 30 * (minutes + 1));
        Assert.All(results.Where(r => !r.IsSuccess), r =>
        {
            Assert.Equal(CloudFailureKind.Throttled, r.Failure!.Kind);
            Assert.Null(r.Failure.HttpStatus);
            Assert.NotNull(r.Failure.RetryAfter);
        });
        Assert.Equal(1000 - succeeded, account.Statistics.Throttled);
    }

    [Fact]
    public async Task Statistics_count_calls_errors_and_latency()
    {
        var (h, account) = await ReadyAsync(o => o with { ReadRetries = 0 });
        using var _ = h;
        h.Cloud.Inject("GET", "devices/lock-1", Fault.Http(500, "x"));
        await account.GetLockAsync("lock-1", default);
        await account.GetLockAsync("lock-1", default);

        var stats = account.Statistics;

        Assert.Equal(3, stats.Calls);
        Assert.Equal(1, stats.Errors);
        Assert.Equal(h.Time.GetUtcNow(), stats.LastCallAt);
        Assert.Equal(h.Time.GetUtcNow(), stats.LastErrorAt);
        Assert.Equal(TimeSpan.Zero, stats.MaxLatency);
    }
}
