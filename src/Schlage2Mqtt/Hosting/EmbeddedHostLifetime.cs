using Microsoft.Extensions.Hosting;

namespace Schlage2Mqtt.Hosting;

/// <summary>Lifetime of a host embedded in the daemon: it neither waits for nor hooks process signals.</summary>
internal sealed class EmbeddedHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
