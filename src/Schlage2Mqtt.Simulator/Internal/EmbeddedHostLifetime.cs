using Microsoft.Extensions.Hosting;

namespace Schlage2Mqtt.Simulator.Internal;

/// <summary>
/// The simulator runs inside other programs (the CLI, the demo, tests): it must not hook SIGINT/SIGTERM as the
/// default console lifetime would, or it takes the process's shutdown away from the program that owns it.
/// </summary>
internal sealed class EmbeddedHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
