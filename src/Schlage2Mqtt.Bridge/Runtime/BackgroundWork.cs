using Microsoft.Extensions.Logging;

namespace Schlage2Mqtt.Bridge.Runtime;

/// <summary>
/// Runs work off the MQTT receive path (a lock command may take a minute to confirm) and keeps track of it, so a
/// stop can cancel and await everything. A failure is logged, never lost and never fatal to the bridge.
/// </summary>
internal sealed class BackgroundWork(ILogger logger) : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly HashSet<Task> _running = [];
    private readonly object _gate = new();

    public CancellationToken Stopping => _stopping.Token;

    public void Run(string what, Func<CancellationToken, Task> work)
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }
        var task = Task.Run(async () =>
        {
            try
            {
                await work(_stopping.Token);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "{What} failed unexpectedly; the bridge carries on", what);
            }
        });
        lock (_gate)
        {
            _running.Add(task);
        }
        _ = task.ContinueWith(t => { lock (_gate) { _running.Remove(t); } }, TaskScheduler.Default);
    }

    /// <summary>Cancels all work and waits for it, at most <paramref name="limit"/>.</summary>
    public async Task StopAsync(TimeSpan limit)
    {
        await _stopping.CancelAsync();
        Task[] running;
        lock (_gate)
        {
            running = [.. _running];
        }
        try
        {
            await Task.WhenAll(running).WaitAsync(limit);
        }
        catch (TimeoutException)
        {
            logger.LogWarning("{Count} background task(s) did not stop in time", running.Count(t => !t.IsCompleted));
        }
    }

    public void Dispose() => _stopping.Dispose();
}
