using System.Net;
using System.Text;
using System.Text.Json;
using Schlage2Mqtt.Simulator.Calls;
using Schlage2Mqtt.Simulator.Faults;

namespace Schlage2Mqtt.Simulator.Tests;

public sealed class CognitoTests
{
    [Fact]
    public async Task Srp_login_with_the_right_password_issues_bearer_tokens()
    {
        await using var cloud = await TestCloud.StartAsync();
        var (status, body) = await cloud.LoginAsync();

        Assert.Equal(HttpStatusCode.OK, status);
        var result = body.GetProperty("AuthenticationResult");
        Assert.Equal("Bearer", result.GetProperty("TokenType").GetString());
        Assert.Equal(3600, result.GetProperty("ExpiresIn").GetInt32());
        Assert.StartsWith("eyJ", result.GetProperty("RefreshToken").GetString(), StringComparison.Ordinal);
        Assert.Equal(5, result.GetProperty("RefreshToken").GetString()!.Split('.').Length);
        var claims = Claims(result.GetProperty("AccessToken").GetString()!);
        Assert.Equal(cloud.UserIdForSrp, claims.GetProperty("sub").GetString());
        Assert.Equal(cloud.UserIdForSrp, claims.GetProperty("username").GetString());
        Assert.Equal(cloud.Time.GetUtcNow().ToUnixTimeSeconds() + 3600, claims.GetProperty("exp").GetInt64());
        Assert.Equal(TestCloud.Email, Claims(result.GetProperty("IdToken").GetString()!).GetProperty("email").GetString());
        Assert.Equal(1, cloud.Simulator.Calls.SrpLogins);
    }

    [Fact]
    public async Task Challenge_carries_an_internal_user_id_not_the_email()
    {
        await using var cloud = await TestCloud.StartAsync();
        var srp = new TestSrpClient(1);
        var (status, body) = await cloud.CognitoAsync("InitiateAuth", new
        {
            AuthFlow = "USER_SRP_AUTH",
            ClientId = SimulatorDefaults.ClientId,
            AuthParameters = new Dictionary<string, string>
            {
                ["USERNAME"] = TestCloud.Email,
                ["SRP_A"] = srp.SrpA,
                ["SECRET_HASH"] = TestSrpClient.SecretHash(SimulatorDefaults.ClientSecret, TestCloud.Email, SimulatorDefaults.ClientId),
            },
        });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("PASSWORD_VERIFIER", body.GetProperty("ChallengeName").GetString());
        var p = body.GetProperty("ChallengeParameters");
        var userId = p.GetProperty("USER_ID_FOR_SRP").GetString()!;
        Assert.True(Guid.TryParse(userId, out _));
        Assert.NotEqual(TestCloud.Email, userId);
        Assert.Equal(userId, p.GetProperty("USERNAME").GetString());
        Assert.NotEmpty(Convert.FromBase64String(p.GetProperty("SECRET_BLOCK").GetString()!));
        Assert.All(p.GetProperty("SALT").GetString()!, c => Assert.True(char.IsAsciiHexDigit(c)));
        Assert.All(p.GetProperty("SRP_B").GetString()!, c => Assert.True(char.IsAsciiHexDigit(c)));
    }

    [Fact]
    public async Task Wrong_password_is_NotAuthorizedException()
    {
        await using var cloud = await TestCloud.StartAsync();
        var (status, body) = await cloud.LoginAsync(password: "wrong-password");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("NotAuthorizedException", body.GetProperty("__type").GetString());
        Assert.Equal("Incorrect username or password.", body.GetProperty("message").GetString());
        Assert.Equal(0, cloud.Simulator.Calls.SrpLogins);
    }

    [Fact]
    public async Task Mixed_case_email_does_not_exist_as_in_the_real_pool()
    {
        await using var cloud = await TestCloud.StartAsync();
        var (status, body) = await cloud.LoginAsync(username: "Owner@Example.com");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("UserNotFoundException", body.GetProperty("__type").GetString());
        Assert.Equal("User does not exist.", body.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Secret_hash_of_the_wrong_username_is_refused()
    {
        await using var cloud = await TestCloud.StartAsync();
        var (status, body) = await cloud.LoginAsync(secretHashUsername: "someone@else.com");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("NotAuthorizedException", body.GetProperty("__type").GetString());
        Assert.Equal($"SecretHash does not match for the client: {SimulatorDefaults.ClientId}", body.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Missing_secret_hash_is_refused_for_a_client_with_a_secret()
    {
        await using var cloud = await TestCloud.StartAsync();
        var (status, body) = await cloud.CognitoAsync("InitiateAuth", new
        {
            AuthFlow = "USER_SRP_AUTH",
            ClientId = SimulatorDefaults.ClientId,
            AuthParameters = new Dictionary<string, string> { ["USERNAME"] = TestCloud.Email, ["SRP_A"] = new TestSrpClient(1).SrpA },
        });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal($"Unable to verify secret hash for client {SimulatorDefaults.ClientId}", body.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Client_without_secret_logs_in_without_secret_hash()
    {
        await using var cloud = await TestCloud.StartAsync();
        var (status, _) = await cloud.LoginAsync(clientId: SimulatorDefaults.PublicClientId, secret: null);
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task Unknown_app_client_is_ResourceNotFoundException()
    {
        await using var cloud = await TestCloud.StartAsync();
        var (status, body) = await cloud.LoginAsync(clientId: "nope", secret: null);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("ResourceNotFoundException", body.GetProperty("__type").GetString());
    }

    [Fact]
    public async Task Zero_padded_day_in_timestamp_is_refused()
    {
        // The 5th of the month: a correct client writes "5", a buggy one "05".
        var time = new Schlage2Mqtt.TestSupport.ManualTimeProvider(new DateTimeOffset(2026, 12, 5, 9, 3, 7, TimeSpan.Zero));
        await using var cloud = await TestCloud.StartAsync(time: time);

        var bad = await cloud.LoginAsync(timestamp: now => now.UtcDateTime.ToString("ddd MMM dd HH:mm:ss 'UTC' yyyy", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("NotAuthorizedException", bad.Body.GetProperty("__type").GetString());

        var good = await cloud.LoginAsync();
        Assert.Equal(HttpStatusCode.OK, good.Status);
        Assert.Equal("Sat Dec 5 09:03:07 UTC 2026", TestSrpClient.TimestampFor(time.GetUtcNow()));
    }

    [Fact]
    public async Task Timestamp_outside_the_window_is_refused()
    {
        await using var cloud = await TestCloud.StartAsync();
        var (_, body) = await cloud.LoginAsync(timestamp: now => TestSrpClient.TimestampFor(now.AddMinutes(-10)));
        Assert.Equal("NotAuthorizedException", body.GetProperty("__type").GetString());
    }

    [Fact]
    public async Task Srp_A_that_is_zero_mod_N_is_refused()
    {
        await using var cloud = await TestCloud.StartAsync();
        var nHex = TestSrpClient.ToHex(TestSrpClient.Parse("0") + BigN());
        var (status, body) = await cloud.CognitoAsync("InitiateAuth", new
        {
            AuthFlow = "USER_SRP_AUTH",
            ClientId = SimulatorDefaults.PublicClientId,
            AuthParameters = new Dictionary<string, string> { ["USERNAME"] = TestCloud.Email, ["SRP_A"] = nHex },
        });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("InvalidParameterException", body.GetProperty("__type").GetString());
    }

    [Fact]
    public async Task A_challenge_answers_once()
    {
        await using var cloud = await TestCloud.StartAsync();
        var srp = new TestSrpClient(3);
        var (_, challenge) = await cloud.CognitoAsync("InitiateAuth", new
        {
            AuthFlow = "USER_SRP_AUTH",
            ClientId = SimulatorDefaults.PublicClientId,
            AuthParameters = new Dictionary<string, string> { ["USERNAME"] = TestCloud.Email, ["SRP_A"] = srp.SrpA },
        });
        var p = challenge.GetProperty("ChallengeParameters");
        var ts = TestSrpClient.TimestampFor(cloud.Time.GetUtcNow());
        var responses = new Dictionary<string, string>
        {
            ["USERNAME"] = p.GetProperty("USERNAME").GetString()!,
            ["TIMESTAMP"] = ts,
            ["PASSWORD_CLAIM_SECRET_BLOCK"] = p.GetProperty("SECRET_BLOCK").GetString()!,
            ["PASSWORD_CLAIM_SIGNATURE"] = srp.Signature(cloud.Simulator.PoolName, p.GetProperty("USER_ID_FOR_SRP").GetString()!, TestCloud.Password,
                p.GetProperty("SALT").GetString()!, p.GetProperty("SRP_B").GetString()!, p.GetProperty("SECRET_BLOCK").GetString()!, ts),
        };
        var request = new { ChallengeName = "PASSWORD_VERIFIER", ClientId = SimulatorDefaults.PublicClientId, ChallengeResponses = responses };

        Assert.Equal(HttpStatusCode.OK, (await cloud.CognitoAsync("RespondToAuthChallenge", request)).Status);
        var replay = await cloud.CognitoAsync("RespondToAuthChallenge", request);
        Assert.Equal("NotAuthorizedException", replay.Body.GetProperty("__type").GetString());
    }

    [Fact]
    public async Task Refresh_with_the_internal_username_in_the_secret_hash_issues_new_access_tokens()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        cloud.Time.Advance(TimeSpan.FromMinutes(30));

        var (status, body) = await cloud.RefreshAsync(cloud.UserIdForSrp);

        Assert.Equal(HttpStatusCode.OK, status);
        var result = body.GetProperty("AuthenticationResult");
        Assert.False(result.TryGetProperty("RefreshToken", out _));
        Assert.NotEqual(cloud.AccessToken, result.GetProperty("AccessToken").GetString());
        Assert.Equal(1, cloud.Simulator.Calls.Refreshes);
        Assert.Equal(1, cloud.Simulator.Calls.Counters().RefreshAttempts);
    }

    [Fact]
    public async Task Refresh_with_the_lower_cased_email_in_the_secret_hash_issues_new_access_tokens_as_pycognito_needs()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        cloud.Time.Advance(TimeSpan.FromMinutes(30));

        var (status, body) = await cloud.RefreshAsync(TestCloud.Email.ToLowerInvariant());

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.NotEqual(cloud.AccessToken, body.GetProperty("AuthenticationResult").GetProperty("AccessToken").GetString());
        Assert.Equal(1, cloud.Simulator.Calls.Refreshes);
    }

    [Fact]
    public async Task Refresh_with_any_other_username_in_the_secret_hash_fails_with_the_pools_message()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        var (status, body) = await cloud.RefreshAsync("someone-else@example.com");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("NotAuthorizedException", body.GetProperty("__type").GetString());
        Assert.StartsWith("SecretHash does not match", body.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, cloud.Simulator.Calls.Refreshes);
    }

    [Fact]
    public async Task Revoked_refresh_tokens_are_refused_and_a_new_srp_login_works()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        Assert.Equal(1, cloud.Admin.RevokeRefreshTokens());

        var (_, body) = await cloud.RefreshAsync(cloud.UserIdForSrp);
        Assert.Equal("NotAuthorizedException", body.GetProperty("__type").GetString());
        Assert.Equal("Refresh Token has been revoked", body.GetProperty("message").GetString());

        Assert.Equal(HttpStatusCode.OK, (await cloud.LoginAsync()).Status);
        Assert.Equal(2, cloud.Simulator.Calls.SrpLogins);
    }

    [Fact]
    public async Task Garbage_refresh_token_is_refused()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        cloud.RefreshToken = "eyJ.not.a.real.token";
        var (_, body) = await cloud.RefreshAsync(cloud.UserIdForSrp);
        Assert.Equal("Invalid Refresh Token", body.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData(CognitoUserError.NotAuthorized, "NotAuthorizedException")]
    [InlineData(CognitoUserError.UserNotFound, "UserNotFoundException")]
    [InlineData(CognitoUserError.UserNotConfirmed, "UserNotConfirmedException")]
    [InlineData(CognitoUserError.PasswordResetRequired, "PasswordResetRequiredException")]
    [InlineData(CognitoUserError.TooManyRequests, "TooManyRequestsException")]
    public async Task Injected_user_errors_are_answered_then_clear_after_their_count(CognitoUserError error, string type)
    {
        await using var cloud = await TestCloud.StartAsync();
        cloud.Admin.SetCognitoError(TestCloud.Email, error, count: 1);

        var (status, body) = await cloud.LoginAsync();
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(type, body.GetProperty("__type").GetString());

        Assert.Equal(HttpStatusCode.OK, (await cloud.LoginAsync()).Status);
    }

    [Fact]
    public async Task Injected_error_applies_to_refresh_too()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        cloud.Admin.SetCognitoError(TestCloud.Email, CognitoUserError.TooManyRequests);
        var (_, body) = await cloud.RefreshAsync(cloud.UserIdForSrp);
        Assert.Equal("TooManyRequestsException", body.GetProperty("__type").GetString());
        cloud.Admin.SetCognitoError(TestCloud.Email, null);
        Assert.Equal(HttpStatusCode.OK, (await cloud.RefreshAsync(cloud.UserIdForSrp)).Status);
    }

    [Fact]
    public async Task Unconfirmed_account_cannot_log_in()
    {
        var options = TestCloud.DefaultOptions() with
        {
            Accounts = [new AccountDefinition { Email = "new@example.com", Password = "x-Password-1", Confirmed = false }],
        };
        await using var cloud = await TestCloud.StartAsync(options);
        var (_, body) = await cloud.LoginAsync(username: "new@example.com", password: "x-Password-1");
        Assert.Equal("UserNotConfirmedException", body.GetProperty("__type").GetString());
    }

    [Fact]
    public async Task Cognito_errors_carry_the_aws_content_type_and_error_header()
    {
        await using var cloud = await TestCloud.StartAsync();
        using var message = new HttpRequestMessage(HttpMethod.Post, cloud.Simulator.CognitoUrl)
        {
            Content = new StringContent("""{"AuthFlow":"USER_PASSWORD_AUTH","ClientId":"26ujbcfppen6t3afts2ad7vfgs","AuthParameters":{}}""", Encoding.UTF8),
        };
        message.Headers.Add("X-Amz-Target", "AWSCognitoIdentityProviderService.InitiateAuth");
        using var response = await cloud.Http.SendAsync(message);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/x-amz-json-1.1", response.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("InvalidParameterException", response.Headers.GetValues("x-amzn-ErrorType").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cognito_calls_are_counted_by_operation()
    {
        await using var cloud = await TestCloud.StartLoggedInAsync();
        await cloud.RefreshAsync(cloud.UserIdForSrp);
        var counters = cloud.Simulator.Calls.Counters();
        Assert.Equal(1, counters.SrpLoginAttempts);
        Assert.Equal(1, counters.SrpLogins);
        Assert.Equal(1, counters.PerOperation[CognitoOperations.InitiateSrp]);
        Assert.Equal(1, counters.PerOperation[CognitoOperations.RespondPasswordVerifier]);
        Assert.Equal(1, counters.PerOperation[CognitoOperations.Refresh]);
        Assert.DoesNotContain(cloud.Simulator.Calls.Records(), r => r.Subject == TestCloud.Password);
    }

    private static System.Numerics.BigInteger BigN() =>
        TestSrpClient.Parse("FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD" +
            "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED" +
            "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F" +
            "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B" +
            "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510" +
            "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7" +
            "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C" +
            "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF");

    internal static JsonElement Claims(string jwt)
    {
        var payload = jwt.Split('.')[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
        return JsonDocument.Parse(Convert.FromBase64String(payload)).RootElement.Clone();
    }
}
