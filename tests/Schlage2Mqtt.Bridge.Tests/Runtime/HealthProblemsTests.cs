using Schlage2Mqtt.Cloud;

namespace Schlage2Mqtt.Bridge.Tests.Runtime;

/// <summary>An account that cannot sign in makes the bridge unhealthy with a problem naming the account and the fix.</summary>
public sealed class HealthProblemsTests
{
    [Fact]
    public async Task Reauth_required_is_unhealthy_with_a_problem_naming_the_account_and_the_fix()
    {
        await using var h = new BridgeHarness();
        await h.StartAsync();
        Assert.True(h.Runtime.Health().Healthy);
        Assert.Empty(h.Runtime.Health().Document["problems"]!.AsArray());

        h.Account.AuthState = new AccountAuthState(AuthStatus.ReauthRequired, "Schlage account 'home' has no valid token: run `schlage2mqtt login`.", h.Time.GetUtcNow());
        var (healthy, document) = h.Runtime.Health();

        Assert.False(healthy);
        var problem = Assert.Single(document["problems"]!.AsArray())!.GetValue<string>();
        Assert.Contains("'home'", problem, StringComparison.Ordinal);
        Assert.Contains("schlage2mqtt login", problem, StringComparison.Ordinal);
        Assert.Equal("reauth_required", document["cloud"]![0]!["auth"]!.GetValue<string>());
        Assert.Contains("schlage2mqtt login", document["cloud"]![0]!["auth_message"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
