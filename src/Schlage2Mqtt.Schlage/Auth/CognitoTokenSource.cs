using Schlage2Mqtt.Cloud;
using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Schlage.Options;

namespace Schlage2Mqtt.Schlage.Auth;

/// <summary>
/// Tokens of one account. Order of means: a token still valid past the leeway; a refresh with the
/// stored or pasted refresh token; a full SRP login when a password is configured; otherwise the
/// account needs the user (<c>reauth_required</c>). Refresh tokens are persisted, passwords never.
/// </summary>
internal sealed class CognitoTokenSource : ITokenSource, IDisposable
{
    private readonly SchlageAccountOptions _account;
    private readonly CognitoOptions _cognito;
    private readonly CognitoClient _client;
    private readonly SrpAuthenticator _srp;
    private readonly IRefreshTokenStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);

    private bool _initialized;
    private BearerToken? _current;
    private bool _currentIsPasted;
    private readonly List<string> _refreshCandidates = [];
    private string? _userIdForSrp;
    private string? _persistedRefreshToken;
    private string? _refreshHashUsername;
    private string? _persistedRefreshHashUsername;
    private AccountAuthState _state = AccountAuthState.Initial;

    public CognitoTokenSource(
        SchlageAccountOptions account,
        CognitoOptions cognito,
        CognitoClient client,
        SrpAuthenticator srp,
        IRefreshTokenStore store,
        TimeProvider time,
        ILogger logger)
    {
        _account = account;
        _cognito = cognito;
        _client = client;
        _srp = srp;
        _store = store;
        _time = time;
        _logger = logger;
    }

    /// <summary>SRP logins performed so far (diagnostics and tests).</summary>
    public int SrpLogins { get; private set; }

    /// <summary>Successful refreshes so far.</summary>
    public int Refreshes { get; private set; }

    public AccountAuthState State => Volatile.Read(ref _state);

    public async ValueTask<TokenResult> GetTokenAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await InitializeAsync(cancellationToken);
            if (_current is { } current && !IsDue(current))
            {
                return TokenResult.Success(current);
            }
            return await RenewLockedAsync(proactive: true, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask<TokenResult> GetTokenWithIdAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await InitializeAsync(cancellationToken);
            if (_current is { } current && !IsDue(current))
            {
                // A pasted access token carries no id token; renewing gets both, when there is a way to renew.
                var canRenew = _refreshCandidates.Count > 0 || (!string.IsNullOrEmpty(_account.Password) && _account.NormalizedUsername is { Length: > 0 });
                if (current.IdToken is not null || !canRenew)
                {
                    return TokenResult.Success(current);
                }
                _logger.LogInformation("Schlage account {Account}: renewing the pasted token to obtain the id token the push channel needs", _account.Key);
            }
            return await RenewLockedAsync(proactive: true, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask<TokenResult> RenewAsync(string rejectedToken, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await InitializeAsync(cancellationToken);
            if (_current is { } current && current.Value != rejectedToken && !IsDue(current))
            {
                // Another caller renewed while this one waited for the gate.
                return TokenResult.Success(current);
            }
            _logger.LogInformation("Schlage account {Account}: the cloud rejected the token (401); renewing", _account.Key);
            return await RenewLockedAsync(proactive: false, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// A fresh SRP login with a password given once (the <c>login</c> command): the refresh token is
    /// stored, the password is not kept.
    /// </summary>
    public async ValueTask<TokenResult> LoginAsync(string password, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            _initialized = true;
            if (_account.NormalizedUsername is not { Length: > 0 } username)
            {
                return Fail(new AuthFailure(AuthFailureKind.UnknownUser, "An email address is needed to log in."), AuthStatus.ReauthRequired);
            }
            SrpLogins++;
            var login = await _srp.LoginAsync(username, password, cancellationToken);
            if (login.Tokens is not { } tokens)
            {
                return Fail(login.Failure!, login.Failure!.NeedsUser ? AuthStatus.ReauthRequired : AuthStatus.Degraded);
            }
            _userIdForSrp = login.UserIdForSrp;
            _logger.LogInformation("Schlage account {Account}: logged in, tokens valid until {ExpiresAt:O}", _account.Key, tokens.ExpiresAt);
            return await AcceptAsync(tokens, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private bool IsDue(BearerToken token) =>
        token.ExpiresAt is { } expiresAt && _time.GetUtcNow() >= expiresAt - _cognito.RefreshLeeway;

    private async ValueTask InitializeAsync(CancellationToken cancellationToken)
    {
        if (_initialized)
        {
            return;
        }
        var stored = await _store.LoadAsync(_account.Key, cancellationToken);
        if (stored is not null && (stored.Username is null || _account.NormalizedUsername is null || stored.Username == _account.NormalizedUsername))
        {
            _refreshCandidates.Add(stored.RefreshToken);
            _userIdForSrp = stored.UserIdForSrp;
            _persistedRefreshToken = stored.RefreshToken;
            _refreshHashUsername = stored.RefreshHashUsername;
            _persistedRefreshHashUsername = stored.RefreshHashUsername;
            _logger.LogInformation("Schlage account {Account}: using the stored refresh token", _account.Key);
        }
        if (!string.IsNullOrWhiteSpace(_account.AccessToken))
        {
            var pasted = _account.AccessToken.Trim();
            var (expiresAt, username) = JwtClaims.Read(pasted);
            _current = new BearerToken(pasted, _cognito.TokenType == TokenType.Id ? pasted : null, expiresAt);
            _currentIsPasted = true;
            _userIdForSrp ??= username;
        }
        if (!string.IsNullOrWhiteSpace(_account.RefreshToken) && !_refreshCandidates.Contains(_account.RefreshToken.Trim()))
        {
            _refreshCandidates.Add(_account.RefreshToken.Trim());
        }
        _initialized = true;
    }

    private async ValueTask<TokenResult> RenewLockedAsync(bool proactive, CancellationToken cancellationToken)
    {
        AuthFailure? transient = null;
        AuthFailure? hashRejected = null;
        foreach (var refreshToken in _refreshCandidates.ToList())
        {
            var outcome = await RefreshWithEitherHashAsync(refreshToken, cancellationToken);
            if (outcome.Tokens is { } tokens)
            {
                return await AcceptAsync(tokens, cancellationToken);
            }
            var failure = outcome.Failure!;
            if (failure.Kind == AuthFailureKind.RefreshRefused)
            {
                _logger.LogWarning("Schlage account {Account}: Cognito refused the refresh token", _account.Key);
                _refreshCandidates.Remove(refreshToken);
                if (refreshToken == _persistedRefreshToken)
                {
                    await _store.DeleteAsync(_account.Key, cancellationToken);
                    _persistedRefreshToken = null;
                    _persistedRefreshHashUsername = null;
                }
                continue;
            }
            if (failure.Kind == AuthFailureKind.Misconfigured && CognitoErrors.IsSecretHashMismatch(failure.CognitoMessage))
            {
                // The token may be fine (a wrong client secret, or a hash form no source documents):
                // it stays stored so fixing the configuration does not also need a new login.
                _logger.LogWarning("Schlage account {Account}: Cognito rejected the refresh SECRET_HASH for every username form; keeping the refresh token", _account.Key);
                hashRejected = failure;
                continue;
            }
            transient = failure;
            break;
        }

        if (transient is not null)
        {
            // Cognito is unreachable or throttling: keep serving a token that has not expired yet.
            if (proactive && _current is { } still && (still.ExpiresAt is null || _time.GetUtcNow() < still.ExpiresAt))
            {
                _logger.LogWarning("Schlage account {Account}: refresh failed ({Kind}); the current token is still valid", _account.Key, transient.Kind);
                return TokenResult.Success(still);
            }
            return Fail(transient, AuthStatus.Degraded);
        }

        if (!string.IsNullOrEmpty(_account.Password) && _account.NormalizedUsername is { Length: > 0 } username)
        {
            _logger.LogInformation("Schlage account {Account}: logging in with SRP", _account.Key);
            SrpLogins++;
            var login = await _srp.LoginAsync(username, _account.Password, cancellationToken);
            if (login.Tokens is { } tokens)
            {
                _userIdForSrp = login.UserIdForSrp;
                _logger.LogInformation("Schlage account {Account}: logged in, tokens valid until {ExpiresAt:O}", _account.Key, tokens.ExpiresAt);
                return await AcceptAsync(tokens, cancellationToken);
            }
            var failure = login.Failure!;
            _logger.LogWarning("Schlage account {Account}: login failed: {Kind}", _account.Key, failure.Kind);
            return Fail(failure, failure.NeedsUser ? AuthStatus.ReauthRequired : AuthStatus.Degraded);
        }

        if (hashRejected is not null)
        {
            return Fail(hashRejected, AuthStatus.ReauthRequired);
        }

        if (_currentIsPasted && _current is { } pasted)
        {
            var what = proactive && pasted.ExpiresAt is { } expired
                ? $"The pasted token of account '{_account.Key}' expired at {expired:u}"
                : $"The cloud rejected the pasted token of account '{_account.Key}' (expired or revoked)";
            return Fail(new AuthFailure(
                AuthFailureKind.TokenExpired,
                what + $" and there is no refresh token or password to renew it: paste a fresh token together with its refresh_token, or {CognitoErrors.LoginHint}."),
                AuthStatus.ReauthRequired);
        }
        _current = null;
        return Fail(new AuthFailure(
            AuthFailureKind.ReauthRequired,
            $"Schlage account '{_account.Key}' has no valid token and no way to get one (no accepted refresh token, no password): {CognitoErrors.LoginHint}."),
            AuthStatus.ReauthRequired);
    }

    /// <summary>
    /// One refresh token, signed first with the username that worked last, then the internal username, then the
    /// lower-cased email (what pycognito, and so Home Assistant, signs with): only "SecretHash does not match"
    /// moves on to the next form.
    /// </summary>
    private async ValueTask<(AuthTokens? Tokens, AuthFailure? Failure)> RefreshWithEitherHashAsync(string refreshToken, CancellationToken cancellationToken)
    {
        AuthFailure? last = null;
        foreach (var hashUsername in RefreshHashUsernames())
        {
            var refreshed = await _client.RefreshAsync(refreshToken, hashUsername, cancellationToken);
            if (refreshed.Response?.AuthenticationResult is { AccessToken.Length: > 0, IdToken.Length: > 0 } result)
            {
                Refreshes++;
                _refreshHashUsername = hashUsername;
                var rotated = string.IsNullOrEmpty(result.RefreshToken) ? refreshToken : result.RefreshToken;
                var tokens = new AuthTokens(result.AccessToken!, result.IdToken!, rotated, _time.GetUtcNow() + TimeSpan.FromSeconds(result.ExpiresIn ?? 3600));
                _logger.LogInformation("Schlage account {Account}: tokens refreshed, valid until {ExpiresAt:O}", _account.Key, tokens.ExpiresAt);
                return (tokens, null);
            }
            last = refreshed.Failure ?? new AuthFailure(AuthFailureKind.InvalidResponse, "Cognito answered the refresh without tokens.");
            if (!(last.Kind == AuthFailureKind.Misconfigured && CognitoErrors.IsSecretHashMismatch(last.CognitoMessage)))
            {
                return (null, last);
            }
        }
        return (null, last!);
    }

    private IEnumerable<string?> RefreshHashUsernames()
    {
        if (string.IsNullOrEmpty(_cognito.ClientSecret))
        {
            // Without a client secret there is no hash, so one attempt says everything.
            yield return _userIdForSrp ?? _account.NormalizedUsername;
            yield break;
        }
        var forms = new List<string>(3);
        foreach (var form in new[] { _refreshHashUsername, _userIdForSrp, _account.NormalizedUsername })
        {
            if (form is { Length: > 0 } && !forms.Contains(form, StringComparer.Ordinal))
            {
                forms.Add(form);
                yield return form;
            }
        }
        if (forms.Count == 0)
        {
            yield return null;
        }
    }

    private async ValueTask<TokenResult> AcceptAsync(AuthTokens tokens, CancellationToken cancellationToken)
    {
        var bearer = _cognito.TokenType == TokenType.Id ? tokens.IdToken : tokens.AccessToken;
        _current = new BearerToken(bearer, tokens.IdToken, tokens.ExpiresAt);
        _currentIsPasted = false;
        if (tokens.RefreshToken is { Length: > 0 } refresh)
        {
            _refreshCandidates.Remove(refresh);
            _refreshCandidates.Insert(0, refresh);
            if (refresh != _persistedRefreshToken || _refreshHashUsername != _persistedRefreshHashUsername)
            {
                await _store.SaveAsync(_account.Key, new StoredRefreshToken(refresh, _userIdForSrp, _account.NormalizedUsername, _refreshHashUsername), cancellationToken);
                _persistedRefreshToken = refresh;
                _persistedRefreshHashUsername = _refreshHashUsername;
            }
        }
        Volatile.Write(ref _state, new AccountAuthState(AuthStatus.Ok, null, _time.GetUtcNow()));
        return TokenResult.Success(_current);
    }

    private TokenResult Fail(AuthFailure failure, AuthStatus status)
    {
        Volatile.Write(ref _state, new AccountAuthState(status, failure.Message, _time.GetUtcNow(), failure.Kind.ToString()));
        return TokenResult.Fail(failure);
    }

    public void Dispose() => _gate.Dispose();
}
