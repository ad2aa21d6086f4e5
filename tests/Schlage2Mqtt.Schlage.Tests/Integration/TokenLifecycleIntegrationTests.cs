using Schlage2Mqtt.Schlage.Auth;
using Schlage2Mqtt.Cloud;
using Schlage2Mqtt.Schlage.Options;
using Schlage2Mqtt.Simulator.Calls;
using Schlage2Mqtt.Simulator.Faults;

namespace Schlage2Mqtt.Schlage.Tests.Integration;

/// <summary>
/// Tokens over a session and across restarts: refresh on 401 and before expiry, fallback to SRP,
/// reauth_required, pasted tokens, and a restart that reuses the stored refresh token. Each test
/// logs in for itself (revoking refresh tokens would spoil a login shared with other tests).
/// </summary>
public class TokenLifecycleIntegrationTests(SimulatorFixture fixture) : IntegrationTest(fixture, loggedIn: false)
{
    private CallCounters Counters => Client.Calls.Counters();

    /// <summary>What <c>schlage2mqtt login</c> leaves behind: a stored refresh token for "home".</summary>
    private async Task LoginAsync()
    {
        var login = await Client.Login().LoginAsync("home", SimulatorFixture.Email, SimulatorFixture.Password, default);
        Assert.True(login.Succeeded, login.Failure?.ToString());
    }

    [Fact]
    public async Task The_second_start_reuses_the_persisted_refresh_token_without_an_SRP_login()
    {
        using (var first = Client.Provider())
        {
            Assert.True((await first.Accounts[0].ListLocksAsync(default)).IsSuccess);
        }
        Assert.Equal(1, Counters.SrpLogins);
        var stored = await Client.Store.LoadAsync("home", default);
        Assert.Equal(Fixture.Owner.UserIdForSrp, stored!.UserIdForSrp);

        // A new process: same configuration (password included), same token store.
        var second = Client.Provider().Accounts[0];
        var locks = await second.ListLocksAsync(default);

        Assert.True(locks.IsSuccess, locks.Failure?.ToString());
        Assert.Equal(1, Counters.SrpLogins);
        Assert.Equal(1, Counters.SrpLoginAttempts);
        // The first form tried (the internal username) is accepted: one refresh attempt, no second form.
        Assert.Equal(1, Counters.Refreshes);
        Assert.Equal(1, Counters.RefreshAttempts);
        Assert.Equal("ok", second.AuthState.Code);
    }

    [Fact]
    public async Task A_401_mid_session_refreshes_once_and_retries_the_call_once()
    {
        await LoginAsync();
        var account = await Client.ReadyAccountAsync();
        var before = Client.Calls.LastSequence;
        var refreshes = Counters.Refreshes;

        Fixture.Admin.ExpireAccessTokens();
        var result = await account.GetLockAsync(SimulatorFixture.EncodeId, default);

        Assert.True(result.IsSuccess, result.Failure?.ToString());
        var calls = Client.Calls.RecordsAfter(before).Select(r => $"{r.Operation}:{r.StatusCode}");
        Assert.Equal(["GetDevice:401", CognitoOperations.Refresh + ":200", "GetDevice:200"], calls);
        Assert.Equal(refreshes + 1, Counters.Refreshes);
        Assert.Equal(1, Counters.SrpLogins);
    }

    [Fact]
    public async Task A_write_refused_with_401_is_sent_again_once_with_the_new_token_and_applied_once()
    {
        await LoginAsync();
        var account = await Client.ReadyAccountAsync();
        Fixture.Admin.AddFault(FaultRule.TokenExpired(ApiEndpoint.PutDevice) with { Count = 1 });
        var before = Client.Calls.LastSequence;

        var result = await account.SetLockedAsync(SimulatorFixture.EncodeId, locked: false, default);

        Assert.True(result.IsSuccess, result.Failure?.ToString());
        Assert.Equal(["PutDevice:401", "PutDevice:200"], Client.ApiCallsSince(before));
        Assert.Equal(1, Client.Calls.RecordsAfter(before).Count(r => r.Operation == CognitoOperations.Refresh));
        Client.Time.Advance(SimulatorFixture.CommandLatency);
        Assert.Equal(0, Fixture.Admin.Lock(SimulatorFixture.EncodeId).LockState);
    }

    [Fact]
    public async Task A_401_that_persists_after_renewal_is_unauthorized_after_exactly_one_refresh_and_one_retry()
    {
        await LoginAsync();
        var account = await Client.ReadyAccountAsync();
        Fixture.Admin.AddFault(FaultRule.TokenExpired(ApiEndpoint.GetDevice));
        var before = Client.Calls.LastSequence;

        var result = await account.GetLockAsync(SimulatorFixture.EncodeId, default);

        Assert.Equal(CloudFailureKind.Unauthorized, result.Failure!.Kind);
        Assert.Equal(401, result.Failure.HttpStatus);
        Assert.Equal("The incoming token has expired", result.Failure.CloudMessage);
        Assert.Equal(["GetDevice:401", "GetDevice:401"], Client.ApiCallsSince(before));
        Assert.Equal(1, Client.Calls.RecordsAfter(before).Count(r => r.Operation == CognitoOperations.Refresh));
    }

    [Fact]
    public async Task A_token_near_its_expiry_is_refreshed_before_the_call_without_a_401()
    {
        await LoginAsync();
        var account = await Client.ReadyAccountAsync();
        var before = Client.Calls.LastSequence;

        Client.Time.Advance(TimeSpan.FromMinutes(56));
        var result = await account.GetLockAsync(SimulatorFixture.EncodeId, default);

        Assert.True(result.IsSuccess, result.Failure?.ToString());
        Assert.Equal([CognitoOperations.Refresh + ":200", "GetDevice:200"], Client.Calls.RecordsAfter(before).Select(r => $"{r.Operation}:{r.StatusCode}"));
    }

    [Fact]
    public async Task A_throttled_refresh_keeps_serving_the_token_that_is_still_valid()
    {
        await LoginAsync();
        var account = await Client.ReadyAccountAsync();
        Client.Time.Advance(TimeSpan.FromMinutes(56));
        Fixture.Admin.SetCognitoError(SimulatorFixture.Email, CognitoUserError.TooManyRequests, count: 1);

        var during = await account.GetLockAsync(SimulatorFixture.EncodeId, default);
        var after = await account.GetLockAsync(SimulatorFixture.EncodeId, default);

        Assert.True(during.IsSuccess, during.Failure?.ToString());
        Assert.True(after.IsSuccess, after.Failure?.ToString());
        // The start's refresh, the throttled one (the old token served), then the one that worked.
        Assert.Equal((3L, 2L), (Counters.RefreshAttempts, Counters.Refreshes));
        Assert.Equal("ok", account.AuthState.Code);
    }

    [Fact]
    public async Task A_revoked_refresh_token_falls_back_to_SRP_with_the_configured_password()
    {
        await LoginAsync();
        var account = await Client.ReadyAccountAsync();
        var stored = await Client.Store.LoadAsync("home", default);

        Fixture.Admin.RevokeRefreshTokens();
        Fixture.Admin.ExpireAccessTokens();
        var result = await account.GetLockAsync(SimulatorFixture.EncodeId, default);

        Assert.True(result.IsSuccess, result.Failure?.ToString());
        Assert.Equal(2, Counters.SrpLogins);
        Assert.True(Client.Calls.Records().Any(r => r.Operation == CognitoOperations.Refresh && r.StatusCode == 400), "the refresh was refused first");
        var renewed = await Client.Store.LoadAsync("home", default);
        Assert.NotEqual(stored!.RefreshToken, renewed!.RefreshToken);
        Assert.Equal("ok", account.AuthState.Code);
    }

    [Fact]
    public async Task A_revoked_refresh_token_without_a_password_leaves_the_account_reauth_required()
    {
        await LoginAsync();
        var account = Client.Account(new SchlageAccountOptions { Key = "home", Username = SimulatorFixture.Email });
        Assert.True((await account.ListLocksAsync(default)).IsSuccess);

        Fixture.Admin.RevokeRefreshTokens();
        Fixture.Admin.ExpireAccessTokens();
        var result = await account.GetLockAsync(SimulatorFixture.EncodeId, default);

        Assert.Equal(CloudFailureKind.ReauthRequired, result.Failure!.Kind);
        Assert.Contains("schlage2mqtt login", result.Failure.Message, StringComparison.Ordinal);
        Assert.Equal("reauth_required", account.AuthState.Code);
        Assert.Equal(nameof(AuthFailureKind.ReauthRequired), account.AuthState.Failure);
        Assert.Null(await Client.Store.LoadAsync("home", default));
        Assert.Equal(1, Counters.SrpLoginAttempts);

        // Nothing changes until the user logs in again: no SRP, one refused call per attempt at most.
        var again = await account.ListLocksAsync(default);
        Assert.Equal(CloudFailureKind.ReauthRequired, again.Failure!.Kind);
        Assert.Equal(1, Counters.SrpLoginAttempts);
    }

    [Fact]
    public async Task A_pasted_token_with_its_refresh_token_works_and_is_renewed_by_refresh()
    {
        await LoginAsync();
        var (access, _, refresh) = Client.Tap.LastTokens!.Value;
        var account = Client.Account(new SchlageAccountOptions { Key = "pasted", AccessToken = access, RefreshToken = refresh });
        var before = Counters;

        Assert.True((await account.ListLocksAsync(default)).IsSuccess);
        Assert.Equal(before.RefreshAttempts, Counters.RefreshAttempts);

        Fixture.Admin.ExpireAccessTokens();
        var result = await account.GetLockAsync(SimulatorFixture.EncodeId, default);

        Assert.True(result.IsSuccess, result.Failure?.ToString());
        Assert.Equal(before.Refreshes + 1, Counters.Refreshes);
        Assert.Equal(1, Counters.SrpLogins);
    }

    [Fact]
    public async Task A_pasted_id_token_names_the_internal_user_the_refresh_hash_needs()
    {
        await LoginAsync();
        var (_, id, refresh) = Client.Tap.LastTokens!.Value;
        var account = Client.Account(new SchlageAccountOptions { Key = "seed000", AccessToken = id, RefreshToken = refresh },
            o => o with { Cognito = o.Cognito with { TokenType = TokenType.Id } });
        Assert.True((await account.ListLocksAsync(default)).IsSuccess);

        Fixture.Admin.ExpireAccessTokens();
        var result = await account.ListLocksAsync(default);

        // No stored identity and no username: the SECRET_HASH is over the token's cognito:username, as Cognito wants.
        Assert.True(result.IsSuccess, result.Failure?.ToString());
        Assert.Equal(1, Counters.Refreshes);
    }

    [Fact]
    public async Task A_pasted_token_alone_reports_reauth_required_once_it_expires()
    {
        await LoginAsync();
        var (access, _, _) = Client.Tap.LastTokens!.Value;
        var account = Client.Account(new SchlageAccountOptions { Key = "pasted", AccessToken = access });
        Assert.True((await account.ListLocksAsync(default)).IsSuccess);

        Client.Time.Advance(TimeSpan.FromMinutes(61));
        var result = await account.ListLocksAsync(default);

        Assert.Equal(CloudFailureKind.ReauthRequired, result.Failure!.Kind);
        Assert.Equal(nameof(AuthFailureKind.TokenExpired), account.AuthState.Failure);
    }
}
