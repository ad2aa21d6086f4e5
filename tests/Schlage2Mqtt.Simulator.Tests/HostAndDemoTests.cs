using System.Net;
using System.Text.Json;
using Schlage2Mqtt.TestSupport;

namespace Schlage2Mqtt.Simulator.Tests;

public sealed class HostAndDemoTests
{
    [Fact]
    public async Task Demo_world_has_three_locks_of_different_models_with_codes()
    {
        var time = new ManualTimeProvider();
        await using var simulator = new SchlageCloudSimulator(DemoWorld.CreateOptions(), time);
        await simulator.StartAsync();

        var locks = simulator.Admin.Locks();
        Assert.Equal(["Front Door", "Back Door", "Garage Side"], locks.Select(l => l.Name));
        Assert.Equal([LockModel.EncodePlus, LockModel.Encode, LockModel.Sense], locks.Select(l => l.Model));
        Assert.All(locks, l => Assert.NotEmpty(l.AccessCodeIds));
        Assert.Equal(DemoWorld.Email, simulator.Accounts[0].Email);
    }

    [Fact]
    public async Task Host_prints_urls_and_credentials_and_stops_on_cancel()
    {
        using var output = new StringWriter();
        using var cts = new CancellationTokenSource();
        var port = FreePort.Next();
        var run = SimulatorHost.RunAsync(new SimulatorHostOptions { Port = port, Seed = 3 }, output, cancellationToken: cts.Token);

        using var http = new HttpClient();
        var guard = DateTime.UtcNow.AddSeconds(30);
        while (!output.ToString().Contains("Admin API", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < guard && !run.IsCompleted, "The host never printed its banner: " + output);
            await Task.Yield();
        }
        var banner = output.ToString();
        Assert.Contains($"http://127.0.0.1:{port}/v1", banner, StringComparison.Ordinal);
        Assert.Contains(DemoWorld.Email, banner, StringComparison.Ordinal);
        Assert.Contains(SimulatorDefaults.ApiKey, banner, StringComparison.Ordinal);

        using var locks = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/admin/locks"));
        Assert.Equal(HttpStatusCode.OK, locks.StatusCode);

        await cts.CancelAsync();
        Assert.Equal(0, await run);
    }
}
