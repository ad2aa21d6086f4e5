using Schlage2Mqtt.Schlage.Auth;
using Schlage2Mqtt.Cloud;
using Schlage2Mqtt.Schlage.Options;
using Schlage2Mqtt.Schlage.Tests.Fakes;
using Schlage2Mqtt.Schlage.Tests.Support;

namespace Schlage2Mqtt.Schlage.Tests.Auth;

/// <summary>Refresh before expiry, after a 401, and what happens when refresh is refused.</summary>
public class TokenLifecycleTests
{
    [Fact]
    public async Task Tokens_are_refreshed_before_they_expire()
    {
        using var h = new CloudHarness();
        h.Cloud.AddWiFiLock("lock-1");
        var account = h.Account();
        Assert.True((await account.ListLocksAsync(default)).IsSuccess);

        // 60-minute tokens, 5-minute leeway: at 55 minutes the client renews before calling.
        h.Time.Advance(TimeSpan.FromMinutes(55) + TimeSpan.FromSeconds(1));
        var second = await account.ListLocksAsync(default);

        Assert.True(second.IsSuccess);
        Assert.Equal(1, h.Cloud.Refreshes);
        Assert.Equal(1, h.Cloud.SrpLogins);
        Assert.All(h.Cloud.Requests, r => Assert.Equal(200, r.Status));
    }

    [Fact]
    public async Task Tokens_inside_the_leeway_are_not_refreshed_early()
    {
        using var h = new CloudHarness();
        h.Cloud.AddWiFiLock("lock-1");
        var account = h.Account();
        await account.ListLocksAsync(default);

        h.Time.Advance(TimeSpan.FromMinutes(54));
        await account.ListLocksAsync(default);

        Assert.Equal(0, h.Cloud.Refreshes);
    }

    [Fact]
    public async Task A_401_mid_session_refreshes_once_and_retries_the_call_once()
    {
        using var h = new CloudHarness();
        h.Cloud.AddWiFiLock("lock-1");
        var account = h.Account();
        await account.ListLocksAsync(default);
        h.Cloud.ExpireAllTokens();
        var before = h.Cloud.Requests.Count;

        var result = await account.GetLockAsync("lock-1", default);

        Assert.True(result.IsSuccess, result.Failure?.ToString());
        Assert.Equal(1, h.Cloud.Refreshes);
        Assert.Equal(1, h.Cloud.SrpLogins);
        var calls = h.Cloud.Requests.Skip(before).ToList();
        Assert.Equal([401, 200], calls.Select(c => c.Status));
        Assert.NotEqual(calls[0].Authorization, calls[1].Authorization);
    }

    [Fact]
    public async Task A_second_401_is_reported_as_unauthorized_without_more_retries()
    {
        using var h = new CloudHarness();
        h.Cloud.AddWiFiLock("lock-1");
        var account = h.Account();
        await account.ListLocksAsync(default);
        h.Cloud.Inject("GET", "devices/lock-1", Fakes.Fault.Http(401, "Unauthorized"), times: 5);
        var before = h.Cloud.Requests.Count;

        var result = await account.GetLockAsync("lock-1", default);

        Assert.Equal(CloudFailureKind.Unauthorized, result.Failure!.Kind);
        Assert.Equal(401, result.Failure.HttpStatus);
        Assert.Equal(2, h.Cloud.Requests.Count - before);
        Assert.Equal(1, h.Cloud.Refreshes);
    }

    [Fact]
    public async Task A_write_refused_with_401_is_repeated_once_with_the_new_token()
    {
        using var h = new CloudHarness();
        h.Cloud.AddWiFiLock("lock-1");
        var account = h.Account();
        await account.ListLocksAsync(default);
        h.Cloud.ExpireAllTokens();

        var result = await account.SetLockedAsync("lock-1", false, default);

        Assert.True(result.IsSuccess, result.Failure?.ToString());
        Assert.Equal(0, (int)h.Cloud.Device("lock-1")["attributes"]!["lockState"]!);
        Assert.Equal(2, h.Cloud.Requests.Count(r => r.Method == "PUT"));
    }

    [Fact]
    public async Task Refresh_refused_falls_back_to_a_full_SRP_login_when_a_password_is_configured()
    {
        using var h = new CloudHarness();
        h.Cloud.AddWiFiLock("lock-1");
        var account = h.Account();
        await account.ListLocksAsync(default);
        var firstRefreshToken = (await h.Store.LoadAsync("home", default))!.RefreshToken;
        h.Cloud.RevokeRefreshTokens();
        h.Cloud.ExpireAllTokens();

        var result = await account.ListLocksAsync(default);

        Assert.True(result.IsSuccess, result.Failure?.ToString());
        Assert.Equal(1, h.Cloud.RefusedRefreshes);
        Assert.Equal(2, h.Cloud.SrpLogins);
        Assert.Equal(AuthStatus.Ok, account.AuthState.Status);
        Assert.NotEqual(firstRefreshToken, (await h.Store.LoadAsync("home", default))!.RefreshToken);
    }

    [Fact]
    public async Task Refresh_refused_without_a_password_marks_the_account_reauth_required()
    {
        using var h = new CloudHarness();
        h.Cloud.AddWiFiLock("lock-1");
        Assert.True((await h.Login().LoginAsync("home", CloudHarness.Email, CloudHarness.Password, default)).Succeeded);
        var account = h.Account(new SchlageAccountOptions { Key = "home", Username = CloudHarness.Email });
        Assert.True((await account.ListLocksAsync(default)).IsSuccess);
        h.Cloud.RevokeRefreshTokens();
        h.Cloud.ExpireAllTokens();

        var result = await account.ListLocksAsync(default);

        Assert.Equal(CloudFailureKind.ReauthRequired, result.Failure!.Kind);
        Assert.Equal(AuthStatus.ReauthRequired, account.AuthState.Status);
        Assert.Contains("schlage2mqtt login", account.AuthState.Message, StringComparison.Ordinal);
        Assert.Equal(1, h.Cloud.SrpLogins);
        Assert.Null(await h.Store.LoadAsync("home", default));
    }

    [Fact]
    public async Task A_SecretHash_mismatch_on_the_internal_username_retries_with_the_email_and_remembers_it()
    {
        using var h = new CloudHarness();
        h.Cloud.AddWiFiLock("lock-1");
        h.Cloud.AcceptedRefreshHash = RefreshHashForms.Email;
        var account = h.Account();
        await account.ListLocksAsync(default);

        h.Time.Advance(TimeSpan.FromMinutes(56));
        var refreshed = await account.ListLocksAsync(default);

        Assert.True(refreshed.IsSuccess, refreshed.Failure?.ToString());
        Assert.Equal(["internal", "email"], h.Cloud.RefreshHashesSeen);
        Assert.Equal(1, h.Cloud.SrpLogins);
        var stored = await h.Store.LoadAsync("home", default);
        Assert.NotNull(stored);
        Assert.Equal(CloudHarness.Email, stored.RefreshHashUsername);

        // The next refresh signs with the email straight away, and so does a restart reading the store.
        h.Time.Advance(TimeSpan.FromMinutes(56));
        Assert.True((await account.ListLocksAsync(default)).IsSuccess);
        using var restarted = h.Provider(CloudHarness.PasswordAccount());
        Assert.True((await restarted.Account("home").ListLocksAsync(default)).IsSuccess);

        Assert.Equal(["internal", "email", "email", "email"], h.Cloud.RefreshHashesSeen);
        Assert.Equal(1, h.Cloud.SrpLogins);
    }

    [Fact]
    public async Task A_SecretHash_mismatch_on_every_username_form_keeps_the_stored_refresh_token()
    {
        using var h = new CloudHarness();
        h.Cloud.AddWiFiLock("lock-1");
        Assert.True((await h.Login().LoginAsync("home", CloudHarness.Email, CloudHarness.Password, default)).Succeeded);
        var account = h.Account(new SchlageAccountOptions { Key = "home", Username = CloudHarness.Email });
        Assert.True((await account.ListLocksAsync(default)).IsSuccess);
        var storedToken = (await h.Store.LoadAsync("home", default))!.RefreshToken;
        h.Cloud.AcceptedRefreshHash = RefreshHashForms.None;
        h.Cloud.ExpireAllTokens();

        var result = await account.ListLocksAsync(default);

        Assert.False(result.IsSuccess);
        Assert.Equal(["internal", "email"], h.Cloud.RefreshHashesSeen.Skip(1));
        Assert.Contains("client_secret", account.AuthState.Message, StringComparison.Ordinal);
        Assert.Equal(storedToken, (await h.Store.LoadAsync("home", default))?.RefreshToken);

        // Once the pool accepts the hash again, the kept token works without a login.
        h.Cloud.AcceptedRefreshHash = RefreshHashForms.InternalUsername;
        Assert.True((await account.ListLocksAsync(default)).IsSuccess);
        Assert.Equal(1, h.Cloud.SrpLogins);
    }

    [Fact]
    public async Task A_restart_reuses_the_stored_refresh_token_without_logging_in()
    {
        using var h = new CloudHarness();
        h.Cloud.AddWiFiLock("lock-1");
        using (var first = h.Provider(CloudHarness.PasswordAccount()))
        {
            Assert.True((await first.Account("home").ListLocksAsync(default)).IsSuccess);
        }
        var loginsBefore = h.Cloud.SrpLogins;

        using var second = h.Provider(CloudHarness.PasswordAccount());
        var result = await second.Account("home").ListLocksAsync(default);

        Assert.True(result.IsSuccess, result.Failure?.ToString());
        Assert.Equal(1, loginsBefore);
        Assert.Equal(0, h.Cloud.SrpLogins - loginsBefore);
        Assert.Equal(1, h.Cloud.Refreshes);
    }

    [Fact]
    public async Task A_stored_token_of_another_username_is_not_used()
    {
        using var h = new CloudHarness();
        h.Cloud.AddUser("bob@example.com", "bobs-password");
        Assert.True((await h.Login().LoginAsync("home", "bob@example.com", "bobs-password", default)).Succeeded);

        var account = h.Account();
        Assert.True((await account.ListLocksAsync(default)).IsSuccess);

        Assert.Equal(2, h.Cloud.SrpLogins);
        Assert.Equal(0, h.Cloud.Refreshes);
    }

    [Fact]
    public async Task An_expired_pasted_token_without_refresh_token_gives_a_clear_error()
    {
        using var h = new CloudHarness();
        var (token, _) = h.Cloud.MintPastedTokens(h.User, TimeSpan.FromMinutes(10));
        h.Time.Advance(TimeSpan.FromMinutes(11));
        var account = h.Account(new SchlageAccountOptions { Key = "pasted", AccessToken = token });

        var result = await account.ListLocksAsync(default);

        Assert.Equal(CloudFailureKind.ReauthRequired, result.Failure!.Kind);
        Assert.Contains("expired", result.Failure.Message, StringComparison.Ordinal);
        Assert.Contains("refresh_token", result.Failure.Message, StringComparison.Ordinal);
        Assert.Contains("schlage2mqtt login", result.Failure.Message, StringComparison.Ordinal);
        Assert.Equal(nameof(AuthFailureKind.TokenExpired), account.AuthState.Failure);
        Assert.Empty(h.Cloud.Requests);
    }

    [Fact]
    public async Task A_pasted_token_that_the_cloud_rejects_without_refresh_token_gives_a_clear_error()
    {
        using var h = new CloudHarness();
        h.Cloud.AddWiFiLock("lock-1");
        var (token, _) = h.Cloud.MintPastedTokens(h.User, TimeSpan.FromMinutes(30));
        var account = h.Account(new SchlageAccountOptions { Key = "pasted", AccessToken = token });
        Assert.True((await account.ListLocksAsync(default)).IsSuccess);
        h.Cloud.ExpireAllTokens();

        var result = await account.ListLocksAsync(default);

        Assert.Equal(CloudFailureKind.ReauthRequired, result.Failure!.Kind);
        Assert.Contains("rejected the pasted token", result.Failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pasted_token_is_renewed_with_the_pasted_refresh_token_and_the_result_persisted()
    {
        using var h = new CloudHarness();
        h.Cloud.AddWiFiLock("lock-1");
        var (token, refresh) = h.Cloud.MintPastedTokens(h.User, TimeSpan.FromMinutes(2));
        var account = h.Account(new SchlageAccountOptions { Key = "pasted", AccessToken = token, RefreshToken = refresh });

        var result = await account.ListLocksAsync(default);

        Assert.True(result.IsSuccess, result.Failure?.ToString());
        Assert.Equal(1, h.Cloud.Refreshes);
        Assert.Equal(0, h.Cloud.SrpLogins);
        Assert.Equal(refresh, (await h.Store.LoadAsync("pasted", default))!.RefreshToken);
    }

    [Fact]
    public async Task The_id_token_is_sent_when_configured()
    {
        using var h = new CloudHarness();
        h.Cloud.AddWiFiLock("lock-1");
        var account = h.Account(tweak: o => o with { Cognito = o.Cognito with { TokenType = TokenType.Id } });

        Assert.True((await account.ListLocksAsync(default)).IsSuccess);

        var sent = h.Cloud.Requests.Single().Authorization!;
        var payload = System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(sent.Split('.')[1]));
        Assert.Contains("\"token_use\":\"id\"", payload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cognito_unreachable_during_proactive_refresh_keeps_using_the_unexpired_token()
    {
        using var h = new CloudHarness();
        h.Cloud.AddWiFiLock("lock-1");
        var account = h.Account();
        await account.ListLocksAsync(default);
        h.Time.Advance(TimeSpan.FromMinutes(57));
        h.Cloud.InjectCognitoError("TooManyRequestsException");

        var result = await account.ListLocksAsync(default);

        Assert.True(result.IsSuccess, result.Failure?.ToString());
        Assert.Equal(0, h.Cloud.Refreshes);
    }
}
