namespace Schlage2Mqtt.TestSupport;

/// <summary>
/// Waits until the thread pool has run the work a manual-clock step released, before a test moves the clock again.
/// </summary>
/// <remarks>
/// On a loaded machine (CI, two cores, other test classes in parallel) the continuations one step of a
/// <see cref="ManualTimeProvider"/> released may not have run yet; moving the clock before they did lets timers
/// fire ahead of them, or burns through a test's step budget while nothing happened (both seen in CI). Queued
/// work is not all: continuations already running on pool threads are not counted as pending, so this also waits
/// until the pool stops completing work items (its own 1 ms delay completes one or two). The wait is bounded:
/// other test classes keep the process-wide counters moving, and the outcome of a test still depends on the
/// clock alone, never on how long this took.
/// </remarks>
public static class ThreadPoolQuiet
{
    /// <summary>Returns when the pool looks idle, when <paramref name="done"/> holds, or after about <paramref name="maxMilliseconds"/>.</summary>
    public static async Task WaitAsync(Func<bool>? done = null, int maxMilliseconds = 500)
    {
        var completed = ThreadPool.CompletedWorkItemCount;
        for (var waited = 0; waited < maxMilliseconds && done?.Invoke() != true; waited++)
        {
            await Task.Delay(1);
            var now = ThreadPool.CompletedWorkItemCount;
            if (ThreadPool.PendingWorkItemCount == 0 && now - completed <= 2)
            {
                return;
            }
            completed = now;
        }
    }
}
