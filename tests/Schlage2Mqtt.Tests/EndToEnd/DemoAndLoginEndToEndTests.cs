using System.Collections;
using System.Text.Json.Nodes;
using Schlage2Mqtt.Cli;
using Schlage2Mqtt.Simulator;
using Schlage2Mqtt.TestSupport;

namespace Schlage2Mqtt.Tests.EndToEnd;

[Collection(EndToEndGroup.Name)]
public sealed class DemoAndLoginEndToEndTests
{
    [Fact]
    public async Task Demo_starts_publishes_discovery_for_three_locks_and_answers_an_unlock()
    {
        var port = FreePort.Next();
        await using var demo = DaemonProcess.Start(null, "demo", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--latency", "200ms");
        await demo.WaitForOutputAsync("Press Ctrl+C to stop.", TimeSpan.FromSeconds(90));
        Assert.Contains($"mosquitto_sub -h 127.0.0.1 -p {port} -v -t 'schlage2mqtt/#'", demo.Output, StringComparison.Ordinal);

        await using var user = await ObserverClient.ConnectAsync($"mqtt://127.0.0.1:{port}");
        foreach (var id in new[] { DemoWorld.FrontDoorId, DemoWorld.BackDoorId, DemoWorld.GarageSideId })
        {
            var config = await user.WaitOnAsync($"homeassistant/device/schlage_{id}/config");
            Assert.Empty(HomeAssistantDiscoveryValidator.ValidateDeviceConfig(config.Payload));
        }
        await user.PublishAsync("schlage2mqtt/bridge/request/lock", """{"lock": "front_door", "action": "unlock", "transaction": "demo"}""");
        var response = JsonNode.Parse((await user.WaitOnAsync("schlage2mqtt/bridge/response/lock")).Payload)!;
        Assert.Equal("ok", response["status"]!.GetValue<string>());
        Assert.Equal("UNLOCKED", response["data"]!["state"]!["state"]!.GetValue<string>());

        demo.Signal("INT");
        Assert.Equal(0, await demo.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("schlage2mqtt stopped", demo.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(DemoWorld.Password, demo.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_stores_only_a_refresh_token_which_the_bridge_then_uses_without_a_password()
    {
        await using var world = await BridgeWorld.StartAsync(startBridge: false);
        var dir = Directory.CreateTempSubdirectory("s2m-login-").FullName;
        try
        {
            var config = new DaemonConfigFile { Accounts = [new("home", DemoWorld.Email.ToUpperInvariant())] }.WriteTo(world, dir);
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            var context = new CliContext(stdout, stderr, new Hashtable()) { In = new StringReader(DemoWorld.Password + "\n") };

            var exit = await CommandLine.InvokeAsync(["login", "--config", config, "--password-stdin"], context);

            Assert.True(exit == 0, stderr.ToString());
            Assert.Contains("The account sees 3 lock(s)", stdout.ToString(), StringComparison.Ordinal);
            Assert.Contains("Front Door", stdout.ToString(), StringComparison.Ordinal);
            var tokens = Path.Combine(dir, "state", "tokens.json");
            Assert.Equal((UnixFileMode)0b110_000_000, File.GetUnixFileMode(tokens));
            var stored = await File.ReadAllTextAsync(tokens);
            Assert.Contains("refresh_token", stored, StringComparison.Ordinal);
            Assert.DoesNotContain(DemoWorld.Password, stored, StringComparison.Ordinal);
            Assert.DoesNotContain(DemoWorld.Password, stdout + stderr.ToString(), StringComparison.Ordinal);
            var logins = world.Cloud.Calls.SrpLogins;

            // The daemon, with no password in its config, signs in from the stored token: no new SRP login.
            await using var daemon = DaemonProcess.Start(null, "run", "--config", config);
            await world.WaitForLocksAsync();
            Assert.Equal(logins, world.Cloud.Calls.SrpLogins);
            Assert.True(world.Cloud.Calls.Refreshes >= 1);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Login_with_a_wrong_password_fails_with_the_typed_reason()
    {
        await using var world = await BridgeWorld.StartAsync(startBridge: false);
        var dir = Directory.CreateTempSubdirectory("s2m-login-").FullName;
        try
        {
            var config = new DaemonConfigFile { WithMqtt = false, Accounts = [new(null, DemoWorld.Email)] }.WriteTo(world, dir);
            var stderr = new StringWriter();
            var env = new Hashtable { [LoginCommand.PasswordVariable] = "not-the-password" };
            var exit = await CommandLine.InvokeAsync(["login", "--config", config], new CliContext(new StringWriter(), stderr, env));
            Assert.Equal(1, exit);
            Assert.Contains("login failed", stderr.ToString(), StringComparison.Ordinal);
            Assert.Contains("password", stderr.ToString(), StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("not-the-password", stderr.ToString(), StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(dir, "state", "tokens.json")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
