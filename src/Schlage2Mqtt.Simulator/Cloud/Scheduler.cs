using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Schlage2Mqtt.Simulator.Cloud;

/// <summary>
/// Runs world changes later on the simulator's <see cref="TimeProvider"/>, so a manual clock in
/// tests decides exactly when a lock acts. Zero or negative delays run inline.
/// </summary>
internal sealed class Scheduler : IDisposable
{
    private readonly ConcurrentDictionary<ITimer, byte> _timers = new();
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private volatile bool _disposed;

    public Scheduler(TimeProvider time, ILogger logger)
    {
        _time = time;
        _logger = logger;
    }

    public void After(TimeSpan delay, Action action)
    {
        if (_disposed)
        {
            return;
        }
        if (delay <= TimeSpan.Zero)
        {
            Run(action);
            return;
        }
        ITimer? timer = null;
        timer = _time.CreateTimer(state =>
        {
            // The timer is armed only after it is assigned, so it is never null here.
            if (timer is not null && _timers.TryRemove(timer, out _))
            {
                timer.Dispose();
                Run(action);
            }
        }, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _timers[timer] = 0;
        timer.Change(delay, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Cancels everything scheduled (a reset of the world).</summary>
    public void CancelAll()
    {
        foreach (var timer in _timers.Keys)
        {
            if (_timers.TryRemove(timer, out _))
            {
                timer.Dispose();
            }
        }
    }

    public void Dispose()
    {
        _disposed = true;
        CancelAll();
    }

    private void Run(Action action)
    {
        if (_disposed)
        {
            return;
        }
        try
        {
            action();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A scheduled change must never take the host down; it is a simulator bug, so say so loudly.
            _logger.LogError(ex, "Scheduled simulator action failed");
        }
    }
}
