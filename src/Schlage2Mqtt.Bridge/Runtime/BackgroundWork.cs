using Microsoft.Extensions.Logging;

namespace Schlage2Mqtt.Bridge.Runtime;

/// <summary>
/// Runs work off the MQTT receive path (a lock command may take a minute to confirm) and keeps track of it, so a
/// stop can cancel and await everything. A failure is logged, never lost and never fatal to the bridge.
/// </summary>
/// <remarks>
/// Two kinds: a task (<see cref="Run"/>: a command, a request, an activity read) ends by itself; a service
/// (<see cref="RunService"/>: a poller, the health loop, a push channel) runs until the bridge stops.
/// <see cref="WhenIdleAsync"/> waits for the tasks only, services would keep it from ever completing. A task waiting
/// on the clock (a confirmation delay, an activity re-check) is running: idle comes once the clock lets it finish.
/// </remarks>
internal sealed class BackgroundWork(ILogger logger) : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly HashSet<Task> _running = [];
    private readonly List<TaskCompletionSource> _idleWaiters = [];
    private readonly Lock _gate = new();
    private int _tasks;

    public CancellationToken Stopping => _stopping.Token;

    /// <summary>Runs work that ends by itself (counted by <see cref="WhenIdleAsync"/>).</summary>
    public void Run(string what, Func<CancellationToken, Task> work) => Start(what, work, counted: true);

    /// <summary>Runs work that lasts until the bridge stops (not counted by <see cref="WhenIdleAsync"/>).</summary>
    public void RunService(string what, Func<CancellationToken, Task> work) => Start(what, work, counted: false);

    /// <summary>
    /// Completes when no task is running or queued: what the tasks started before the call (and the tasks they
    /// started in turn) has finished. Lets a test wait for the bridge's reaction without polling the wall clock.
    /// </summary>
    public Task WhenIdleAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_tasks == 0)
            {
                return Task.CompletedTask;
            }
            var idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _idleWaiters.Add(idle);
            return idle.Task.WaitAsync(cancellationToken);
        }
    }

    private void Start(string what, Func<CancellationToken, Task> work, bool counted)
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }
        if (counted)
        {
            // Counted before it is queued: a waiter never sees idle between a task's Run and its start.
            lock (_gate)
            {
                _tasks++;
            }
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
            finally
            {
                if (counted)
                {
                    Finished();
                }
            }
        });
        lock (_gate)
        {
            _running.Add(task);
        }
        _ = task.ContinueWith(t => { lock (_gate) { _running.Remove(t); } }, TaskScheduler.Default);
    }

    private void Finished()
    {
        TaskCompletionSource[] idle = [];
        lock (_gate)
        {
            if (--_tasks == 0)
            {
                idle = [.. _idleWaiters];
                _idleWaiters.Clear();
            }
        }
        foreach (var waiter in idle)
        {
            waiter.TrySetResult();
        }
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
