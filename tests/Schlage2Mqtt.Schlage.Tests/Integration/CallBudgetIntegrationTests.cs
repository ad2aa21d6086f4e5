using Schlage2Mqtt.Cloud;
using Schlage2Mqtt.Simulator.Faults;
using Xunit.Abstractions;

namespace Schlage2Mqtt.Schlage.Tests.Integration;

/// <summary>The client-side call budget, proved by the simulator's own count of calls per sliding minute.</summary>
public class CallBudgetIntegrationTests(SimulatorFixture fixture, ITestOutputHelper output) : IntegrationTest(fixture)
{
    private const int Budget = 30;

    [Fact]
    public async Task No_60_second_window_the_simulator_sees_exceeds_the_budget_under_a_burst_of_1000_requests()
    {
        // The breaker would trip on three early 503s among the first six calls; it has its own test, this one is about the budget.
        var account = await Client.ReadyAccountAsync(o => o with { MaxCallsPerMinute = Budget, BreakerMinimumThroughput = 1000 });
        // Retries spend budget too.
        Fixture.Admin.AddFault(FaultRule.Error(503, ApiEndpoint.GetDevice) with { Count = 3 });
        string[] devices = [SimulatorFixture.EncodeId, SimulatorFixture.EncodePlusId, SimulatorFixture.LeverId, SimulatorFixture.SenseId];

        // 1,000 requests arrive over 250 s of the clock, four a second: some go at once, some wait for room, the rest are refused.
        var calls = new List<Task<CloudResult>>();
        for (var second = 0; second < 250; second++)
        {
            for (var i = 0; i < 4; i++)
            {
                var device = devices[(second + i) % devices.Length];
                calls.Add(SimulatorClient.Launch(() => i % 3 == 0 ? ListAsync(account) : GetAsync(account, device)));
            }
            await Client.Drive(Tick());
        }
        var results = await Client.Drive(Task.WhenAll(calls));

        Assert.Equal(1000, results.Length);
        Assert.All(results, r => Assert.True(r.IsSuccess || r.Failure.Kind == CloudFailureKind.Throttled, r.ToString()));
        var maxInWindow = Client.Calls.MaxApiCallsInWindow(TimeSpan.FromMinutes(1));
        var succeeded = results.Count(r => r.IsSuccess);
        var throttled = results.Length - succeeded;
        var api = Client.Calls.Records().Where(r => r.Surface == Simulator.Calls.CallSurface.Api).ToList();
        var span = api[^1].Timestamp - api[0].Timestamp;
        output.WriteLine($"budget {Budget}/min: busiest 60-s window {maxInWindow} calls; {api.Count} calls reached the simulator over {span}; {succeeded} succeeded, {throttled} throttled");

        Assert.True(maxInWindow <= Budget, $"{maxInWindow} calls fell in one 60-s window; the budget is {Budget}");
        // All reads: they fill exactly their share, a fifth of the budget stays free for commands.
        Assert.Equal(Budget - (Budget / 5), maxInWindow);
        Assert.True(span > TimeSpan.FromMinutes(4), "the burst was served over several windows");
        Assert.True(succeeded > 4 * (Budget - (Budget / 5)), "calls that waited for room were served");
        Assert.True(throttled > 0);
        Assert.Equal(3, Client.Calls.Records().Count(r => r.StatusCode == 503));
        // Every call the client made reached the simulator, and nothing else did.
        Assert.Equal(account.Statistics.Calls, Client.Calls.Counters().ApiCalls);
        Assert.Equal(throttled, account.Statistics.Throttled);
    }

    private Task<int> Tick() => Task.Delay(TimeSpan.FromSeconds(1), Client.Clock).ContinueWith(_ => 0, TaskScheduler.Default);

    private static async Task<CloudResult> ListAsync(Schlage2Mqtt.Schlage.Provider.SchlageLockAccount account) => await account.ListLocksAsync(default);

    private static async Task<CloudResult> GetAsync(Schlage2Mqtt.Schlage.Provider.SchlageLockAccount account, string deviceId) => await account.GetLockAsync(deviceId, default);
}
