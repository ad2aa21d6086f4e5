using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Schlage2Mqtt.Simulator.Cloud;
using Schlage2Mqtt.Simulator.Internal;

namespace Schlage2Mqtt.Simulator.Cognito;

/// <summary>What a bearer token check found.</summary>
internal enum TokenStatus
{
    Valid,
    Expired,
    Invalid,
}

/// <summary>
/// Issues JWT-shaped access/id tokens (HS256 with a per-simulator key, so they are real, checkable
/// JWTs) and opaque JWE-shaped refresh tokens, and remembers them so admin can expire or revoke them.
/// </summary>
internal sealed class TokenService
{
    private readonly ConcurrentDictionary<string, IssuedToken> _issued = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RefreshGrant> _refresh = new(StringComparer.Ordinal);
    private readonly SimulatorOptions _options;
    private readonly TimeProvider _time;
    private readonly SeededRandom _random;
    private readonly byte[] _key;
    private readonly string _kid;
    private readonly string _issuer;

    public TokenService(SimulatorOptions options, TimeProvider time, SeededRandom random)
    {
        _options = options;
        _time = time;
        _random = random;
        _key = random.NextBytes(32);
        _kid = Convert.ToBase64String(random.NextBytes(32));
        var region = options.UserPoolId.Split('_')[0];
        _issuer = $"https://cognito-idp.{region}.amazonaws.com/{options.UserPoolId}";
    }

    public AuthenticationResult Issue(ResolvedAccount user, string clientId, bool withRefreshToken, DateTimeOffset authTime)
    {
        var now = _time.GetUtcNow();
        var iat = now.ToUnixTimeSeconds();
        var exp = (now + _options.TokenLifetime).ToUnixTimeSeconds();
        var originJti = _random.NextUuid();
        var eventId = _random.NextUuid();
        var accessJti = _random.NextUuid();
        var idJti = _random.NextUuid();
        var access = Sign(JsonSerializer.SerializeToUtf8Bytes(
            new AccessTokenClaims(user.UserIdForSrp, _issuer, clientId, originJti, eventId, "access", "aws.cognito.signin.user.admin",
                authTime.ToUnixTimeSeconds(), exp, iat, accessJti, user.UserIdForSrp),
            CognitoJsonContext.Default.AccessTokenClaims));
        var id = Sign(JsonSerializer.SerializeToUtf8Bytes(
            new IdTokenClaims(user.UserIdForSrp, true, _issuer, user.UserIdForSrp, originJti, clientId, eventId, "id",
                authTime.ToUnixTimeSeconds(), exp, iat, idJti, user.Email),
            CognitoJsonContext.Default.IdTokenClaims));
        _issued[accessJti] = new IssuedToken(user.UserIdForSrp, exp);
        _issued[idJti] = new IssuedToken(user.UserIdForSrp, exp);
        string? refresh = null;
        if (withRefreshToken)
        {
            refresh = NewRefreshToken();
            _refresh[refresh] = new RefreshGrant(user.UserIdForSrp, clientId, now + _options.RefreshTokenLifetime, authTime);
        }
        PruneExpired(now);
        return new AuthenticationResult(access, (int)_options.TokenLifetime.TotalSeconds, id, refresh, "Bearer");
    }

    public RefreshGrant? FindRefresh(string token) => _refresh.GetValueOrDefault(token);

    /// <summary>Checks a bearer token; returns the subject (Cognito username) when valid.</summary>
    public (TokenStatus Status, string? Sub) Validate(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return (TokenStatus.Invalid, null);
        }
        var expected = Base64Url.Encode(HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(parts[0] + "." + parts[1])));
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(parts[2])))
        {
            return (TokenStatus.Invalid, null);
        }
        var payload = Base64Url.TryDecode(parts[1]);
        if (payload is null)
        {
            return (TokenStatus.Invalid, null);
        }
        var probe = JsonSerializer.Deserialize(payload, CognitoJsonContext.Default.TokenProbe);
        if (probe?.Jti is null || probe.Sub is null || !_issued.TryGetValue(probe.Jti, out var issued))
        {
            // Signed by us but forgotten: it expired long ago and was pruned.
            return (TokenStatus.Expired, null);
        }
        if (issued.Revoked || _time.GetUtcNow().ToUnixTimeSeconds() >= probe.Exp)
        {
            return (TokenStatus.Expired, probe.Sub);
        }
        return (TokenStatus.Valid, probe.Sub);
    }

    /// <summary>Every access and id token issued so far stops working (as if all expired now).</summary>
    public int ExpireAllAccessTokens(string? sub = null)
    {
        var count = 0;
        foreach (var token in _issued.Values)
        {
            if (!token.Revoked && (sub is null || token.Sub == sub))
            {
                token.Revoked = true;
                count++;
            }
        }
        return count;
    }

    /// <summary>Every refresh token issued so far is refused from now on.</summary>
    public int RevokeRefreshTokens(string? sub = null)
    {
        var count = 0;
        foreach (var grant in _refresh.Values)
        {
            if (!grant.Revoked && (sub is null || grant.Sub == sub))
            {
                grant.Revoked = true;
                count++;
            }
        }
        return count;
    }

    private string Sign(byte[] claims)
    {
        var header = Base64Url.Encode(JsonSerializer.SerializeToUtf8Bytes(new JwtHeader(_kid, "HS256"), CognitoJsonContext.Default.JwtHeader));
        var body = header + "." + Base64Url.Encode(claims);
        return body + "." + Base64Url.Encode(HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(body)));
    }

    // Shaped like Cognito's: a JWE compact serialization (5 parts), opaque to clients.
    private string NewRefreshToken()
    {
        var header = Base64Url.Encode(JsonSerializer.SerializeToUtf8Bytes(new JweHeader("JWT", "A256GCM", "RSA-OAEP"), CognitoJsonContext.Default.JweHeader));
        return string.Join('.', header, Base64Url.Encode(_random.NextBytes(256)), Base64Url.Encode(_random.NextBytes(12)),
            Base64Url.Encode(_random.NextBytes(400)), Base64Url.Encode(_random.NextBytes(16)));
    }

    private void PruneExpired(DateTimeOffset now)
    {
        var epoch = now.ToUnixTimeSeconds();
        foreach (var (jti, token) in _issued)
        {
            if (token.Exp < epoch)
            {
                _issued.TryRemove(jti, out _);
            }
        }
        var cutoff = now;
        foreach (var (token, grant) in _refresh)
        {
            if (grant.ExpiresAt < cutoff)
            {
                _refresh.TryRemove(token, out _);
            }
        }
    }

    private sealed class IssuedToken(string sub, long exp)
    {
        public string Sub { get; } = sub;

        public long Exp { get; } = exp;

        public bool Revoked { get; set; }
    }
}

/// <summary>What a refresh token stands for.</summary>
internal sealed class RefreshGrant(string sub, string clientId, DateTimeOffset expiresAt, DateTimeOffset authTime)
{
    public string Sub { get; } = sub;

    public string ClientId { get; } = clientId;

    public DateTimeOffset ExpiresAt { get; } = expiresAt;

    public DateTimeOffset AuthTime { get; } = authTime;

    public bool Revoked { get; set; }
}
