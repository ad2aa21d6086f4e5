using System.Globalization;
using System.Text.Json.Nodes;
using Schlage2Mqtt.Simulator;
using Schlage2Mqtt.Simulator.Faults;
using Schlage2Mqtt.TestSupport;

namespace Schlage2Mqtt.Chaos;

public sealed partial class ChaosSuite
{
    private static readonly TimeSpan SettleLimit = TimeSpan.FromSeconds(60);

    // ---------------------------------------------------------------- (c)
    private async Task KillBridgeAsync(ChaosReport report, CancellationToken cancellationToken)
    {
        await using var world = await ChaosWorld.StartAsync(executable, cancellationToken: cancellationToken);
        var config = world.WriteConfig("kill", "schlage2mqtt", Path.Combine(world.Directory, "data"));
        await using var tap = await MqttTap.ConnectAsync(world.Broker.TcpUrl, "chaos-tap-c", _secrets, cancellationToken);
        var daemon = world.StartDaemon(config);
        try
        {
            await WaitUpAsync(tap, "schlage2mqtt", daemon, cancellationToken);
            int attempts = 0, duplicates = 0, lost = 0, acknowledged = 0;
            var backTimes = new List<double>();
            var notes = new List<string>();
            for (var i = 0; i < options.BridgeKills; i++)
            {
                var codes = world.Cloud.Admin.AccessCodes(ChaosWorld.ChaosLockId);
                var op = codes.Count < 2 ? "add" : (i % 3) switch { 0 => "add", 1 => "update", _ => "delete" };
                var name = op == "add" ? string.Create(CultureInfo.InvariantCulture, $"K{i}") : codes[_random.Next(codes.Count)].Name;
                var pin = NewPin();
                var body = op switch
                {
                    "add" => $$"""{"lock":"{{ChaosWorld.ChaosLockTopic}}","name":"{{name}}","code":"{{pin}}"}""",
                    "update" => $$"""{"lock":"{{ChaosWorld.ChaosLockTopic}}","name":"{{name}}","code":"{{pin}}"}""",
                    _ => $$"""{"lock":"{{ChaosWorld.ChaosLockTopic}}","name":"{{name}}"}""",
                };
                var acked = false;
                var answer = tap.RequestAsync("schlage2mqtt/bridge/request/access_code/" + op, Json(body), TimeSpan.FromSeconds(5), cancellationToken, ok => acked = ok);
                // Anywhere from before the change is stored to after it was sent and is being confirmed.
                await Task.Delay(_random.Next(0, 2500), cancellationToken);
                await daemon.KillAsync();
                await daemon.DisposeAsync();
                await answer;
                attempts++;
                daemon = world.StartDaemon(config);
                if (await WaitServingAsync(tap, "schlage2mqtt", UpLimit, cancellationToken) is { } back)
                {
                    backTimes.Add(back.TotalSeconds);
                }
                if (!acked)
                {
                    notes.Add($"(c) attempt {i} ({op}): the broker never acknowledged the request");
                    continue;
                }
                acknowledged++;
                bool Done(IReadOnlyList<SimulatedAccessCode> now) => op switch
                {
                    "add" => now.Count(c => c.Name == name) == 1 && now.Single(c => c.Name == name).Pin == pin,
                    "update" => now.Count(c => c.Name == name) == 1 && now.Single(c => c.Name == name).Pin == pin,
                    _ => now.All(c => c.Name != name),
                };
                var deadline = DateTime.UtcNow + SettleLimit;
                while (!Done(world.Cloud.Admin.AccessCodes(ChaosWorld.ChaosLockId)) && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(250, cancellationToken);
                }
                var final = world.Cloud.Admin.AccessCodes(ChaosWorld.ChaosLockId);
                if (final.Count(c => c.Name == name) > 1 || final.GroupBy(c => c.Pin).Any(g => g.Count() > 1))
                {
                    duplicates++;
                    notes.Add($"(c) attempt {i} ({op} {name}): duplicated on the lock");
                }
                else if (!Done(final))
                {
                    lost++;
                    notes.Add($"(c) attempt {i} ({op} {name}): acknowledged, but after {SettleLimit.TotalSeconds:0} s the lock does not show it");
                }
            }
            ScanDaemon(world);
            report.Add("(c) kill -9 of the bridge during access-code add/update/delete", string.Create(CultureInfo.InvariantCulture,
                $"{attempts} attempts ({acknowledged} acknowledged by the broker); duplicates {duplicates}; lost {lost}; restart to serving {Median(backTimes):0.0} s median"),
                "0 duplicates, 0 lost", duplicates == 0 && lost == 0);
            report.Notes.AddRange(notes.Take(10));
        }
        finally
        {
            await daemon.DisposeAsync();
        }
    }

    // ---------------------------------------------------------------- (d)
    private async Task KillBrokerAsync(ChaosReport report, CancellationToken cancellationToken)
    {
        // Persistence on, saved every second: a kill -9 loses at most the last second of broker state.
        await using var world = await ChaosWorld.StartAsync(executable, new MosquittoOptions { Persistence = true, ExtraConfig = ["autosave_interval 1"] }, cancellationToken);
        var config = world.WriteConfig("broker", "schlage2mqtt", Path.Combine(world.Directory, "data"));
        await using var tap = await MqttTap.ConnectAsync(world.Broker.TcpUrl, "chaos-tap-d", _secrets, cancellationToken);
        await using var daemon = world.StartDaemon(config);
        await WaitUpAsync(tap, "schlage2mqtt", daemon, cancellationToken);
        int cycles = 0, commands = 0, duplicated = 0, lost = 0, mismatched = 0, neverBack = 0;
        var backTimes = new List<double>();
        var notes = new List<string>();
        var locked = world.Cloud.Admin.Lock(DemoWorld.FrontDoorId).LockState == 1;
        for (var i = 0; i < options.BrokerKills; i++)
        {
            var since = world.Cloud.Calls.LastSequence;
            // Command A, then the broker dies under it; command B once it is back.
            var a = locked ? "UNLOCK" : "LOCK";
            await tap.PublishAsync("schlage2mqtt/front_door/set", Json(a), cancellationToken);
            await Task.Delay(_random.Next(100, 1500), cancellationToken);
            await world.Broker.KillAsync();
            await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
            await world.Broker.RestartAsync();
            var back = await WaitServingAsync(tap, "schlage2mqtt", UpLimit, cancellationToken);
            if (back is null)
            {
                neverBack++;
                notes.Add($"(d) cycle {i}: the bridge did not answer a health check within {UpLimit.TotalSeconds:0} s of the broker restart");
            }
            else
            {
                backTimes.Add(back.Value.TotalSeconds);
            }
            var b = a == "UNLOCK" ? "LOCK" : "UNLOCK";
            await tap.PublishAsync("schlage2mqtt/front_door/set", Json(b), cancellationToken);
            commands += 2;
            cycles++;
            locked = b == "LOCK";
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (DateTime.UtcNow < deadline && (world.Cloud.Admin.Lock(DemoWorld.FrontDoorId).LockState == 1) != locked)
            {
                await Task.Delay(250, cancellationToken);
            }
            // Let confirmations finish, then count the writes this cycle made.
            await Task.Delay(TimeSpan.FromSeconds(4), cancellationToken);
            var puts = world.Cloud.Calls.RecordsAfter(since).Count(r => r.Operation == nameof(ApiEndpoint.PutDevice) && r.DeviceId == DemoWorld.FrontDoorId);
            duplicated += Math.Max(0, puts - 2);
            lost += Math.Max(0, 2 - puts);
            if (puts != 2)
            {
                notes.Add($"(d) cycle {i}: {puts} lock writes for 2 commands ({a} before the kill, {b} after)");
            }
            // What a client subscribing now gets as retained state, against the lock itself.
            await using (var fresh = await MqttTap.ConnectAsync(world.Broker.TcpUrl, "chaos-tap-d-fresh", _secrets, cancellationToken))
            {
                var expected = world.Cloud.Admin.Lock(DemoWorld.FrontDoorId).LockState == 1 ? "LOCKED" : "UNLOCKED";
                if (!await fresh.WaitForAsync("schlage2mqtt/front_door", p => p.Contains($"\"state\":\"{expected}\"", StringComparison.Ordinal), TimeSpan.FromSeconds(5), cancellationToken))
                {
                    mismatched++;
                    notes.Add($"(d) cycle {i}: retained state {(JsonNode.Parse(fresh.Latest("schlage2mqtt/front_door") ?? "{}")?["state"])} but the lock is {expected}");
                }
            }
        }
        ScanDaemon(world);
        report.Add("(d) kill -9 of the broker (persistence on) between two commands", string.Create(CultureInfo.InvariantCulture,
            $"{cycles} cycles, {commands} commands; duplicated {duplicated}; lost {lost}; bridge serving again {Median(backTimes):0.0} s median / {(backTimes.Count == 0 ? 0 : backTimes.Max()):0.0} s max after restart ({neverBack} never); retained state wrong {mismatched}"),
            "0 duplicated, 0 lost, 0 wrong", duplicated == 0 && lost == 0 && mismatched == 0 && neverBack == 0);
        report.Notes.AddRange(notes.Take(10));
    }

    // ---------------------------------------------------------------- (e)
    private async Task FaultStormAsync(ChaosReport report, CancellationToken cancellationToken)
    {
        await using var world = await ChaosWorld.StartAsync(executable, cancellationToken: cancellationToken);
        var config = world.WriteConfig("faults", "schlage2mqtt", Path.Combine(world.Directory, "data"));
        await using var tap = await MqttTap.ConnectAsync(world.Broker.TcpUrl, "chaos-tap-e", _secrets, cancellationToken);
        await using var daemon = world.StartDaemon(config);
        await WaitUpAsync(tap, "schlage2mqtt", daemon, cancellationToken);
        var storms = new (string Name, Func<FaultRule> Rule)[]
        {
            ("500 on the write", () => FaultRule.Error(500, ApiEndpoint.PostCommand) with { Count = 1 }),
            ("504 after applying", () => FaultRule.AppliedButError(TimeSpan.Zero, ApiEndpoint.PostCommand) with { Count = 1 }),
            ("429 Retry-After 2 s on reads", () => FaultRule.TooManyRequests(TimeSpan.FromSeconds(2), ApiEndpoint.GetAccessCodes) with { Count = 2 }),
            ("401 token expired", () => FaultRule.TokenExpired() with { Count = 1 }),
            ("503 on every call", () => FaultRule.Error(503) with { Count = 3 }),
        };
        var requested = new List<(string Name, string Pin, string Op, string? Status)>();
        var errors = 0;
        for (var i = 0; i < options.FaultOperations; i++)
        {
            var (stormName, rule) = storms[i % storms.Length];
            world.Cloud.Admin.AddFault(rule());
            var name = string.Create(CultureInfo.InvariantCulture, $"F{i}");
            var pin = NewPin();
            var answer = await tap.RequestAsync("schlage2mqtt/bridge/request/access_code/add",
                Json($$"""{"lock":"{{ChaosWorld.ChaosLockTopic}}","name":"{{name}}","code":"{{pin}}"}"""), TimeSpan.FromSeconds(45), cancellationToken);
            var status = answer?["status"]?.GetValue<string>();
            if (status != "ok")
            {
                errors++;
                report.Notes.Add($"(e) add {name} under '{stormName}': {(answer is null ? "no answer" : answer["error"]?["code"]?.ToString())}");
            }
            requested.Add((name, pin, stormName, status));
        }
        world.Cloud.Admin.ClearFaults();
        // A change answered "setting" keeps settling after the answer; give it the settle time.
        var deadline = DateTime.UtcNow + SettleLimit;
        while (DateTime.UtcNow < deadline && requested.Any(r => r.Status == "ok" && world.Cloud.Admin.AccessCodes(ChaosWorld.ChaosLockId).All(c => c.Name != r.Name)))
        {
            await Task.Delay(500, cancellationToken);
        }
        var codes = world.Cloud.Admin.AccessCodes(ChaosWorld.ChaosLockId);
        var lost = requested.Count(r => r.Status == "ok" && codes.All(c => c.Name != r.Name));
        var duplicated = requested.Count(r => codes.Count(c => c.Name == r.Name || c.Pin == r.Pin) > 1);
        ScanDaemon(world);
        report.Add("(e) cloud fault storms (5xx, 504, 429 + Retry-After, 401, 503)", string.Create(CultureInfo.InvariantCulture,
            $"{requested.Count} access-code adds under {storms.Length} kinds of fault; answered error {errors}; lost {lost}; duplicated codes {duplicated}"),
            "0 lost, 0 duplicated", lost == 0 && duplicated == 0);
    }

    // ---------------------------------------------------------------- (g)
    private async Task TlsAsync(ChaosReport report, CancellationToken cancellationToken)
    {
        using var certificates = TestCertificates.Create();
        await using var world = await ChaosWorld.StartAsync(executable, new MosquittoOptions { Tls = certificates }, cancellationToken);
        // The broker's certificate chains to a CA the daemon was not told about: it must not connect.
        var config = world.WriteConfig("tls", "chaos_tls", Path.Combine(world.Directory, "data"), server: world.Broker.TlsUrl);
        await using var tap = await MqttTap.ConnectAsync(world.Broker.TcpUrl, "chaos-tap-g", _secrets, cancellationToken);
        await using var daemon = world.StartDaemon(config);
        var connected = await tap.WaitForAsync("chaos_tls/bridge/state", _ => true, TimeSpan.FromSeconds(15), cancellationToken);
        var lines = world.DaemonLines.ToArray();
        var said = lines.Any(l => l.Contains("certificate", StringComparison.OrdinalIgnoreCase) || l.Contains("TLS", StringComparison.Ordinal));
        ScanDaemon(world);
        report.Add("(g) TLS to a self-signed broker", $"connected {(connected ? "YES" : "no")}; refusal logged {(said ? "yes" : "no")}; alive {(!daemon.HasExited ? "yes" : "no (exited)")}",
            "refused by default", !connected);
    }

    private static double Median(List<double> values)
    {
        if (values.Count == 0)
        {
            return 0;
        }
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
