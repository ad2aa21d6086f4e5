using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Schlage2Mqtt.Schlage.Auth;
using Schlage2Mqtt.Cloud;
using Schlage2Mqtt.Schlage.Options;
using Schlage2Mqtt.Schlage.Provider;

namespace Schlage2Mqtt.Schlage;

/// <summary>Registers the Schlage cloud layer in a service collection.</summary>
public static class SchlageServiceCollectionExtensions
{
    /// <summary>The named <see cref="HttpClient"/> the layer uses.</summary>
    public const string HttpClientName = "schlage";

    /// <summary>
    /// Adds <see cref="ILockCloudProvider"/> (the Schlage provider) and <see cref="SchlageLogin"/> for
    /// <paramref name="options"/>, which are validated here: invalid options throw at once, naming every field.
    /// Register an <see cref="IRefreshTokenStore"/> to persist tokens; without one they live in memory only.
    /// </summary>
    public static IServiceCollection AddSchlageCloud(this IServiceCollection services, SchlageCloudOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        var result = new SchlageOptionsValidator().Validate(null, options);
        if (result.Failed)
        {
            // The options are immutable records, so they are checked once here rather than on every resolve.
            throw new OptionsValidationException(nameof(SchlageCloudOptions), typeof(SchlageCloudOptions), result.Failures);
        }
        services.AddSingleton<IOptions<SchlageCloudOptions>>(Microsoft.Extensions.Options.Options.Create(options));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IRefreshTokenStore, InMemoryRefreshTokenStore>();
        // Polly owns the per-attempt timeout; HttpClient's own would cut lock commands short.
        services.AddHttpClient(HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan);
        services.TryAddSingleton(sp => new SchlageLockCloudProvider(
            options,
            sp.GetRequiredService<IRefreshTokenStore>(),
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>()));
        services.TryAddSingleton<ILockCloudProvider>(sp => sp.GetRequiredService<SchlageLockCloudProvider>());
        services.TryAddSingleton(sp => new SchlageLogin(
            options,
            sp.GetRequiredService<IRefreshTokenStore>(),
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>()));
        return services;
    }
}
