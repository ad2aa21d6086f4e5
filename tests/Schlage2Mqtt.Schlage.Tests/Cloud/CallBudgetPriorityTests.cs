using Schlage2Mqtt.Schlage.Resilience;
using Schlage2Mqtt.TestSupport;

namespace Schlage2Mqtt.Schlage.Tests.Cloud;

/// <summary>Commands have priority over reads in the call budget (issue 20, item 8).</summary>
public sealed class CallBudgetPriorityTests
{
    [Fact]
    public async Task Reads_leave_a_fifth_of_the_budget_to_writes()
    {
        var budget = new CallBudget(30, TimeSpan.FromMinutes(1), new ManualTimeProvider());
        for (var i = 0; i < 24; i++)
        {
            Assert.NotNull((await budget.AcquireAsync(TimeSpan.Zero, CancellationToken.None)).Slot);
        }

        var read = await budget.AcquireAsync(TimeSpan.Zero, CancellationToken.None);
        Assert.Null(read.Slot);
        Assert.NotNull(read.RetryAfter);
        for (var i = 0; i < 6; i++)
        {
            Assert.NotNull((await budget.AcquireAsync(TimeSpan.Zero, CancellationToken.None, priority: true)).Slot);
        }
        Assert.Null((await budget.AcquireAsync(TimeSpan.Zero, CancellationToken.None, priority: true)).Slot);
    }

    [Fact]
    public async Task A_budget_of_one_is_not_reserved_away_from_reads()
    {
        var budget = new CallBudget(1, TimeSpan.FromMinutes(1), new ManualTimeProvider());
        Assert.NotNull((await budget.AcquireAsync(TimeSpan.Zero, CancellationToken.None)).Slot);
    }
}
