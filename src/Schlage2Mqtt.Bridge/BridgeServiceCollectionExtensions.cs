using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Bridge.AccessCodes;
using Schlage2Mqtt.Bridge.Activity;
using Schlage2Mqtt.Bridge.Discovery;
using Schlage2Mqtt.Bridge.Features;
using Schlage2Mqtt.Bridge.Requests;
using Schlage2Mqtt.Bridge.Runtime;
using Schlage2Mqtt.Bridge.State;
using Schlage2Mqtt.Bridge.Topics;
using Schlage2Mqtt.Cloud;
using Schlage2Mqtt.Mqtt;

namespace Schlage2Mqtt.Bridge;

/// <summary>Composes the bridge in a service collection.</summary>
public static class BridgeServiceCollectionExtensions
{
    /// <summary>
    /// Registers the bridge's core (lock-state hub, lock table, event hub, publisher, background work), every feature
    /// once, and <see cref="BridgeRuntime"/>. Expects from the caller: <see cref="IMqttClient"/>, the
    /// <see cref="ILockCloudProvider"/>s, <see cref="TimeProvider"/> and logging; a <see cref="StateStore"/> when state
    /// is to survive restarts (without one the bridge remembers nothing).
    /// </summary>
    /// <param name="services">The collection to add to.</param>
    /// <param name="options">The bridge's options.</param>
    /// <param name="random">Source of jitter; seeded by tests to repeat a run.</param>
    public static IServiceCollection AddBridge(this IServiceCollection services, BridgeOptions options, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.TryAddSingleton(options);
        services.AddSingleton(new BridgeRandom(random ?? new Random()));
        services.AddSingleton(new BridgeTopics(options.BaseTopic));
        services.AddSingleton(new DiscoveryBuilder(new DiscoverySettings(options.DiscoveryPrefix, options.BaseTopic, options.Version, options.LegacyDiscovery)));
        services.AddSingleton<IReadOnlyList<AccountRuntime>>(sp =>
            [.. sp.GetServices<ILockCloudProvider>().SelectMany(p => p.Accounts.Select(a => new AccountRuntime(a, p.Name)))]);

        // The core: every feature depends on these, they on no feature.
        services.AddSingleton<BridgeCounters>();
        services.AddSingleton<BridgeEvents>();
        services.AddSingleton(sp => new BackgroundWork(Logger<BridgeRuntime>(sp)));
        services.AddSingleton(sp => new BridgePublisher(sp.GetRequiredService<IMqttClient>(), sp.GetRequiredService<BridgeCounters>(), sp.GetRequiredService<TimeProvider>(), Logger<BridgePublisher>(sp)));
        services.AddSingleton(sp => new BridgeLog(sp.GetRequiredService<BridgePublisher>(), sp.GetRequiredService<BridgeTopics>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("Schlage2Mqtt.Bridge.BridgeLog")));
        services.AddSingleton<LockStateHub>();
        services.AddSingleton(sp => sp.GetRequiredService<LockStateHub>().Registry);
        services.AddSingleton<BridgeStatus>();
        services.AddSingleton(sp => new StartupHold(sp.GetRequiredService<IReadOnlyList<AccountRuntime>>(), options, sp.GetRequiredService<BackgroundWork>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<BridgeLog>(), Logger<StartupHold>(sp)));
        services.AddSingleton(sp => new StaleDiscoveryCleaner(sp.GetRequiredService<DiscoveryBuilder>(), Logger<StaleDiscoveryCleaner>(sp)));
        services.AddSingleton<CommandExecutor>();

        // The parts features use among themselves.
        services.AddSingleton(sp => new AccessCodeManager(options, sp.GetRequiredService<LockRegistry>(), sp.GetRequiredService<BridgePublisher>(),
            sp.GetRequiredService<BridgeTopics>(), sp.GetRequiredService<BridgeLog>(), sp.GetRequiredService<BackgroundWork>(), Store(sp),
            sp.GetRequiredService<TimeProvider>(), Logger<AccessCodeManager>(sp)));
                services.AddSingleton(sp => RequestDispatcherFor(sp, options));

        // The features, in start order (stopped in reverse): observers subscribe before anything they observe starts.
        AddFeature<ActivityTracker>(services);
        AddFeature<CommandsFeature>(services);
        AddFeature<BridgeInfoFeature>(services);
        AddFeature<MessagingFeature>(services);
        AddFeature<DiscoveryFeature>(services);
        AddFeature<PollingFeature>(services);
        AddFeature<AccessCodesFeature>(services);
        AddFeature<PushFeature>(services);

        services.AddSingleton(sp => new BridgeRuntime(sp.GetServices<IBridgeFeature>(), options, sp.GetRequiredService<IMqttClient>(),
            sp.GetRequiredService<BridgePublisher>(), sp.GetRequiredService<BridgeStatus>(), sp.GetRequiredService<BackgroundWork>(), Logger<BridgeRuntime>(sp)));
        return services;
    }

    // The container builds the feature through its public constructor: kept for trimming (Native AOT).
    private static void AddFeature<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TFeature>(IServiceCollection services)
        where TFeature : class, IBridgeFeature
    {
        services.TryAddSingleton<TFeature>();
        services.AddSingleton<IBridgeFeature>(sp => sp.GetRequiredService<TFeature>());
    }

    private static RequestDispatcher RequestDispatcherFor(IServiceProvider sp, BridgeOptions options)
    {
        var registry = sp.GetRequiredService<LockRegistry>();
        var commands = sp.GetRequiredService<CommandExecutor>();
        var time = sp.GetRequiredService<TimeProvider>();
        var handlers = new List<IBridgeRequestHandler>
        {
            new HealthCheckRequestHandler(sp.GetRequiredService<BridgeStatus>()),
            new LocksRequestHandler(registry),
            new RefreshRequestHandler(registry, commands, sp.GetRequiredService<IReadOnlyList<AccountRuntime>>()),
            new LockRequestHandler(registry, commands),
            new DiagnosticsRequestHandler(registry),
        };
        handlers.AddRange(AccessCodeRequestHandler.All(registry, sp.GetRequiredService<AccessCodeManager>(), time));
        // A lock request settles within ConfirmTimeout and an access-code request answers by its response timeout:
        // the dispatcher's deadline is the longer of the two plus a margin, so it only ever catches what ran away.
        var deadline = (options.ConfirmTimeout > options.AccessCodeResponseTimeout ? options.ConfirmTimeout : options.AccessCodeResponseTimeout) + TimeSpan.FromSeconds(5);
        return new RequestDispatcher(handlers, sp.GetRequiredService<BridgeTopics>(), sp.GetRequiredService<BridgePublisher>(), sp.GetRequiredService<BridgeLog>(),
            Logger<RequestDispatcher>(sp), deadline, time);
    }

    private static StateStore? Store(IServiceProvider sp) => sp.GetService<StateStore>();

    private static ILogger<T> Logger<T>(IServiceProvider sp) => sp.GetRequiredService<ILogger<T>>();
}
