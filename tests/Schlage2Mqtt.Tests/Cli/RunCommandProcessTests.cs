using System.Text.Json;
using Schlage2Mqtt.Simulator;
using Schlage2Mqtt.Tests.EndToEnd;
using Schlage2Mqtt.TestSupport;

namespace Schlage2Mqtt.Tests.Cli;

/// <summary>The daemon as a real process: health endpoint, and a graceful stop on SIGTERM and SIGINT that says offline.</summary>
[Collection(EndToEndGroup.Name)]
public sealed class RunCommandProcessTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "s2m-run-" + Guid.NewGuid().ToString("N"));

    public RunCommandProcessTests()
    {
        Directory.CreateDirectory(_dir);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string WriteConfig(BridgeWorld world, int httpPort) =>
        new DaemonConfigFile { Accounts = [new(null, DemoWorld.Email, DemoWorld.Password)], HttpPort = httpPort }.WriteTo(world, _dir);

    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task Daemon_serves_health_and_on_a_signal_publishes_offline_and_exits_cleanly(string signal)
    {
        await using var world = await BridgeWorld.StartAsync(startBridge: false);
        var port = FreePort.Next();
        await using var daemon = DaemonProcess.Start(null, "run", "--config", WriteConfig(world, port));
        await world.WaitForLocksAsync();
        await world.Observer.WaitOnAsync("schlage2mqtt/bridge/state", p => p == "online");

        using var http = new HttpClient();
        var body = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/health"));
        using var health = JsonDocument.Parse(body);
        Assert.True(health.RootElement.GetProperty("healthy").GetBoolean(), body);
        Assert.True(health.RootElement.GetProperty("checks").GetProperty("bridge").GetProperty("mqtt").GetProperty("connected").GetBoolean());
        var mark = world.Observer.Mark();

        daemon.Signal(signal);
        // A hang guard, not a timing assertion: the host's own stop budget is 5 s.
        var exit = await daemon.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, exit);
        await world.Observer.WaitOnAsync("schlage2mqtt/bridge/state", p => p == "offline", since: mark);
        Assert.Contains("schlage2mqtt stopped", daemon.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(DemoWorld.Password, daemon.Output, StringComparison.Ordinal);
        Assert.Equal((UnixFileMode)0b111_000_000, File.GetUnixFileMode(Path.Combine(_dir, "state")));
    }

    [Fact]
    public async Task Health_command_reports_a_running_daemon_healthy_and_an_unreachable_broker_unhealthy()
    {
        await using var world = await BridgeWorld.StartAsync(startBridge: false);
        var port = FreePort.Next();
        await using var daemon = DaemonProcess.Start(null, "run", "--config", WriteConfig(world, port));
        await world.WaitForLocksAsync();
        await daemon.WaitForOutputAsync("Health endpoint listening", TimeSpan.FromSeconds(60));

        await using (var probe = DaemonProcess.Start(null, "health", "--url", $"http://127.0.0.1:{port}/health"))
        {
            Assert.Equal(0, await probe.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains("\"healthy\":true", probe.Output, StringComparison.Ordinal);
        }

        await world.Broker.KillAsync();
        await daemon.WaitForOutputAsync("MQTT broker connection lost", TimeSpan.FromSeconds(60));
        await using var sick = DaemonProcess.Start(null, "health", "--url", $"http://127.0.0.1:{port}/health");
        Assert.Equal(1, await sick.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("\"healthy\":false", sick.Output, StringComparison.Ordinal);
    }
}
