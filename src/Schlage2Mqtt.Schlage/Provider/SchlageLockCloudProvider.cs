using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Schlage.Auth;
using Schlage2Mqtt.Schlage.Auth.Srp;
using Schlage2Mqtt.Cloud;
using Schlage2Mqtt.Schlage.Options;

namespace Schlage2Mqtt.Schlage.Provider;

/// <summary>The Schlage Home consumer cloud as an <see cref="ILockCloudProvider"/>: one <see cref="SchlageLockAccount"/> per configured account.</summary>
public sealed class SchlageLockCloudProvider : ILockCloudProvider, IDisposable
{
    private readonly List<SchlageLockAccount> _accounts = [];

    /// <summary>Creates the provider.</summary>
    /// <param name="options">Validated options; invalid ones throw <see cref="ArgumentException"/> listing every error.</param>
    /// <param name="store">Where refresh tokens survive restarts.</param>
    /// <param name="http">HTTP client for Cognito and REST; its own Timeout must exceed <see cref="SchlageCloudOptions.RequestTimeout"/>.</param>
    /// <param name="time">Clock for token expiry, timeouts, backoff and the call budget.</param>
    /// <param name="loggers">Logger factory.</param>
    public SchlageLockCloudProvider(
        SchlageCloudOptions options, IRefreshTokenStore store, HttpClient http, TimeProvider time, ILoggerFactory loggers)
        : this(options, store, http, time, loggers, null, null)
    {
    }

    internal SchlageLockCloudProvider(
        SchlageCloudOptions options,
        IRefreshTokenStore store,
        HttpClient http,
        TimeProvider time,
        ILoggerFactory loggers,
        Func<SrpClientSession>? srpSessions,
        Func<double>? randomizer)
    {
        ArgumentNullException.ThrowIfNull(options);
        ThrowIfInvalid(options);
        ThrowIfTimeoutTooShort(http, options);
        var builder = new SchlageAccountBuilder(options, store, http, time, loggers, srpSessions, randomizer);
        foreach (var account in options.Accounts)
        {
            _accounts.Add(builder.Build(account).Account);
        }
    }

    /// <inheritdoc />
    public string Name => "schlage";

    /// <inheritdoc />
    public IReadOnlyList<ILockAccount> Accounts => _accounts;

    /// <summary>The account with the given key.</summary>
    /// <exception cref="KeyNotFoundException">No such account.</exception>
    public SchlageLockAccount Account(string key) =>
        _accounts.FirstOrDefault(a => a.Key == key) ?? throw new KeyNotFoundException($"No Schlage account '{key}' is configured.");

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var account in _accounts)
        {
            account.Dispose();
        }
    }

    internal static void ThrowIfTimeoutTooShort(HttpClient http, SchlageCloudOptions options)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.Timeout != Timeout.InfiniteTimeSpan && http.Timeout <= options.RequestTimeout)
        {
            throw new ArgumentException(
                $"The HttpClient's Timeout ({http.Timeout}) would cut calls before request_timeout ({options.RequestTimeout}); set it to Timeout.InfiniteTimeSpan.",
                nameof(http));
        }
    }

    internal static void ThrowIfInvalid(SchlageCloudOptions options)
    {
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid Schlage cloud settings:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  " + e)), nameof(options));
        }
    }
}
