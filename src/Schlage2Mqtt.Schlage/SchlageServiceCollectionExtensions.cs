using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Schlage2Mqtt.Schlage.Auth;
using Schlage2Mqtt.Schlage.Cloud;
using Schlage2Mqtt.Schlage.Options;
using Schlage2Mqtt.Schlage.Provider;

namespace Schlage2Mqtt.Schlage;

/// <summary>Registers the Schlage cloud layer in a service collection.</summary>
public static class SchlageServiceCollectionExtensions
{
    /// <summary>The named <see cref="HttpClient"/> the layer uses.</summary>
    public const string HttpClientName = "schlage";

    /// <summary>
    /// Adds <see cref="ILockCloudProvider"/> (the Schlage provider) and <see cref="SchlageLogin"/>,
    /// driven by <c>IOptions&lt;SchlageCloudOptions&gt;</c> (validated at start). Register an
    /// <see cref="IRefreshTokenStore"/> to persist tokens; without one they live in memory only.
    /// </summary>
    public static IServiceCollection AddSchlageCloud(this IServiceCollection services, Action<SchlageCloudOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<SchlageCloudOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SchlageCloudOptions>, SchlageCloudOptionsValidation>());
        options.ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IRefreshTokenStore, InMemoryRefreshTokenStore>();
        // Polly owns the per-attempt timeout; HttpClient's own would cut lock commands short.
        services.AddHttpClient(HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan);
        services.TryAddSingleton(sp => new SchlageLockCloudProvider(
            sp.GetRequiredService<IOptions<SchlageCloudOptions>>().Value,
            sp.GetRequiredService<IRefreshTokenStore>(),
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>()));
        services.TryAddSingleton<ILockCloudProvider>(sp => sp.GetRequiredService<SchlageLockCloudProvider>());
        services.TryAddSingleton(sp => new SchlageLogin(
            sp.GetRequiredService<IOptions<SchlageCloudOptions>>().Value,
            sp.GetRequiredService<IRefreshTokenStore>(),
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>()));
        return services;
    }

    private sealed class SchlageCloudOptionsValidation : IValidateOptions<SchlageCloudOptions>
    {
        public ValidateOptionsResult Validate(string? name, SchlageCloudOptions options)
        {
            var errors = options.Validate();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors.Select(e => e.ToString()));
        }
    }
}
