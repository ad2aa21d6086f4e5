using Schlage2Mqtt.TestSupport;

namespace Schlage2Mqtt.Tests;

public sealed class ManualTimeProviderTests
{
    [Fact]
    public async Task Delay_completes_only_when_the_clock_reaches_it()
    {
        var time = new ManualTimeProvider();
        var delay = Task.Delay(TimeSpan.FromSeconds(5), time);

        time.Advance(TimeSpan.FromSeconds(4));
        Assert.False(delay.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(1));
        await delay.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Periodic_timer_fires_once_per_period_in_order()
    {
        var time = new ManualTimeProvider();
        var fired = new List<DateTimeOffset>();
        using var timer = time.CreateTimer(_ => fired.Add(time.GetUtcNow()), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));

        time.Advance(TimeSpan.FromSeconds(6));

        Assert.Equal(3, fired.Count);
        Assert.Equal(TimeSpan.FromSeconds(2), fired[1] - fired[0]);
        Assert.Equal(time.GetUtcNow(), fired[0] + TimeSpan.FromSeconds(4) + TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Disposed_timer_never_fires()
    {
        var time = new ManualTimeProvider();
        var fired = 0;
        var timer = time.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        timer.Dispose();
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(0, fired);
    }
}
