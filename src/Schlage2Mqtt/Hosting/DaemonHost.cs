using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Bridge;
using Schlage2Mqtt.Bridge.State;
using Schlage2Mqtt.Mqtt;
using Schlage2Mqtt.Schlage;
using Schlage2Mqtt.Schlage.Auth;
using Schlage2Mqtt.Cloud;
using Schlage2Mqtt.Cli;
using Schlage2Mqtt.Configuration;
using Schlage2Mqtt.Logging;

namespace Schlage2Mqtt.Hosting;

/// <summary>Composes the daemon: generic host, redacting logs, state store, hosted services.</summary>
internal static class DaemonHost
{
    /// <summary>How long hosted services get to stop on SIGTERM/SIGINT before the process exits anyway.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Builds the daemon; <paramref name="configure"/> lets tests and demo mode replace services (e.g. time).</summary>
    public static IHost Build(AppConfig config, CliContext context, Action<IServiceCollection>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            ApplicationName = "schlage2mqtt",
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);

        var redactor = new SecretRedactor();
        foreach (var secret in config.Secrets())
        {
            redactor.Add(secret);
        }
        var logProvider = new RedactingConsoleLoggerProvider(redactor, TimeProvider.System, context.Error);
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(config.LogLevel);
        if (config.LogLevel > LogLevel.Debug)
        {
            // Framework chatter (one line per HTTP request) would drown the bridge's own lines.
            builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
            builder.Logging.AddFilter("System.Net.Http", LogLevel.Warning);
        }

        builder.Services.AddSingleton(config);
        builder.Services.AddSingleton(redactor);
        builder.Services.AddSingleton<ILoggerProvider>(logProvider);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp => new StateStore(config.DataDir, sp.GetRequiredService<ILogger<StateStore>>(), sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<HealthReporter>();
        builder.Services.AddSingleton<FileRefreshTokenStore>();
        builder.Services.AddSingleton<IRefreshTokenStore>(sp => sp.GetRequiredService<FileRefreshTokenStore>());
        builder.Services.AddSchlageCloud(config.Schlage);

        // Completed here, not when the file is read: demo mode and tests adjust the config after loading it.
        var bridgeOptions = config.Bridge with { Version = BuildInfo.Version, ConfigSummary = ConfigSummary.Of(config) };
        var mqttOptions = config.Mqtt with { Will = BridgeRuntime.WillMessage(bridgeOptions) };
        mqttOptions.Validate();
        builder.Services.AddSingleton(bridgeOptions);
        builder.Services.AddSingleton<IMqttClient>(sp => new ReconnectingMqttClient(
            mqttOptions, config.MqttReconnect, sp.GetRequiredService<ILogger<ReconnectingMqttClient>>(), sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddBridge(bridgeOptions);
        builder.Services.AddSingleton<BridgeHostedService>();
        builder.Services.AddSingleton<IHealthContributor>(sp => sp.GetRequiredService<BridgeHostedService>());

        builder.Services.AddHostedService<LifecycleLogger>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<BridgeHostedService>());
        if (config.Http.Listen is not null)
        {
            builder.Services.AddHostedService<HealthEndpoint>();
        }
        configure?.Invoke(builder.Services);
        var host = builder.Build();
        // Open the state directory now: a data_dir the daemon cannot create or write must stop it at start, not mid-run.
        host.Services.GetRequiredService<StateStore>();
        return host;
    }
}
