using System.Runtime.InteropServices;

namespace Schlage2Mqtt.Cli;

/// <summary>A token cancelled by SIGINT (Ctrl+C) or SIGTERM, for commands that run until stopped without a generic host.</summary>
internal sealed class ShutdownSignal : IDisposable
{
    private readonly CancellationTokenSource _cts;
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;

    public ShutdownSignal(CancellationToken outer)
    {
        _cts = CancellationTokenSource.CreateLinkedTokenSource(outer);
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
    }

    public CancellationToken Token => _cts.Token;

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _cts.Dispose();
    }

    private void Stop(PosixSignalContext context)
    {
        // Handled here: let the command finish its own clean-up instead of the runtime exiting at once.
        context.Cancel = true;
        _cts.Cancel();
    }
}
