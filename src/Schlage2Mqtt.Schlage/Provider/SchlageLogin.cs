using Schlage2Mqtt.Cloud;
using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Schlage.Auth;
using Schlage2Mqtt.Schlage.Auth.Srp;
using Schlage2Mqtt.Schlage.Options;

namespace Schlage2Mqtt.Schlage.Provider;

/// <summary>
/// The operation behind <c>schlage2mqtt login</c>: SRP login with an email and password given once,
/// the refresh token stored for the account (the password never is), then the locks listed.
/// The CLI only prompts and prints.
/// </summary>
public sealed class SchlageLogin
{
    private readonly SchlageCloudOptions _options;
    private readonly IRefreshTokenStore _store;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly Func<SrpClientSession>? _srpSessions;

    /// <summary>Creates the operation; <paramref name="options"/> supplies endpoints and the Cognito client (its accounts are ignored).</summary>
    public SchlageLogin(SchlageCloudOptions options, IRefreshTokenStore store, HttpClient http, TimeProvider time, ILoggerFactory loggers)
        : this(options, store, http, time, loggers, null)
    {
    }

    internal SchlageLogin(
        SchlageCloudOptions options, IRefreshTokenStore store, HttpClient http, TimeProvider time, ILoggerFactory loggers, Func<SrpClientSession>? srpSessions)
    {
        ArgumentNullException.ThrowIfNull(options);
        SchlageLockCloudProvider.ThrowIfInvalid(options with { Accounts = [] });
        SchlageLockCloudProvider.ThrowIfTimeoutTooShort(http, options);
        _options = options;
        _store = store;
        _http = http;
        _time = time;
        _loggers = loggers;
        _srpSessions = srpSessions;
    }

    /// <summary>Logs in and lists the locks.</summary>
    /// <param name="accountKey">The account's config key; the refresh token is stored under it.</param>
    /// <param name="email">The account's email (lower-cased before use).</param>
    /// <param name="password">The password; used for this login only.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    public async Task<LoginResult> LoginAsync(string accountKey, string email, string password, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accountKey);
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        ArgumentException.ThrowIfNullOrEmpty(password);
        var builder = new SchlageAccountBuilder(_options, _store, _http, _time, _loggers, _srpSessions);
        var (account, tokens) = builder.Build(new SchlageAccountOptions { Key = accountKey, Username = email });
        using (account)
        {
            var login = await tokens.LoginAsync(password, cancellationToken);
            if (!login.IsSuccess)
            {
                return new LoginResult(login.Failure, [], null);
            }
            var locks = await account.ListLocksAsync(cancellationToken);
            return locks.IsSuccess
                ? new LoginResult(null, locks.Value!, null)
                : new LoginResult(null, [], locks.Failure);
        }
    }
}
