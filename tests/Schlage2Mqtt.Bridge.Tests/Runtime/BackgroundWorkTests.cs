using Microsoft.Extensions.Logging.Abstractions;
using Schlage2Mqtt.Bridge.Runtime;

namespace Schlage2Mqtt.Bridge.Tests.Runtime;

public sealed class BackgroundWorkTests
{
    [Fact]
    public async Task Idle_at_once_when_nothing_runs()
    {
        using var work = new BackgroundWork(NullLogger.Instance);
        Assert.True(work.WhenIdleAsync(CancellationToken.None).IsCompletedSuccessfully);
        await work.StopAsync(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Idle_only_once_a_task_and_the_task_it_started_have_finished()
    {
        using var work = new BackgroundWork(NullLogger.Instance);
        var releaseFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseSecond = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var secondQueued = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        work.Run("first", async _ =>
        {
            await releaseFirst.Task;
            work.Run("second", _ => releaseSecond.Task);
            secondQueued.SetResult();
        });

        var idle = work.WhenIdleAsync(CancellationToken.None);
        Assert.False(idle.IsCompleted);
        releaseFirst.SetResult();
        await secondQueued.Task;
        // The first has finished, but the one it queued has not: still busy.
        Assert.False(idle.IsCompleted);

        releaseSecond.SetResult();
        await idle.WaitAsync(TimeSpan.FromSeconds(10));
        await work.StopAsync(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task A_failing_task_still_ends_and_services_never_count()
    {
        using var work = new BackgroundWork(NullLogger.Instance);
        work.RunService("loop", ct => Task.Delay(Timeout.Infinite, ct));
        work.Run("fails", _ => throw new InvalidOperationException("boom"));

        await work.WhenIdleAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        await work.StopAsync(TimeSpan.FromSeconds(1));
    }
}
