using System.Collections.Concurrent;
using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Simulator.Cloud;
using Schlage2Mqtt.Simulator.Faults;
using Schlage2Mqtt.Simulator.Internal;

namespace Schlage2Mqtt.Simulator.Cognito;

/// <summary>
/// The Cognito user pool: SRP verifiers derived from the configured passwords, PASSWORD_VERIFIER
/// challenges, refresh grants and per-user injected errors. Behaves as AWS's does for the flows
/// USER_SRP_AUTH and REFRESH_TOKEN_AUTH. Thread-safe.
/// </summary>
internal sealed class CognitoUserPool
{
    private const string TimestampFormat = "ddd MMM d HH:mm:ss 'UTC' yyyy";

    private readonly Dictionary<string, PoolUser> _byEmail = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PoolUser> _byUsername = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AppClientDefinition> _clients = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SrpSession> _sessions = new(StringComparer.Ordinal);
    private readonly SimulatorOptions _options;
    private readonly TimeProvider _time;
    private readonly SeededRandom _random;
    private readonly ILogger _logger;

    public CognitoUserPool(SimulatorOptions options, IReadOnlyList<ResolvedAccount> accounts, TimeProvider time, SeededRandom random, ILogger logger)
    {
        _options = options;
        _time = time;
        _random = random;
        _logger = logger;
        var parts = options.UserPoolId.Split('_');
        if (parts.Length != 2 || parts[1].Length == 0)
        {
            throw new ArgumentException($"UserPoolId '{options.UserPoolId}' must look like 'us-west-2_AbC123'.", nameof(options));
        }
        PoolName = parts[1];
        Tokens = new TokenService(options, time, random);
        foreach (var client in options.AppClients)
        {
            _clients[client.ClientId] = client;
        }
        foreach (var account in accounts)
        {
            var salt = SrpHex.Parse(random.NextHex(16));
            var x = SrpServer.ComputeX(PoolName, account.UserIdForSrp, account.Password, salt);
            var user = new PoolUser(account, salt, SrpServer.ComputeVerifier(x));
            _byEmail.Add(account.Email, user);
            _byUsername.Add(account.UserIdForSrp, user);
        }
    }

    public string PoolName { get; }

    public TokenService Tokens { get; }

    public void SetUserError(string email, CognitoUserError? error, int? count)
    {
        var user = _byEmail.GetValueOrDefault(email.ToLowerInvariant())
            ?? throw new ArgumentException($"No Cognito user '{email}'.", nameof(email));
        user.SetError(error, count);
    }

    public string? SubjectFor(string username) =>
        _byEmail.GetValueOrDefault(username)?.Account.UserIdForSrp ?? _byUsername.GetValueOrDefault(username)?.Account.UserIdForSrp;

    /// <summary>InitiateAuth USER_SRP_AUTH: answers the PASSWORD_VERIFIER challenge.</summary>
    public ChallengeResponse StartSrp(string clientId, IReadOnlyDictionary<string, string> parameters)
    {
        var client = Client(clientId);
        var username = Required(parameters, "USERNAME");
        var srpA = Required(parameters, "SRP_A");
        var user = FindUser(username);
        CheckSecretHash(client, parameters, username);
        user.ThrowInjected();
        if (!user.Account.Confirmed)
        {
            throw new CognitoException("UserNotConfirmedException", "User is not confirmed.");
        }
        if (!SrpHex.TryParse(srpA, out var bigA) || (bigA % SrpGroup.N).IsZero)
        {
            throw CognitoException.InvalidParameter("SRP_A is not a valid SRP value.");
        }
        BigInteger b, bigB;
        do
        {
            b = SrpHex.Parse(_random.NextHex(128)) % SrpGroup.N;
            bigB = SrpServer.ComputeB(user.Verifier, b);
        }
        while ((bigB % SrpGroup.N).IsZero || SrpServer.ComputeU(bigA, bigB).IsZero);

        PruneSessions();
        // The secret block is opaque to clients; here it is random bytes keying the pending challenge.
        var secretBlock = Convert.ToBase64String(_random.NextBytes(64));
        _sessions[secretBlock] = new SrpSession(user, clientId, bigA, b, bigB, _time.GetUtcNow());
        return new ChallengeResponse("PASSWORD_VERIFIER", new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["SALT"] = SrpHex.PadHex(user.Salt),
            ["SECRET_BLOCK"] = secretBlock,
            ["SRP_B"] = SrpHex.ToHex(bigB),
            ["USERNAME"] = user.Account.UserIdForSrp,
            ["USER_ID_FOR_SRP"] = user.Account.UserIdForSrp,
        });
    }

    /// <summary>RespondToAuthChallenge PASSWORD_VERIFIER: checks the signature and issues tokens.</summary>
    public AuthResponse CompleteSrp(string clientId, string challengeName, IReadOnlyDictionary<string, string> responses)
    {
        var client = Client(clientId);
        if (challengeName != "PASSWORD_VERIFIER")
        {
            throw CognitoException.InvalidParameter($"Unsupported challenge name {challengeName}.");
        }
        var username = Required(responses, "USERNAME");
        var secretBlock = Required(responses, "PASSWORD_CLAIM_SECRET_BLOCK");
        var signature = Required(responses, "PASSWORD_CLAIM_SIGNATURE");
        var timestamp = Required(responses, "TIMESTAMP");
        var user = FindUser(username);
        CheckSecretHash(client, responses, username);
        // One answer per challenge, right or wrong.
        if (!_sessions.TryRemove(secretBlock, out var session) || !ReferenceEquals(session.User, user) || session.ClientId != clientId
            || _time.GetUtcNow() - session.Created > _options.SrpChallengeLifetime)
        {
            throw CognitoException.NotAuthorized("Invalid session for the user.");
        }
        user.ThrowInjected();
        if (!TimestampAcceptable(timestamp))
        {
            _logger.LogWarning("SRP TIMESTAMP '{Timestamp}' refused: expected '{Format}' (day not zero-padded) within {Tolerance} of now", timestamp, TimestampFormat, _options.TimestampTolerance);
            throw CognitoException.NotAuthorized();
        }
        var u = SrpServer.ComputeU(session.A, session.B);
        var s = SrpServer.ComputeS(session.A, user.Verifier, u, session.SmallB);
        var key = SrpServer.DeriveKey(s, u);
        var expected = SrpServer.ComputeSignature(key, PoolName, user.Account.UserIdForSrp, Convert.FromBase64String(secretBlock), timestamp);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature)))
        {
            throw CognitoException.NotAuthorized();
        }
        var result = Tokens.Issue(user.Account, clientId, withRefreshToken: true, _time.GetUtcNow());
        return new AuthResponse(new Dictionary<string, string>(), result);
    }

    /// <summary>InitiateAuth REFRESH_TOKEN_AUTH: new access and id tokens, no new refresh token.</summary>
    public AuthResponse Refresh(string clientId, IReadOnlyDictionary<string, string> parameters)
    {
        var client = Client(clientId);
        var token = Required(parameters, "REFRESH_TOKEN");
        var grant = Tokens.FindRefresh(token);
        if (grant is null || grant.ClientId != clientId || !_byUsername.TryGetValue(grant.Sub, out var user))
        {
            throw CognitoException.NotAuthorized("Invalid Refresh Token");
        }
        // No source settles which username the refresh hash is over: the internal username (USER_ID_FOR_SRP)
        // and the lower-cased email (pycognito, which Home Assistant refreshes with every hour) both work.
        CheckSecretHash(client, parameters, user.Account.UserIdForSrp, user.Account.Email);
        if (grant.Revoked)
        {
            throw CognitoException.NotAuthorized("Refresh Token has been revoked");
        }
        if (_time.GetUtcNow() >= grant.ExpiresAt)
        {
            throw CognitoException.NotAuthorized("Refresh Token has expired");
        }
        user.ThrowInjected();
        var result = Tokens.Issue(user.Account, clientId, withRefreshToken: false, grant.AuthTime);
        return new AuthResponse(new Dictionary<string, string>(), result);
    }

    private bool TimestampAcceptable(string timestamp)
    {
        var fields = timestamp.Split(' ');
        if (fields.Length != 6 || fields[2].StartsWith('0'))
        {
            return false;
        }
        if (!DateTime.TryParseExact(timestamp, TimestampFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return false;
        }
        var skew = new DateTimeOffset(parsed, TimeSpan.Zero) - _time.GetUtcNow();
        return skew.Duration() <= _options.TimestampTolerance;
    }

    private AppClientDefinition Client(string clientId) =>
        _clients.GetValueOrDefault(clientId)
        ?? throw new CognitoException("ResourceNotFoundException", $"User pool client {clientId} does not exist.");

    // Usernames are looked up exactly: stored emails are lower case, so "Me@X.com" does not exist.
    private PoolUser FindUser(string username) =>
        _byEmail.GetValueOrDefault(username) ?? _byUsername.GetValueOrDefault(username) ?? throw CognitoException.UserNotFound();

    private static void CheckSecretHash(AppClientDefinition client, IReadOnlyDictionary<string, string> parameters, params string[] usernames)
    {
        if (client.ClientSecret is null)
        {
            return;
        }
        if (!parameters.TryGetValue("SECRET_HASH", out var given) || string.IsNullOrEmpty(given))
        {
            throw CognitoException.NotAuthorized($"Unable to verify secret hash for client {client.ClientId}");
        }
        var matches = usernames.Any(username => CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(SrpServer.SecretHash(client.ClientSecret, username, client.ClientId)), Encoding.ASCII.GetBytes(given)));
        if (!matches)
        {
            throw CognitoException.NotAuthorized($"SecretHash does not match for the client: {client.ClientId}");
        }
    }

    private static string Required(IReadOnlyDictionary<string, string> parameters, string name) =>
        parameters.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value)
            ? value
            : throw CognitoException.InvalidParameter($"Missing required parameter {name}");

    private void PruneSessions()
    {
        var cutoff = _time.GetUtcNow() - _options.SrpChallengeLifetime;
        foreach (var (key, session) in _sessions)
        {
            if (session.Created < cutoff)
            {
                _sessions.TryRemove(key, out _);
            }
        }
    }

    private sealed record SrpSession(PoolUser User, string ClientId, BigInteger A, BigInteger SmallB, BigInteger B, DateTimeOffset Created);

    private sealed class PoolUser(ResolvedAccount account, BigInteger salt, BigInteger verifier)
    {
        private readonly Lock _gate = new();
        private CognitoUserError? _error;
        private int? _remaining;

        public ResolvedAccount Account { get; } = account;

        public BigInteger Salt { get; } = salt;

        public BigInteger Verifier { get; } = verifier;

        public void SetError(CognitoUserError? error, int? count)
        {
            lock (_gate)
            {
                _error = error;
                _remaining = count;
            }
        }

        public void ThrowInjected()
        {
            CognitoUserError error;
            lock (_gate)
            {
                if (_error is not { } e)
                {
                    return;
                }
                error = e;
                if (_remaining is { } left)
                {
                    _remaining = left - 1;
                    if (_remaining <= 0)
                    {
                        _error = null;
                        _remaining = null;
                    }
                }
            }
            throw error switch
            {
                CognitoUserError.NotAuthorized => CognitoException.NotAuthorized(),
                CognitoUserError.UserNotFound => CognitoException.UserNotFound(),
                CognitoUserError.UserNotConfirmed => new CognitoException("UserNotConfirmedException", "User is not confirmed."),
                CognitoUserError.PasswordResetRequired => new CognitoException("PasswordResetRequiredException", "Password reset required for the user"),
                _ => new CognitoException("TooManyRequestsException", "Rate exceeded"),
            };
        }
    }
}
