using Schlage2Mqtt.Schlage.Auth;
using Schlage2Mqtt.Cloud;
using Schlage2Mqtt.Schlage.Options;
using Schlage2Mqtt.Simulator;
using Schlage2Mqtt.Simulator.Calls;
using Schlage2Mqtt.Simulator.Faults;

namespace Schlage2Mqtt.Schlage.Tests.Integration;

/// <summary>The client's own SRP implementation logging in to the simulator's Cognito (server-side SRP).</summary>
public class LoginIntegrationTests(SimulatorFixture fixture) : IntegrationTest(fixture, loggedIn: false)
{
    [Fact]
    public async Task A_full_SRP_login_succeeds_stores_the_refresh_token_and_lists_the_locks()
    {
        var result = await Client.Login().LoginAsync("home", SimulatorFixture.Email, SimulatorFixture.Password, default);

        Assert.True(result.Succeeded, result.Failure?.ToString());
        Assert.Null(result.LocksFailure);
        Assert.Equal(
            [SimulatorFixture.EncodeId, SimulatorFixture.EncodePlusId, SimulatorFixture.LeverId, SimulatorFixture.SenseId],
            result.Locks.Select(l => l.DeviceId));
        Assert.Equal(1, Client.Calls.SrpLogins);
        var stored = await Client.Store.LoadAsync("home", default);
        Assert.NotNull(stored);
        Assert.Equal(Fixture.Owner.UserIdForSrp, stored.UserIdForSrp);
        Assert.Equal(SimulatorFixture.Email, stored.Username);
        // The challenge answer names Cognito's internal user, as the SDKs do.
        var answer = Client.Calls.Records().Single(r => r.Operation == CognitoOperations.RespondPasswordVerifier);
        Assert.Equal(Fixture.Owner.UserIdForSrp, answer.Subject);
    }

    [Fact]
    public async Task A_wrong_password_fails_with_the_typed_error_and_stores_nothing()
    {
        var result = await Client.Login().LoginAsync("home", SimulatorFixture.Email, "Not-The-Passw0rd", default);

        Assert.False(result.Succeeded);
        Assert.Equal(AuthFailureKind.WrongPassword, result.Failure!.Kind);
        Assert.Equal("NotAuthorizedException", result.Failure.CognitoErrorType);
        Assert.Equal(0, Client.Calls.SrpLogins);
        Assert.Null(await Client.Store.LoadAsync("home", default));
    }

    [Fact]
    public async Task A_mixed_case_email_is_lower_cased_before_Cognito_sees_it()
    {
        var result = await Client.Login().LoginAsync("home", "  Owner@Example.COM ", SimulatorFixture.Password, default);

        Assert.True(result.Succeeded, result.Failure?.ToString());
        Assert.Equal(SimulatorFixture.Email, Client.Calls.Records().First(r => r.Operation == CognitoOperations.InitiateSrp).Subject);
    }

    [Fact]
    public async Task A_login_on_a_single_digit_day_sends_the_day_unpadded_as_Cognito_wants()
    {
        var now = Client.Time.GetUtcNow();
        var firstOfNextMonth = new DateTimeOffset(now.Year, now.Month, 1, 9, 5, 7, TimeSpan.Zero).AddMonths(1);
        Client.Time.SetUtcNow(firstOfNextMonth);

        var result = await Client.Login().LoginAsync("home", SimulatorFixture.Email, SimulatorFixture.Password, default);

        Assert.True(result.Succeeded, result.Failure?.ToString());
    }

    [Fact]
    public async Task An_unknown_email_fails_as_unknown_user()
    {
        var result = await Client.Login().LoginAsync("home", "nobody@example.com", SimulatorFixture.Password, default);

        Assert.Equal(AuthFailureKind.UnknownUser, result.Failure!.Kind);
    }

    [Theory]
    [InlineData(CognitoUserError.UserNotConfirmed, AuthFailureKind.UserNotConfirmed)]
    [InlineData(CognitoUserError.PasswordResetRequired, AuthFailureKind.PasswordResetRequired)]
    [InlineData(CognitoUserError.TooManyRequests, AuthFailureKind.Throttled)]
    [InlineData(CognitoUserError.NotAuthorized, AuthFailureKind.WrongPassword)]
    public async Task Cognito_errors_map_to_typed_failures(CognitoUserError error, AuthFailureKind expected)
    {
        Fixture.Admin.SetCognitoError(SimulatorFixture.Email, error, count: 1);

        var result = await Client.Login().LoginAsync("home", SimulatorFixture.Email, SimulatorFixture.Password, default);

        Assert.Equal(expected, result.Failure!.Kind);
    }

    [Fact]
    public async Task The_app_client_without_a_secret_logs_in_without_SECRET_HASH()
    {
        var result = await Client.Login(o => o with
        {
            Cognito = o.Cognito with { ClientId = SimulatorDefaults.PublicClientId, ClientSecret = null },
        }).LoginAsync("home", SimulatorFixture.Email, SimulatorFixture.Password, default);

        Assert.True(result.Succeeded, result.Failure?.ToString());
        Assert.Equal(4, result.Locks.Count);
    }

    [Fact]
    public async Task A_client_secret_that_does_not_belong_to_the_client_is_reported_as_misconfiguration()
    {
        var result = await Client.Login(o => o with { Cognito = o.Cognito with { ClientSecret = "not-the-secret" } })
            .LoginAsync("home", SimulatorFixture.Email, SimulatorFixture.Password, default);

        Assert.Equal(AuthFailureKind.Misconfigured, result.Failure!.Kind);
    }

    [Fact]
    public async Task The_id_token_can_be_the_bearer_token()
    {
        var account = Client.Account(tweak: o => o with { Cognito = o.Cognito with { TokenType = TokenType.Id } });

        var locks = await account.ListLocksAsync(default);

        Assert.True(locks.IsSuccess, locks.Failure?.ToString());
        Assert.Equal(4, locks.Value!.Count);
    }

    [Fact]
    public async Task A_wrong_password_in_the_config_leaves_the_account_reauth_required()
    {
        var account = Client.Account(new SchlageAccountOptions { Key = "home", Username = SimulatorFixture.Email, Password = "Not-The-Passw0rd" });

        var locks = await account.ListLocksAsync(default);

        Assert.Equal(CloudFailureKind.ReauthRequired, locks.Failure!.Kind);
        Assert.Equal("reauth_required", account.AuthState.Code);
        Assert.Equal(nameof(AuthFailureKind.WrongPassword), account.AuthState.Failure);
        Assert.Equal(0, Client.Calls.Counters().ApiCalls);
    }
}
