using Schlage2Mqtt.Schlage.Auth;
using Schlage2Mqtt.Cloud;
using Schlage2Mqtt.Schlage.Tests.Support;

namespace Schlage2Mqtt.Schlage.Tests.Auth;

/// <summary>Full SRP logins against the fake cloud's real server-side SRP check.</summary>
public class LoginTests
{
    [Fact]
    public async Task Login_succeeds_stores_the_refresh_token_and_lists_locks()
    {
        using var h = new CloudHarness();
        h.Cloud.AddWiFiLock("lock-1", owner: h.User);

        var result = await h.Login().LoginAsync("home", CloudHarness.Email, CloudHarness.Password, default);

        Assert.True(result.Succeeded, result.Failure?.Message);
        Assert.Equal("lock-1", Assert.Single(result.Locks).DeviceId);
        Assert.Equal(1, h.Cloud.SrpLogins);
        var stored = await h.Store.LoadAsync("home", default);
        Assert.NotNull(stored);
        Assert.StartsWith("refresh-", stored.RefreshToken, StringComparison.Ordinal);
        Assert.Equal(h.User.UserIdForSrp, stored.UserIdForSrp);
        Assert.Equal(CloudHarness.Email, stored.Username);
        Assert.DoesNotContain(CloudHarness.Password, stored.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mixed_case_email_is_lower_cased()
    {
        using var h = new CloudHarness();

        var result = await h.Login().LoginAsync("home", "  Alice@Example.COM ", CloudHarness.Password, default);

        Assert.True(result.Succeeded, result.Failure?.Message);
    }

    [Fact]
    public async Task Wrong_password_fails_with_the_typed_error()
    {
        using var h = new CloudHarness();

        var result = await h.Login().LoginAsync("home", CloudHarness.Email, "not-the-password", default);

        Assert.False(result.Succeeded);
        Assert.Equal(AuthFailureKind.WrongPassword, result.Failure!.Kind);
        Assert.Equal("NotAuthorizedException", result.Failure.CognitoErrorType);
        Assert.Contains("schlage2mqtt login", result.Failure.Message, StringComparison.Ordinal);
        Assert.Equal(1, h.Cloud.FailedLogins);
        Assert.Null(await h.Store.LoadAsync("home", default));
    }

    [Fact]
    public async Task Unknown_user_fails_with_the_typed_error()
    {
        using var h = new CloudHarness();

        var result = await h.Login().LoginAsync("home", "bob@example.com", CloudHarness.Password, default);

        Assert.Equal(AuthFailureKind.UnknownUser, result.Failure!.Kind);
    }

    [Fact]
    public async Task Unconfirmed_user_fails_with_the_typed_error()
    {
        using var h = new CloudHarness();
        h.User.Confirmed = false;

        var result = await h.Login().LoginAsync("home", CloudHarness.Email, CloudHarness.Password, default);

        Assert.Equal(AuthFailureKind.UserNotConfirmed, result.Failure!.Kind);
    }

    [Fact]
    public async Task Password_reset_required_fails_with_the_typed_error()
    {
        using var h = new CloudHarness();
        h.User.ResetRequired = true;

        var result = await h.Login().LoginAsync("home", CloudHarness.Email, CloudHarness.Password, default);

        Assert.Equal(AuthFailureKind.PasswordResetRequired, result.Failure!.Kind);
        Assert.Contains("reset", result.Failure.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Throttling_fails_with_the_typed_error()
    {
        using var h = new CloudHarness();
        h.Cloud.InjectCognitoError("TooManyRequestsException");

        var result = await h.Login().LoginAsync("home", CloudHarness.Email, CloudHarness.Password, default);

        Assert.Equal(AuthFailureKind.Throttled, result.Failure!.Kind);
        Assert.False(result.Failure.NeedsUser);
    }

    [Fact]
    public async Task Secret_hash_is_sent_and_checked_when_a_client_secret_is_configured()
    {
        using var h = new CloudHarness(clientSecret: "fake-client-secret");
        var wrongSecret = h.Cloud.Options() with { Cognito = h.Cloud.Options().Cognito with { ClientSecret = "some-other-secret" } };
        var login = new Schlage2Mqtt.Schlage.Provider.SchlageLogin(wrongSecret, h.Store, h.Http, h.Time, h.Logs);

        var refused = await login.LoginAsync("home", CloudHarness.Email, CloudHarness.Password, default);
        var accepted = await h.Login().LoginAsync("home", CloudHarness.Email, CloudHarness.Password, default);

        Assert.Equal(AuthFailureKind.Misconfigured, refused.Failure!.Kind);
        Assert.Contains("client_secret", refused.Failure.Message, StringComparison.Ordinal);
        Assert.True(accepted.Succeeded);
    }

    [Fact]
    public async Task Without_a_client_secret_no_secret_hash_is_needed()
    {
        using var h = new CloudHarness(clientSecret: null);

        var result = await h.Login().LoginAsync("home", CloudHarness.Email, CloudHarness.Password, default);

        Assert.True(result.Succeeded, result.Failure?.Message);
    }

    [Fact]
    public async Task A_password_account_logs_in_on_first_use()
    {
        using var h = new CloudHarness();
        h.Cloud.AddWiFiLock("lock-1");
        var account = h.Account();

        var locks = await account.ListLocksAsync(default);

        Assert.True(locks.IsSuccess, locks.Failure?.ToString());
        Assert.Equal(AuthStatus.Ok, account.AuthState.Status);
        Assert.Equal("ok", account.AuthState.Code);
        Assert.Equal(1, h.Cloud.SrpLogins);
    }

    [Fact]
    public async Task A_wrong_configured_password_marks_the_account_reauth_required()
    {
        using var h = new CloudHarness();
        var account = h.Account(CloudHarness.PasswordAccount() with { Password = "wrong" });

        var locks = await account.ListLocksAsync(default);

        Assert.Equal(CloudFailureKind.ReauthRequired, locks.Failure!.Kind);
        Assert.Equal(AuthStatus.ReauthRequired, account.AuthState.Status);
        Assert.Equal("reauth_required", account.AuthState.Code);
        Assert.Equal(nameof(AuthFailureKind.WrongPassword), account.AuthState.Failure);
        Assert.Empty(h.Cloud.Requests);
    }
}
