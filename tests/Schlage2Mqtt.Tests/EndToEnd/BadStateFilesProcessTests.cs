using System.Text.Json;
using Schlage2Mqtt.Simulator;
using Schlage2Mqtt.TestSupport;

namespace Schlage2Mqtt.Tests.EndToEnd;

/// <summary>The daemon as a process, started on state files with bad records: it comes up, keeps the good records, says what it dropped.</summary>
[Collection(EndToEndGroup.Name)]
public sealed class BadStateFilesProcessTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("s2m-badstate-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Daemon_starts_on_bad_records_in_every_state_file_keeps_the_good_ones_and_signs_in_with_its_password()
    {
        await using var world = await BridgeWorld.StartAsync(startBridge: false);
        var state = Path.Combine(_dir, "state");
        Directory.CreateDirectory(state);
        File.WriteAllText(Path.Combine(state, "topics.json"),
            """{"locks":{"gone":null,"x":{"topic_id":[]},"FRONT":{"topic_id":"front_door","account":"home","name":"Front Door"}}}""".Replace("FRONT", DemoWorld.FrontDoorId, StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(state, "access_codes.json"), """
            {"operations":[null,
              {"id":"op1","kind":"delete","device_id":"d","status":"removed","phase":"settled","created_at":"2026-01-01T00:00:00Z","settled_at":"2099-01-01T00:00:00Z"},
              {"id":"op1","kind":"delete","device_id":"d","status":"removed","phase":"settled","created_at":"2026-01-01T00:00:00Z","settled_at":"2099-01-01T00:00:00Z"}]}
            """);
        File.WriteAllText(Path.Combine(state, "activity.json"), """{"locks":{"a":null,"b":{"time":"not a time"}}}""");
        File.WriteAllText(Path.Combine(state, "tokens.json"), """{"accounts":{"home":null}}""");
        var port = FreePort.Next();
        var config = new DaemonConfigFile { HttpPort = port }.WriteTo(world, _dir);

        await using var daemon = DaemonProcess.Start(null, "run", "--config", config);
        await world.WaitForLocksAsync();
        await daemon.WaitForOutputAsync("Health endpoint listening", TimeSpan.FromSeconds(60));

        using var http = new HttpClient();
        var body = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/health"));
        Assert.True(JsonDocument.Parse(body).RootElement.GetProperty("healthy").GetBoolean(), body);
        foreach (var file in new[] { "topics.json", "access_codes.json", "activity.json", "tokens.json" })
        {
            Assert.Contains($"{file}: dropped record", daemon.Output, StringComparison.Ordinal);
            Assert.Single(Directory.GetFiles(state, file + ".corrupt-*"));
        }
        Assert.True(world.Cloud.Calls.SrpLogins >= 1);
        Assert.DoesNotContain("Unhandled exception", daemon.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(DemoWorld.Password, daemon.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"accounts":null}""")]
    [InlineData("""{"accounts":{"home":null}}""")]
    public async Task A_bad_token_store_without_a_password_shows_reauth_required_in_health_and_info(string tokens)
    {
        await using var world = await BridgeWorld.StartAsync(startBridge: false);
        var state = Path.Combine(_dir, "state");
        Directory.CreateDirectory(state);
        File.WriteAllText(Path.Combine(state, "tokens.json"), tokens);
        var port = FreePort.Next();
        var config = new DaemonConfigFile { Accounts = [new("home", DemoWorld.Email)], HttpPort = port }.WriteTo(world, _dir);

        await using var daemon = DaemonProcess.Start(null, "run", "--config", config);
        var info = await world.Observer.WaitOnAsync("schlage2mqtt/bridge/info", p => p.Contains("reauth_required", StringComparison.Ordinal));
        await daemon.WaitForOutputAsync("Health endpoint listening", TimeSpan.FromSeconds(60));

        Assert.Contains("schlage2mqtt login", info.Payload, StringComparison.Ordinal);
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/health"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var bridge = JsonDocument.Parse(body).RootElement.GetProperty("checks").GetProperty("bridge");
        Assert.False(bridge.GetProperty("healthy").GetBoolean(), body);
        var problem = Assert.Single(bridge.GetProperty("problems").EnumerateArray()).GetString()!;
        Assert.Contains("'home'", problem, StringComparison.Ordinal);
        Assert.Contains("schlage2mqtt login", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("NullReferenceException", daemon.Output, StringComparison.Ordinal);
    }
}
