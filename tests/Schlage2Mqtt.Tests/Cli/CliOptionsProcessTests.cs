using System.Globalization;
using System.Text.Json;
using Schlage2Mqtt.Simulator;
using Schlage2Mqtt.Tests.EndToEnd;
using Schlage2Mqtt.TestSupport;

namespace Schlage2Mqtt.Tests.Cli;

/// <summary>
/// Every option of every command, through the real executable: a good value is used, a bad one is a clear parse
/// error naming the option (exit 1), never an unhandled exception (exit 134).
/// </summary>
[Collection(EndToEndGroup.Name)]
public sealed class CliOptionsProcessTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);
    private readonly string _dir = Directory.CreateTempSubdirectory("s2m-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static async Task<(int Exit, string Output)> RunAsync(params string[] args)
    {
        await using var process = DaemonProcess.Start(null, args);
        var exit = await process.WaitForExitAsync(Limit);
        return (exit, process.Output);
    }

    [Theory]
    [InlineData("run", "--config")]
    [InlineData("demo", "--config --port --latency")]
    [InlineData("simulator", "--port --seed --latency --push-broker --push-publish")]
    [InlineData("login", "--config --account --email --password-stdin")]
    [InlineData("check-config", "--config")]
    [InlineData("health", "--url")]
    public async Task Each_command_help_lists_its_options(string command, string options)
    {
        var (exit, output) = await RunAsync(command, "--help");

        Assert.Equal(0, exit);
        foreach (var option in options.Split(' '))
        {
            Assert.Contains(option, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Version_and_help_answer_and_exit_0()
    {
        var (exit, version) = await RunAsync("--version");
        Assert.Equal(0, exit);
        Assert.Matches(@"^\d+\.\d+\.\d+", version.Trim());

        var (helpExit, help) = await RunAsync("--help");
        Assert.Equal(0, helpExit);
        foreach (var command in new[] { "run", "demo", "simulator", "login", "check-config", "health" })
        {
            Assert.Contains(command, help, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("simulator --port abc", "--port")]
    [InlineData("simulator --port 70000", "--port")]
    [InlineData("simulator --seed x", "--seed")]
    [InlineData("simulator --latency soon", "--latency")]
    [InlineData("simulator --push-broker http://127.0.0.1:1/mqtt", "--push-broker")]
    [InlineData("simulator --push-broker not-a-url", "--push-broker")]
    [InlineData("simulator --push-publish ftp://127.0.0.1:1", "--push-publish")]
    [InlineData("demo --port abc", "--port")]
    [InlineData("health --url nowhere", "--url")]
    [InlineData("run --bogus", "--bogus")]
    public async Task A_bad_option_value_is_a_parse_error_naming_the_option(string line, string option)
    {
        var (exit, output) = await RunAsync(line.Split(' '));

        Assert.Equal(1, exit);
        Assert.Contains(option, output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulator_runs_with_every_option_including_push_through_a_broker()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { WebSockets = true });
        await using var simulator = DaemonProcess.Start(null, "simulator", "--port", "0", "--seed", "3", "--latency", "500ms",
            "--push-broker", broker.WebSocketUrl, "--push-publish", broker.TcpUrl);
        // The banner's last endpoint line: the Admin API line comes before the push broker's, so waiting for it raced.
        await simulator.WaitForOutputAsync("X-Api-Key:", Limit);

        Assert.Contains($"Push broker:       {broker.WebSocketUrl}", simulator.Output, StringComparison.Ordinal);
        var admin = System.Text.RegularExpressions.Regex.Match(simulator.Output, @"Admin API:\s+(\S+)").Groups[1].Value;
        using var http = new HttpClient();
        using var locks = JsonDocument.Parse(await http.GetStringAsync(new Uri(admin + "/locks")));
        Assert.Equal(3, locks.RootElement.GetArrayLength());

        simulator.Signal("INT");
        Assert.Equal(0, await simulator.WaitForExitAsync(Limit));
    }

    [Fact]
    public async Task Check_config_run_login_and_health_use_their_options()
    {
        await using var world = await BridgeWorld.StartAsync(startBridge: false);
        var port = FreePort.Next();
        var config = new DaemonConfigFile
        {
            Accounts = [new("first", "nobody@example.com"), new("home", "someone-else@example.com")],
            HttpPort = port,
        }.WriteTo(world, _dir, "bridge.yaml");

        var (checkExit, effective) = await RunAsync("check-config", "--config", config);
        Assert.Equal(0, checkExit);
        Assert.Contains(world.Broker.TcpUrl, effective, StringComparison.Ordinal);
        Assert.Equal(1, (await RunAsync("check-config", "-c", Path.Combine(_dir, "missing.yaml"))).Exit);

        // login picks the second account by --account, signs in as --email with the password on stdin.
        await using (var login = DaemonProcess.StartWithInput(DemoWorld.Password + "\n",
            "login", "--config", config, "--account", "home", "--email", DemoWorld.Email, "--password-stdin"))
        {
            Assert.Equal(0, await login.WaitForExitAsync(Limit));
            Assert.Contains("The account sees 3 lock(s)", login.Output, StringComparison.Ordinal);
            Assert.DoesNotContain(DemoWorld.Password, login.Output, StringComparison.Ordinal);
        }
        Assert.Contains("\"home\"", File.ReadAllText(Path.Combine(_dir, "state", "tokens.json")), StringComparison.Ordinal);

        await using var daemon = DaemonProcess.Start(null, "run", "-c", config);
        await daemon.WaitForOutputAsync("Health endpoint listening", Limit);
        var (healthExit, health) = await RunAsync("health", "--url", $"http://127.0.0.1:{port}/health");
        Assert.True(healthExit is 0 or 1, health);
        Assert.Contains("\"checks\"", health, StringComparison.Ordinal);
        var (deadExit, dead) = await RunAsync("health", "--url", $"http://127.0.0.1:{FreePort.Next()}/health");
        Assert.Equal(1, deadExit);
        Assert.Contains("no answer", dead, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_with_config_port_and_latency_uses_the_configured_broker()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions());
        var config = Path.Combine(_dir, "demo.yaml");
        File.WriteAllText(config, $"""
            mqtt:
              server: {broker.TcpUrl}
            schlage:
              accounts:
                - username: ignored-by-the-demo@example.com
            data_dir: demo-state
            """);

        await using var demo = DaemonProcess.Start(null, "demo", "--config", config, "--port", Port(FreePort.Next()), "--latency", "100ms");
        await demo.WaitForOutputAsync("Press Ctrl+C to stop.", TimeSpan.FromSeconds(90));
        await using var user = await ObserverClient.ConnectAsync(broker.TcpUrl);
        await user.WaitOnAsync("schlage2mqtt/front_door", p => p.Length > 0);

        demo.Signal("INT");
        Assert.Equal(0, await demo.WaitForExitAsync(Limit));
    }
}
