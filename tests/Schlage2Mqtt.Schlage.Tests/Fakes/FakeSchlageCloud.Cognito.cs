using System.Globalization;
using System.Net;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Schlage2Mqtt.Schlage.Auth;
using Schlage2Mqtt.Schlage.Auth.Srp;

namespace Schlage2Mqtt.Schlage.Tests.Fakes;

internal sealed partial class FakeSchlageCloud
{
    private readonly Dictionary<string, FakeUser> _users = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SrpSession> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (FakeUser User, DateTimeOffset ExpiresAt)> _tokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FakeUser> _refreshTokens = new(StringComparer.Ordinal);
    private readonly Queue<string> _cognitoFaults = new();
    private int _serial;

    private sealed record SrpSession(FakeUser User, BigInteger LargeA, BigInteger SmallB, BigInteger LargeB, string SecretBlock);

    public int SrpLogins { get; private set; }

    public int FailedLogins { get; private set; }

    public int Refreshes { get; private set; }

    public int RefusedRefreshes { get; private set; }

    /// <summary>Which usernames the refresh SECRET_HASH may be over (the real pool's choice is not documented).</summary>
    public RefreshHashForms AcceptedRefreshHash { get; set; } = RefreshHashForms.InternalUsername;

    /// <summary>The username form each refresh's SECRET_HASH was over, in order: "internal", "email" or "other".</summary>
    public List<string> RefreshHashesSeen { get; } = [];

    public List<string> CognitoOperations { get; } = [];

    /// <summary>Every token and refresh token handed out (for the no-secret-in-logs check).</summary>
    public List<string> IssuedSecrets { get; } = [];

    public FakeUser AddUser(string email, string password, string friendlyName = "Alice")
    {
        var n = Interlocked.Increment(ref _serial);
        var userId = $"00000000-0000-4000-8000-{n:x12}";
        var salt = new BigInteger(SHA256.HashData(Encoding.UTF8.GetBytes("salt" + email)), isUnsigned: true, isBigEndian: true);
        var user = new FakeUser
        {
            Email = email,
            UserIdForSrp = userId,
            IdentityId = $"identity-{n}",
            FriendlyName = friendlyName,
            Salt = salt,
            Verifier = SrpServerMath.Verifier(salt, PoolId[(PoolId.IndexOf('_') + 1)..], userId, password),
        };
        lock (_gate)
        {
            _users[email] = user;
        }
        return user;
    }

    /// <summary>The next Cognito call fails with this error type (e.g. TooManyRequestsException).</summary>
    public void InjectCognitoError(string type)
    {
        lock (_gate)
        {
            _cognitoFaults.Enqueue(type);
        }
    }

    /// <summary>Every access/id token issued so far stops working (401 mid-session).</summary>
    public void ExpireAllTokens()
    {
        lock (_gate)
        {
            foreach (var key in _tokens.Keys.ToList())
            {
                _tokens[key] = (_tokens[key].User, DateTimeOffset.MinValue);
            }
        }
    }

    /// <summary>Every refresh token issued so far is refused from now on.</summary>
    public void RevokeRefreshTokens()
    {
        lock (_gate)
        {
            _refreshTokens.Clear();
        }
    }

    /// <summary>Issues a token pair outside SRP, as if pasted from another tool.</summary>
    public (string AccessToken, string RefreshToken) MintPastedTokens(FakeUser user, TimeSpan lifetime)
    {
        lock (_gate)
        {
            var access = MintJwt(user, "access", Time.GetUtcNow() + lifetime);
            var refresh = "refresh-" + Guid.NewGuid().ToString("N");
            _refreshTokens[refresh] = user;
            IssuedSecrets.Add(refresh);
            return (access, refresh);
        }
    }

    private HttpResponseMessage HandleCognito(HttpRequestMessage request, string? body)
    {
        var target = request.Headers.TryGetValues("X-Amz-Target", out var values) ? values.Single() : "";
        var operation = target.Replace("AWSCognitoIdentityProviderService.", "", StringComparison.Ordinal);
        if (request.Content?.Headers.ContentType?.MediaType != "application/x-amz-json-1.1")
        {
            return CognitoError("SerializationException", "wrong content type");
        }
        var json = JsonNode.Parse(body!)!.AsObject();
        lock (_gate)
        {
            CognitoOperations.Add(operation);
            if (_cognitoFaults.TryDequeue(out var fault))
            {
                return CognitoError(fault, "Rate exceeded");
            }
            if ((string?)json["ClientId"] != ClientId)
            {
                return CognitoError("ResourceNotFoundException", "User pool client does not exist.");
            }
            return operation switch
            {
                "InitiateAuth" when (string?)json["AuthFlow"] == "USER_SRP_AUTH" => InitiateSrp(json["AuthParameters"]!.AsObject()),
                "InitiateAuth" when (string?)json["AuthFlow"] == "REFRESH_TOKEN_AUTH" => Refresh(json["AuthParameters"]!.AsObject()),
                "RespondToAuthChallenge" => Respond(json),
                _ => CognitoError("InvalidParameterException", "unsupported"),
            };
        }
    }

    private bool SecretHashOk(JsonObject parameters, string username) =>
        ClientSecret is null || (string?)parameters["SECRET_HASH"] == CognitoSecretHash.Compute(username, ClientId, ClientSecret);

    private HttpResponseMessage InitiateSrp(JsonObject parameters)
    {
        var username = (string?)parameters["USERNAME"] ?? "";
        if (!_users.TryGetValue(username, out var user))
        {
            return CognitoError("UserNotFoundException", "User does not exist.");
        }
        if (!SecretHashOk(parameters, username))
        {
            return CognitoError("NotAuthorizedException", $"Client {ClientId} SecretHash does not match.");
        }
        if (!user.Confirmed)
        {
            return CognitoError("UserNotConfirmedException", "User is not confirmed.");
        }
        if (user.ResetRequired)
        {
            return CognitoError("PasswordResetRequiredException", "Password reset required for the user");
        }
        var largeA = SrpHex.Parse((string)parameters["SRP_A"]!);
        if ((largeA % SrpMath.N).IsZero)
        {
            return CognitoError("InvalidParameterException", "SRP_A is invalid");
        }
        var smallB = new BigInteger(RandomNumberGenerator.GetBytes(128), isUnsigned: true, isBigEndian: true);
        var largeB = SrpServerMath.ComputeB(user.Verifier, smallB);
        var secretBlock = Convert.ToBase64String(RandomNumberGenerator.GetBytes(64));
        var sessionId = "session-" + Guid.NewGuid().ToString("N");
        _sessions[sessionId] = new SrpSession(user, largeA, smallB, largeB, secretBlock);
        return Json(HttpStatusCode.OK, new JsonObject
        {
            ["ChallengeName"] = "PASSWORD_VERIFIER",
            ["Session"] = sessionId,
            ["ChallengeParameters"] = new JsonObject
            {
                ["USER_ID_FOR_SRP"] = user.UserIdForSrp,
                ["SALT"] = SrpHex.ToHex(user.Salt),
                ["SRP_B"] = SrpHex.ToHex(largeB),
                ["SECRET_BLOCK"] = secretBlock,
                ["USERNAME"] = user.UserIdForSrp,
            },
        });
    }

    private HttpResponseMessage Respond(JsonObject json)
    {
        if ((string?)json["ChallengeName"] != "PASSWORD_VERIFIER" || !_sessions.Remove((string?)json["Session"] ?? "", out var session))
        {
            return CognitoError("NotAuthorizedException", "Invalid session for the user.");
        }
        var responses = json["ChallengeResponses"]!.AsObject();
        var username = (string?)responses["USERNAME"];
        var user = session.User;
        if (username != user.UserIdForSrp || !SecretHashOk(responses, username))
        {
            return CognitoError("NotAuthorizedException", "Incorrect username or password.");
        }
        var timestamp = (string?)responses["TIMESTAMP"] ?? "";
        if (!DateTime.TryParseExact(timestamp, "ddd MMM d HH:mm:ss 'UTC' yyyy", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var stamped)
            || Math.Abs((stamped - Time.GetUtcNow().UtcDateTime).TotalMinutes) > 5)
        {
            return CognitoError("NotAuthorizedException", "Incorrect timestamp.");
        }
        var u = SrpMath.ComputeU(session.LargeA, session.LargeB);
        var s = SrpServerMath.ComputeS(session.LargeA, user.Verifier, u, session.SmallB);
        var key = SrpMath.DeriveKey(s, u);
        var expected = SrpMath.Sign(key, PoolId[(PoolId.IndexOf('_') + 1)..], user.UserIdForSrp, Convert.FromBase64String(session.SecretBlock), timestamp);
        if ((string?)responses["PASSWORD_CLAIM_SECRET_BLOCK"] != session.SecretBlock || (string?)responses["PASSWORD_CLAIM_SIGNATURE"] != expected)
        {
            FailedLogins++;
            return CognitoError("NotAuthorizedException", "Incorrect username or password.");
        }
        SrpLogins++;
        var refresh = "refresh-" + Guid.NewGuid().ToString("N");
        _refreshTokens[refresh] = user;
        IssuedSecrets.Add(refresh);
        return Json(HttpStatusCode.OK, new JsonObject { ["AuthenticationResult"] = Tokens(user, refresh), ["ChallengeParameters"] = new JsonObject() });
    }

    private HttpResponseMessage Refresh(JsonObject parameters)
    {
        if (!_refreshTokens.TryGetValue((string?)parameters["REFRESH_TOKEN"] ?? "", out var user))
        {
            RefusedRefreshes++;
            return CognitoError("NotAuthorizedException", "Refresh Token has been revoked");
        }
        var form = SecretHashOk(parameters, user.UserIdForSrp) ? "internal" : SecretHashOk(parameters, user.Email) ? "email" : "other";
        RefreshHashesSeen.Add(form);
        var accepted = form switch
        {
            "internal" => AcceptedRefreshHash.HasFlag(RefreshHashForms.InternalUsername),
            "email" => AcceptedRefreshHash.HasFlag(RefreshHashForms.Email),
            _ => false,
        };
        if (!accepted)
        {
            RefusedRefreshes++;
            return CognitoError("NotAuthorizedException", $"Client {ClientId} SecretHash does not match.");
        }
        Refreshes++;
        return Json(HttpStatusCode.OK, new JsonObject { ["AuthenticationResult"] = Tokens(user, null), ["ChallengeParameters"] = new JsonObject() });
    }

    private JsonObject Tokens(FakeUser user, string? refresh)
    {
        var expiresAt = Time.GetUtcNow() + TokenLifetime;
        var result = new JsonObject
        {
            ["AccessToken"] = MintJwt(user, "access", expiresAt),
            ["IdToken"] = MintJwt(user, "id", expiresAt),
            ["ExpiresIn"] = (int)TokenLifetime.TotalSeconds,
            ["TokenType"] = "Bearer",
        };
        if (refresh is not null)
        {
            result["RefreshToken"] = refresh;
        }
        return result;
    }

    private string MintJwt(FakeUser user, string use, DateTimeOffset expiresAt)
    {
        static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var claims = new JsonObject
        {
            ["sub"] = user.UserIdForSrp,
            ["token_use"] = use,
            ["exp"] = expiresAt.ToUnixTimeSeconds(),
            ["jti"] = Guid.NewGuid().ToString("N"),
        };
        claims[use == "id" ? "cognito:username" : "username"] = user.UserIdForSrp;
        var token = $"{B64("{\"alg\":\"RS256\"}")}.{B64(claims.ToJsonString())}.{B64("signature" + Guid.NewGuid())}";
        _tokens[token] = (user, expiresAt);
        IssuedSecrets.Add(token);
        return token;
    }

    private (FakeUser? User, HttpResponseMessage? Failure) Authorize(HttpRequestMessage request)
    {
        if (!request.Headers.TryGetValues("X-Api-Key", out var keys) || keys.Single() != ApiKey)
        {
            return (null, Error(HttpStatusCode.Forbidden, "Forbidden"));
        }
        var token = request.Headers.Authorization is { Scheme: "Bearer" } auth ? auth.Parameter ?? "" : "";
        lock (_gate)
        {
            if (_tokens.TryGetValue(token, out var entry) && Time.GetUtcNow() < entry.ExpiresAt)
            {
                return (entry.User, null);
            }
        }
        return (null, Error(HttpStatusCode.Unauthorized, "Unauthorized"));
    }

    private static HttpResponseMessage CognitoError(string type, string message)
    {
        var status = type is "TooManyRequestsException" ? (HttpStatusCode)400 : HttpStatusCode.BadRequest;
        var response = Json(status, new JsonObject { ["__type"] = type, ["message"] = message });
        response.Headers.TryAddWithoutValidation("x-amzn-ErrorType", type + ":");
        return response;
    }
}

/// <summary>Username forms a refresh SECRET_HASH can be computed over.</summary>
[Flags]
internal enum RefreshHashForms
{
    None = 0,
    InternalUsername = 1,
    Email = 2,
}
