using Schlage2Mqtt.Cloud;
using Schlage2Mqtt.Schlage.Tests.Fakes;
using Schlage2Mqtt.Schlage.Tests.Support;

namespace Schlage2Mqtt.Schlage.Tests.Cloud;

/// <summary>A long Retry-After is cut to the cap: the account's calls are held back for the cap, not for as long as the cloud asked.</summary>
public sealed class RetryAfterCapTests
{
    [Fact]
    public async Task A_300_s_Retry_After_holds_calls_back_for_the_60_s_cap_and_says_so()
    {
        using var h = new CloudHarness();
        h.Cloud.AddWiFiLock("lock-1");
        var account = h.Account();
        var warnings = new List<string>();
        account.Warned += warnings.Add;
        Assert.True((await account.ListLocksAsync(default)).IsSuccess);
        h.Cloud.Inject("GET", "devices/lock-1", Fault.Http(429, "Too Many Requests", retryAfter: TimeSpan.FromSeconds(300)));
        var throttledAt = h.Time.GetUtcNow();

        var throttled = await h.Drive(account.GetLockAsync("lock-1", default));

        Assert.Equal(CloudFailureKind.Throttled, throttled.Failure!.Kind);
        Assert.Equal(TimeSpan.FromSeconds(60), throttled.Failure.RetryAfter);
        var warning = Assert.Single(warnings);
        Assert.Contains("account home", warning, StringComparison.Ordinal);
        Assert.Contains("300 s", warning, StringComparison.Ordinal);
        Assert.Contains("60 s", warning, StringComparison.Ordinal);

        // A command meanwhile answers throttled at once (within the budget wait) with the time left.
        var command = await h.Drive(account.SetLockedAsync("lock-1", false, default));
        Assert.Equal(CloudFailureKind.Throttled, command.Failure!.Kind);
        Assert.Matches(@"try again in [1-6]?\d s", command.Failure.Message);
        Assert.True(command.Failure.RetryAfter <= TimeSpan.FromSeconds(60));

        h.Time.Advance(TimeSpan.FromSeconds(60) - (h.Time.GetUtcNow() - throttledAt));
        var later = await h.Drive(account.GetLockAsync("lock-1", default));
        Assert.True(later.IsSuccess, later.Failure?.ToString());
        var call = h.Cloud.Requests.Last(r => r.Path == "devices/lock-1");
        Assert.InRange(call.At - throttledAt, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(120));
    }

    [Fact]
    public async Task The_cap_is_configurable_and_a_Retry_After_under_it_is_honoured_in_full()
    {
        using var h = new CloudHarness();
        h.Cloud.AddWiFiLock("lock-1");
        var account = h.Account(tweak: o => o with { RetryAfterCap = TimeSpan.FromSeconds(10) });
        var warnings = new List<string>();
        account.Warned += warnings.Add;
        Assert.True((await account.ListLocksAsync(default)).IsSuccess);
        h.Cloud.Inject("GET", "devices/lock-1", Fault.Http(429, "Too Many Requests", retryAfter: TimeSpan.FromSeconds(8)));

        var result = await h.Drive(account.GetLockAsync("lock-1", default));

        Assert.True(result.IsSuccess, result.Failure?.ToString());
        Assert.Empty(warnings);
    }
}
