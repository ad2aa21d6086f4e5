using System.Globalization;
using System.Text.Json.Nodes;
using Schlage2Mqtt.Simulator;
using Schlage2Mqtt.Simulator.Faults;

namespace Schlage2Mqtt.Tests.EndToEnd;

[Collection(EndToEndGroup.Name)]
public sealed class AccessCodeDurabilityEndToEndTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("s2m-codes-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string WriteConfig(BridgeWorld world) => new DaemonConfigFile
    {
        Mqtt = ["client_id: s2m-durability"],
        Accounts = [new(null, DemoWorld.Email, DemoWorld.Password)],
        Extra = "access_codes:\n  confirm_timeout: 10s\n",
    }.WriteTo(world, _dir);

    [Fact]
    public async Task A_bridge_killed_right_after_accepting_an_add_completes_it_exactly_once_after_restart()
    {
        await using var world = await BridgeWorld.StartAsync(startBridge: false);
        // The add takes a while to answer, so the bridge dies with the write in flight.
        world.Cloud.Admin.AddFault(FaultRule.Latency(TimeSpan.FromSeconds(3), ApiEndpoint.PostCommand) with { Command = "addaccesscode", Count = 1 });
        var before = world.Cloud.Admin.Lock(DemoWorld.FrontDoorId).AccessCodeIds.Count;
        var config = WriteConfig(world);

        await using (var first = DaemonProcess.Start(null, "run", "--config", config))
        {
            await world.WaitForLocksAsync();
            var mark = world.Observer.Mark();
            await world.Observer.PublishAsync("schlage2mqtt/bridge/request/access_code/add", """{"lock": "front_door", "name": "Tenant", "code": "5151"}""");
            await CodeRequests.WaitForCodesAsync(world, "front_door", codes => codes.Any(c => c!["name"]!.GetValue<string>() == "Tenant" && c["status"]!.GetValue<string>() == "setting"), mark);
            first.Signal("KILL");
            await first.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }
        Assert.Contains("Tenant", await File.ReadAllTextAsync(Path.Combine(_dir, "state", "access_codes.json")), StringComparison.Ordinal);

        var restart = world.Observer.Mark();
        await using var second = DaemonProcess.Start(null, "run", "--config", config);
        await CodeRequests.WaitForCodesAsync(world, "front_door",
            codes => codes.Any(c => c!["name"]!.GetValue<string>() == "Tenant" && c["status"]!.GetValue<string>() == "set"), restart);

        var info = world.Cloud.Admin.Lock(DemoWorld.FrontDoorId);
        Assert.Equal(before + 1, info.AccessCodeIds.Count);
        var list = await CodeRequests.SendAsync(world, "list", new JsonObject { ["lock"] = "front_door" });
        Assert.Single(list["data"]!["codes"]!.AsArray(), c => c!["name"]!.GetValue<string>() == "Tenant");
        Assert.DoesNotContain("5151", second.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_hundred_concurrent_operations_across_five_locks_settle_without_loss_or_duplicates_within_the_budget()
    {
        const int budget = 300;
        await using var world = await BridgeWorld.StartAsync(new WorldOptions
        {
            PollInterval = TimeSpan.FromSeconds(15),
            ExtraYaml = $"access_codes:\n  confirm_timeout: 30s",
        }, startBridge: false);
        world.Cloud.Admin.AddLock(new LockDefinition { DeviceId = "c0000000-0000-4000-8000-000000000004", Name = "Cellar", Model = LockModel.Encode, LockState = 1 }, DemoWorld.Email);
        world.Cloud.Admin.AddLock(new LockDefinition { DeviceId = "d0000000-0000-4000-8000-000000000005", Name = "Deck", Model = LockModel.EncodeLever, LockState = 1 }, DemoWorld.Email);
        await world.StartBridgeAsync(budget);
        await world.WaitForLocksAsync();
        string[] locks = ["front_door", "back_door", "garage_side", "cellar", "deck"];
        foreach (var topic in locks.Skip(3))
        {
            await world.Observer.WaitOnAsync($"schlage2mqtt/{topic}", p => p.Length > 0);
        }

        // 40 per lock: 36 adds, then 4 deletes of codes added in the same burst (they wait their turn).
        var requests = new List<(string Lock, string Operation, JsonObject Body)>();
        for (var l = 0; l < locks.Length; l++)
        {
            for (var i = 0; i < 36; i++)
            {
                requests.Add((locks[l], "add", new JsonObject
                {
                    ["lock"] = locks[l],
                    ["name"] = string.Create(CultureInfo.InvariantCulture, $"U{l}x{i}"),
                    ["code"] = string.Create(CultureInfo.InvariantCulture, $"{3000 + (l * 100) + i}"),
                }));
            }
        }
        var sends = requests.Select(r => Task.Run(() => CodeRequests.SendAsync(world, r.Operation, r.Body, TimeSpan.FromMinutes(5)))).ToList();
        await Task.WhenAll(sends);
        var deletes = locks.SelectMany((topic, l) => Enumerable.Range(0, 4).Select(i => (topic, new JsonObject
        {
            ["lock"] = topic,
            ["name"] = string.Create(CultureInfo.InvariantCulture, $"U{l}x{i}"),
        }))).Select(d => Task.Run(() => CodeRequests.SendAsync(world, "delete", d.Item2, TimeSpan.FromMinutes(5)))).ToList();
        await Task.WhenAll(deletes);

        var failed = sends.Concat(deletes).Select(t => t.Result).Where(r => r["status"]!.GetValue<string>() != "ok").ToList();
        Assert.True(failed.Count == 0, string.Join("\n", failed.Select(f => f.ToJsonString())));
        for (var l = 0; l < locks.Length; l++)
        {
            var topic = locks[l];
            var mine = await CodeRequests.WaitForCodesAsync(world, topic, codes =>
                codes.Count(c => c!["name"]!.GetValue<string>().StartsWith($"U{l}x", StringComparison.Ordinal) && c["status"]!.GetValue<string>() == "set") == 32
                && codes.All(c => c!["status"]!.GetValue<string>() == "set"));
            var names = JsonNode.Parse(mine.Payload)!["codes"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()).Where(n => n.StartsWith('U')).ToList();
            Assert.Equal(names.Count, names.Distinct().Count());
            var info = world.Cloud.Admin.Lock(world.Cloud.Admin.Locks().Single(x => x.Name.Replace(" ", "_", StringComparison.Ordinal).Equals(topic, StringComparison.OrdinalIgnoreCase)).DeviceId);
            Assert.Equal(info.AccessCodeIds.Order(), info.CodesOnDevice.Order());
        }
        Assert.InRange(world.Cloud.Calls.MaxApiCallsInWindow(TimeSpan.FromMinutes(1)), 1, budget);
    }
}
