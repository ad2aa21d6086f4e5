using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Configuration;

namespace Schlage2Mqtt.Hosting;

/// <summary>Says once what the daemon is about to do, and that it stopped; the first and last lines of every run.</summary>
internal sealed class LifecycleLogger(AppConfig config, ILogger<LifecycleLogger> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation("schlage2mqtt {Version} starting: broker {Broker} (MQTT {Protocol}), {Accounts} Schlage account(s), data in {DataDir}",
            BuildInfo.Version, config.Mqtt.Server, ConfigBinder.NameOf(ConfigBinder.Protocols, config.Mqtt.ProtocolVersion), config.Schlage.Accounts.Count, config.DataDir);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation("schlage2mqtt stopped");
        return Task.CompletedTask;
    }
}
