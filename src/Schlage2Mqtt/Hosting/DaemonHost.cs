using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Bridge.State;
using Schlage2Mqtt.Cli;
using Schlage2Mqtt.Configuration;
using Schlage2Mqtt.Logging;

namespace Schlage2Mqtt.Hosting;

/// <summary>Composes the daemon: generic host, redacting logs, state store, hosted services.</summary>
internal static class DaemonHost
{
    /// <summary>How long hosted services get to stop on SIGTERM/SIGINT before the process exits anyway.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(5);

    public static IHost Build(AppConfig config, CliContext context)
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
            redactor.Add(secret.Reveal());
        }
        var logProvider = new RedactingConsoleLoggerProvider(redactor, TimeProvider.System, context.Error);
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(config.LogLevel);
        if (config.LogLevel > LogLevel.Debug)
        {
            builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        }

        builder.Services.AddSingleton(config);
        builder.Services.AddSingleton(redactor);
        builder.Services.AddSingleton<ILoggerProvider>(logProvider);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp => new StateStore(config.DataDir, sp.GetRequiredService<ILogger<StateStore>>(), sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<HealthReporter>();
        builder.Services.AddHostedService<LifecycleLogger>();
        if (config.Http.Listen is not null)
        {
            builder.Services.AddHostedService<HealthEndpoint>();
        }
        var host = builder.Build();
        // Open the state directory now: a data_dir the daemon cannot create or write must stop it at start, not mid-run.
        host.Services.GetRequiredService<StateStore>();
        return host;
    }
}
