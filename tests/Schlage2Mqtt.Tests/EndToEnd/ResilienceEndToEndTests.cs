using System.Text;
using System.Text.Json.Nodes;

namespace Schlage2Mqtt.Tests.EndToEnd;

[Collection(EndToEndGroup.Name)]
public sealed class ResilienceEndToEndTests
{
    [Fact]
    public async Task After_a_broker_restart_the_bridge_republishes_and_a_QoS1_command_sent_while_it_was_away_is_carried_out()
    {
        await using var world = await BridgeWorld.StartAsync(new WorldOptions { Persistence = true });
        await world.WaitForLocksAsync();
        await world.Observer.WaitOnAsync("schlage2mqtt/bridge/health");

        await world.Broker.RestartAsync();
        var mark = world.Observer.Mark();
        // The observer reconnects within ~100 ms, the bridge only after its backoff (about a second): this command
        // waits in the bridge's persistent session on the broker.
        await world.Observer.PublishAsync("schlage2mqtt/front_door/set", "UNLOCK");

        await world.Observer.WaitOnAsync("schlage2mqtt/bridge/state", p => p == "online", since: mark);
        await world.Observer.WaitOnAsync("homeassistant/device/schlage_f0000000-0000-4000-8000-000000000001/config", since: mark);
        await world.Observer.WaitOnAsync("schlage2mqtt/front_door", p => p.Contains("\"state\":\"UNLOCKED\"", StringComparison.Ordinal), since: mark);
        Assert.Equal(1, world.Cloud.Calls.Records().Count(r => r.Operation == "PutDevice"));
    }

    [Fact]
    public async Task Five_hundred_malformed_payloads_each_get_an_error_and_the_bridge_keeps_working()
    {
        await using var world = await BridgeWorld.StartAsync();
        await world.WaitForLocksAsync();
        await world.Observer.WaitOnAsync("schlage2mqtt/bridge/health");
        var mark = world.Observer.Mark();

        var bad = MalformedInputs(500);
        foreach (var (topic, payload) in bad)
        {
            await world.Observer.PublishAsync(topic, payload);
        }

        // Every request gets an error response (QoS 1, so every one can be counted here) ...
        var requests = bad.Count(b => b.Topic.Contains("/bridge/request/", StringComparison.Ordinal));
        var responses = await WaitForCountAsync(world.Observer, null, mark, requests, m => m.Topic.StartsWith("schlage2mqtt/bridge/response/", StringComparison.Ordinal));
        Assert.All(responses, r =>
        {
            var error = JsonNode.Parse(r.Payload)!["error"]!;
            Assert.False(string.IsNullOrEmpty(error["code"]!.GetValue<string>()));
            Assert.False(string.IsNullOrEmpty(error["message"]!.GetValue<string>()));
            Assert.False(string.IsNullOrEmpty(error["hint"]!.GetValue<string>()));
        });
        // ... and every command was refused with a bridge/log warning. bridge/log is QoS 0 by contract, so the
        // broker may shed a few of them under this burst: the bridge's own count is the exact check.
        await world.Observer.PublishAsync("schlage2mqtt/bridge/request/health_check", "{\"transaction\": \"count\"}");
        var health = JsonNode.Parse((await world.Observer.WaitOnAsync("schlage2mqtt/bridge/response/health_check", p => p.Contains("count", StringComparison.Ordinal), mark)).Payload)!;
        Assert.Equal(bad.Count - requests, health["data"]!["bridge"]!["rejected"]!.GetValue<int>());
        Assert.True(health["data"]!["healthy"]!.GetValue<bool>());
        var logs = world.Observer.On("schlage2mqtt/bridge/log", mark);
        Assert.NotEmpty(logs);
        Assert.All(logs, l => Assert.Equal("warning", JsonNode.Parse(l.Payload)!["level"]!.GetValue<string>()));
        Assert.DoesNotContain(world.Cloud.Calls.Records(), r => r.Operation is "PutDevice" or "PostCommand");

        // Still alive and still obeying.
        var after = world.Observer.Mark();
        await world.Observer.PublishAsync("schlage2mqtt/front_door/set", "UNLOCK");
        await world.Observer.WaitOnAsync("schlage2mqtt/front_door", p => p.Contains("\"state\":\"UNLOCKED\"", StringComparison.Ordinal), since: after);
    }

    private static async Task<List<Observed>> WaitForCountAsync(ObserverClient observer, string? topic, int since, int count, Func<Observed, bool>? match = null)
    {
        match ??= m => m.Topic == topic;
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var found = observer.Messages.Skip(since).Where(match).ToList();
            if (found.Count >= count)
            {
                return found;
            }
            Assert.True(DateTime.UtcNow < deadline, $"only {found.Count} of {count} messages on {topic}: "
                + string.Join("; ", found.GroupBy(f => System.Text.RegularExpressions.Regex.Replace(f.Payload.Length > 90 ? f.Payload[..90] : f.Payload, "[0-9]", "")).Select(g => $"{g.Count()}x {g.Key}")));
            await Task.Delay(50);
        }
    }

    /// <summary>Random bytes, wrong JSON types, unknown locks and attributes, huge and deep payloads, on every command and request topic.</summary>
    private static List<(string Topic, byte[] Payload)> MalformedInputs(int count)
    {
        var random = new Random(20261122);
        string[] lockTopics = ["schlage2mqtt/front_door/set", "schlage2mqtt/back_door/set", "schlage2mqtt/garage_side/set"];
        string[] attributeTopics = ["schlage2mqtt/front_door/set/beeper", "schlage2mqtt/back_door/set/lock_and_leave", "schlage2mqtt/garage_side/set/auto_lock_time", "schlage2mqtt/front_door/set/state"];
        string[] requestTopics = ["schlage2mqtt/bridge/request/lock", "schlage2mqtt/bridge/request/refresh", "schlage2mqtt/bridge/request/locks", "schlage2mqtt/bridge/request/health_check", "schlage2mqtt/bridge/request/no_such_op"];
        string[] wrongJson = ["[]", "\"open\"", "12", "true", "null", "{\"state\": 5}", "{\"state\": [\"LOCK\"]}", "{\"beeper\": \"loud\"}", "{\"auto_lock_time\": -1}", "{\"auto_lock_time\": 1e99}", "{\"color\": \"red\"}", "{}", "{\"state\": \"OPEN\"}"];
        string[] wrongRequests = ["[]", "12", "{\"lock\": 5, \"action\": \"lock\"}", "{\"lock\": \"front_door\"}", "{\"lock\": \"front_door\", \"action\": \"open\"}", "{\"lock\": \"nope\", \"action\": \"lock\"}", "{\"lock\": 1}", "{\"lock\": \"nope\"}", "{\"lock\": \"front_door\", \"action\": 3}"];
        var list = new List<(string, byte[])>();
        for (var i = 0; list.Count < count; i++)
        {
            switch (i % 9)
            {
                case 0:
                    var bytes = new byte[random.Next(1, 300)];
                    random.NextBytes(bytes);
                    list.Add((lockTopics[i % 3], bytes));
                    break;
                case 1:
                    list.Add((lockTopics[i % 3], Encoding.UTF8.GetBytes(wrongJson[i % wrongJson.Length])));
                    break;
                case 2:
                    list.Add(("schlage2mqtt/no_such_lock/set", Encoding.UTF8.GetBytes("LOCK")));
                    break;
                case 3:
                    list.Add((attributeTopics[i % attributeTopics.Length], Encoding.UTF8.GetBytes(i % 2 == 0 ? "maybe" : "-7")));
                    break;
                case 4:
                    list.Add((requestTopics[0], Encoding.UTF8.GetBytes(wrongRequests[i % wrongRequests.Length])));
                    break;
                case 5:
                    var junk = new byte[random.Next(1, 200)];
                    random.NextBytes(junk);
                    junk[0] = (byte)'{';
                    list.Add((requestTopics[i % requestTopics.Length], junk));
                    break;
                case 6:
                    // Huge: larger than the bridge reads.
                    list.Add((i % 2 == 0 ? lockTopics[0] : requestTopics[0], Encoding.UTF8.GetBytes(new string('x', 200_000))));
                    break;
                case 7:
                    list.Add((i % 2 == 0 ? lockTopics[1] : requestTopics[2], Encoding.UTF8.GetBytes(new string('[', 5000) + new string(']', 5000))));
                    break;
                default:
                    list.Add(("schlage2mqtt/front_door/set/colour", Encoding.UTF8.GetBytes("red")));
                    break;
            }
        }
        return list;
    }
}
