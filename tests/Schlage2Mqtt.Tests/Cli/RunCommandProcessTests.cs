using System.Text.Json;
using Schlage2Mqtt.TestSupport;

namespace Schlage2Mqtt.Tests.Cli;

/// <summary>The daemon as a real process: start, health endpoint, graceful stop on SIGTERM and SIGINT.</summary>
public sealed class RunCommandProcessTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "s2m-run-" + Guid.NewGuid().ToString("N"));

    public RunCommandProcessTests()
    {
        Directory.CreateDirectory(_dir);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string WriteConfig(int httpPort) =>
        WriteFile("config.yaml", $"""
            schlage:
              accounts:
                - username: alice@example.com
                  password: Sup3rSecretPassw0rd
            http:
              listen: 127.0.0.1:{httpPort}
            data_dir: state
            """);

    private string WriteFile(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task Daemon_serves_health_and_stops_cleanly_on_a_signal(string signal)
    {
        var port = FreePort.Next();
        await using var daemon = DaemonProcess.Start(null, "run", "--config", WriteConfig(port));
        await daemon.WaitForOutputAsync("Health endpoint listening", TimeSpan.FromSeconds(60));

        using var http = new HttpClient();
        var body = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/health"));
        using var health = JsonDocument.Parse(body);
        Assert.True(health.RootElement.GetProperty("healthy").GetBoolean());
        Assert.False(string.IsNullOrEmpty(health.RootElement.GetProperty("version").GetString()));

        daemon.Signal(signal);
        // A hang guard, not a timing assertion: the host's own stop budget is 5 s.
        var exit = await daemon.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, exit);
        Assert.Contains("schlage2mqtt stopped", daemon.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Sup3rSecretPassw0rd", daemon.Output, StringComparison.Ordinal);
        Assert.True(Directory.Exists(Path.Combine(_dir, "state")));
        Assert.Equal((UnixFileMode)0b111_000_000, File.GetUnixFileMode(Path.Combine(_dir, "state")));
    }

    [Fact]
    public async Task Health_command_reports_a_running_daemon_healthy()
    {
        var port = FreePort.Next();
        await using var daemon = DaemonProcess.Start(null, "run", "--config", WriteConfig(port));
        await daemon.WaitForOutputAsync("Health endpoint listening", TimeSpan.FromSeconds(60));

        await using var probe = DaemonProcess.Start(null, "health", "--url", $"http://127.0.0.1:{port}/health");
        Assert.Equal(0, await probe.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("\"healthy\":true", probe.Output, StringComparison.Ordinal);
    }
}
