using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Schlage2Mqtt.Simulator;
using Schlage2Mqtt.Simulator.Faults;
using Schlage2Mqtt.TestSupport;

namespace Schlage2Mqtt.Chaos;

/// <summary>Runs the sections the options select and fills a <see cref="ChaosReport"/>. Every process it starts, it stops.</summary>
public sealed partial class ChaosSuite(ChaosOptions options, string executable, TextWriter progress)
{
    private static readonly TimeSpan UpLimit = TimeSpan.FromSeconds(45);
    private readonly Random _random = new(options.Seed);

    // (k) runs beside the other sections: both write progress lines.
    private readonly TextWriter _progress = TextWriter.Synchronized(progress);
    private readonly SecretScanner _secrets = new(DemoWorld.Password, SimulatorDefaults.ApiKey);

    /// <summary>Runs everything selected.</summary>
    public async Task<ChaosReport> RunAsync(CancellationToken cancellationToken)
    {
        var report = new ChaosReport();
        var sections = new (string Ids, Func<ChaosReport, CancellationToken, Task> Run)[]
        {
            ("a", HostileAsync), ("b", CorruptStateAsync), ("c", KillBridgeAsync), ("d", KillBrokerAsync), ("e", FaultStormAsync), ("g", TlsAsync),
            ("h", SimulatorCliAsync), ("ilmn", CloudQuirksAsync), ("j", BrokerCredentialsAsync), ("o", TransitionalAfterReconnectAsync), ("p", DemoListenersAsync),
        };
        // (k) mostly waits on a 35 s cloud: it runs beside the issue-20 sections (after the memory and kill figures,
        // which it must not disturb), in its own world and report, merged at the end.
        var slowReport = new ChaosReport();
        Task? slow = null;
        foreach (var (ids, run) in sections.Where(s => s.Ids.Any(options.Runs)))
        {
            if (slow is null && ids is "h" or "ilmn" or "j" or "o" or "p")
            {
                slow = options.Runs('k') ? RunSectionAsync("k", SlowCloudAsync, slowReport, cancellationToken) : Task.CompletedTask;
            }
            await RunSectionAsync(ids, run, report, cancellationToken);
        }
        await (slow ?? (options.Runs('k') ? RunSectionAsync("k", SlowCloudAsync, slowReport, cancellationToken) : Task.CompletedTask));
        foreach (var (section, figures, goal, met) in slowReport.Rows)
        {
            report.Add(section, figures, goal, met);
        }
        report.Notes.AddRange(slowReport.Notes);
        if (options.Runs('f'))
        {
            report.Add("(f) secrets", $"{_secrets.Scanned:N0} log lines and MQTT messages scanned: password/API key/JWT {_secrets.Hits}, PINs {_secrets.PinHits}",
                "0 / 0", _secrets.Hits == 0 && _secrets.PinHits == 0);
            report.Notes.AddRange(_secrets.Examples.Select(e => "(f) found: " + e));
        }
        return report;
    }

    private async Task RunSectionAsync(string ids, Func<ChaosReport, CancellationToken, Task> run, ChaosReport report, CancellationToken cancellationToken)
    {
        _progress.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] section ({ids})");
        try
        {
            await run(report, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            report.Add($"({ids})", "the section itself failed: " + ex.GetType().Name, "runs", false);
            report.Notes.Add($"({ids}) failed: {ex.Message.Split('\n')[0]}");
            _progress.WriteLine(ex);
        }
    }

    // ---------------------------------------------------------------- (a)
    private async Task HostileAsync(ChaosReport report, CancellationToken cancellationToken)
    {
        await using var world = await ChaosWorld.StartAsync(executable, cancellationToken: cancellationToken);
        var config = world.WriteConfig("hostile", "schlage2mqtt", Path.Combine(world.Directory, "data"));
        await using var tap = await MqttTap.ConnectAsync(world.Broker.TcpUrl, "chaos-tap-a", _secrets, cancellationToken);
        var daemon = world.StartDaemon(config);
        await using var _ = daemon;
        await WaitUpAsync(tap, "schlage2mqtt", daemon, cancellationToken);

        // CHAOS_MAX_PAYLOAD (bytes) leaves out larger cases, to tell what memory growth comes from.
        var maxPayload = int.TryParse(Environment.GetEnvironmentVariable("CHAOS_MAX_PAYLOAD"), CultureInfo.InvariantCulture, out var m) ? m : int.MaxValue;
        var topicFilter = Environment.GetEnvironmentVariable("CHAOS_TOPIC_FILTER");
        var cases = HostilePayloads.Mixed("front_door", options.Hostile)
            .Where(c => c.Payload.Length <= maxPayload && (topicFilter is null || c.Suffix.Contains(topicFilter, StringComparison.Ordinal))).ToList();
        foreach (var pin in cases.SelectMany(c => c.Pins).Distinct())
        {
            _secrets.AddPin(pin);
        }
        // Warm up every code path first (the whole table and some random cases), so "before" is not the cold process
        // and what the run adds is what requests leave behind, not JIT-compiled code.
        var warmUp = HostilePayloads.Mixed("front_door", HostilePayloads.Table("front_door").Count() + 500)
            .Where(c => c.Payload.Length <= maxPayload && (topicFilter is null || c.Suffix.Contains(topicFilter, StringComparison.Ordinal))).ToList();
        foreach (var pin in warmUp.SelectMany(c => c.Pins).Distinct())
        {
            _secrets.AddPin(pin);
        }
        await SendHostileAsync(tap, warmUp, cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(options.SettleSeconds), cancellationToken);
        var before = daemon.RssKiB();
        var gcBefore = await FullGcAsync(tap, "schlage2mqtt", cancellationToken);
        var started = DateTime.UtcNow;
        var (attempts, hangs, internalErrors, hangExamples, internalExamples) = await SendHostileAsync(tap, cases, cancellationToken);
        var rate = attempts / Math.Max(0.001, (DateTime.UtcNow - started).TotalSeconds);
        var after = daemon.RssKiB();
        await Task.Delay(TimeSpan.FromSeconds(options.SettleSeconds), cancellationToken);
        var settled = daemon.RssKiB();
        var gcAfter = await FullGcAsync(tap, "schlage2mqtt", cancellationToken);
        var alive = !daemon.HasExited && await tap.RequestAsync("schlage2mqtt/bridge/request/health_check", "{}"u8.ToArray(), TimeSpan.FromSeconds(15), cancellationToken) is not null;
        ScanDaemon(world);
        var pinEchoes = _secrets.PinHits;
        report.Add("(a) hostile payloads", string.Create(CultureInfo.InvariantCulture,
            $"{attempts:N0} attempts on {HostilePayloads.Topics("front_door").Count()} topics ({rate:0} per s); alive {(alive ? "yes" : "NO")}; hangs {hangs}; internal_error {internalErrors}; PIN echoed {pinEchoes}; RSS {before / 1024.0:0.0} -> {after / 1024.0:0.0} -> {settled / 1024.0:0.0} MiB after {options.SettleSeconds} s"),
            "alive, 0 hangs, 0 internal_error, 0 PIN",
            alive && hangs == 0 && internalErrors == 0 && pinEchoes == 0);
        var heapGrowth = gcBefore is null || gcAfter is null ? (double?)null : (gcAfter.Value.Heap - gcBefore.Value.Heap) / 1048576.0;
        report.Add("(a) memory after a full GC", gcBefore is null || gcAfter is null
            ? "health_check {\"full_gc\": true} was not answered with process figures"
            : string.Create(CultureInfo.InvariantCulture,
                $"managed heap {gcBefore.Value.Heap / 1048576.0:0.0} -> {gcAfter.Value.Heap / 1048576.0:0.0} MiB ({heapGrowth:+0.0;-0.0} MiB); GC committed {gcBefore.Value.Committed / 1048576.0:0.0} -> {gcAfter.Value.Committed / 1048576.0:0.0} MiB; RSS {gcBefore.Value.Rss / 1048576.0:0.0} -> {gcAfter.Value.Rss / 1048576.0:0.0} MiB ({(gcAfter.Value.Rss - gcBefore.Value.Rss) / 1048576.0:+0.0;-0.0} MiB){(gcAfter.Value.Server ? "; server GC" : "")}"),
            "managed heap after a full GC within 10 MiB of before",
            heapGrowth is { } growth && growth <= 10);
        report.Notes.Add($"(a) RSS is VmRSS of the daemon process: before (after a warm-up pass of the whole table plus 500 random cases, and {options.SettleSeconds} s), right after the run, and after another {options.SettleSeconds} s settle, without forcing a collection: what the runtime kept.");
        report.Notes.Add("(a) memory after a full GC: `bridge/request/health_check` with `{\"full_gc\": true}` (a blocking compacting collection, then an aggressive one that decommits free memory) before the run and after the settle; the managed heap right after it is the live set, the RSS what the process still holds then.");
        report.Notes.AddRange(hangExamples.Select(e => "(a) unanswered: " + e));
        report.Notes.AddRange(internalExamples.Select(e => "(a) internal_error: " + e));
    }

    private static async Task<(int Attempts, int Hangs, int InternalErrors, List<string> HangExamples, List<string> InternalExamples)> SendHostileAsync(
        MqttTap tap, List<HostilePayload> cases, CancellationToken cancellationToken)
    {
        int hangs = 0, internalErrors = 0;
        var hangExamples = new List<string>();
        var internalExamples = new List<string>();
        // A bounded window of requests in flight, each with its own answer deadline.
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (c, ct) =>
        {
            var answer = await tap.RequestAsync("schlage2mqtt/" + c.Suffix, c.Payload, TimeSpan.FromSeconds(20), ct);
            lock (hangExamples)
            {
                if (answer is null)
                {
                    hangs++;
                    if (hangExamples.Count < 5)
                    {
                        hangExamples.Add(c.ToString());
                    }
                }
                else if (answer["error"]?["code"]?.GetValue<string>() == "internal_error")
                {
                    internalErrors++;
                    if (internalExamples.Count < 5)
                    {
                        internalExamples.Add(c.ToString());
                    }
                }
            }
        });
        return (cases.Count, hangs, internalErrors, hangExamples, internalExamples);
    }

    // ---------------------------------------------------------------- (b)
    private async Task CorruptStateAsync(ChaosReport report, CancellationToken cancellationToken)
    {
        await using var world = await ChaosWorld.StartAsync(executable, cancellationToken: cancellationToken);
        await using var tap = await MqttTap.ConnectAsync(world.Broker.TcpUrl, "chaos-tap-b", _secrets, cancellationToken);
        // Real documents to corrupt: a clean run that stored a token, topic ids and one access-code change.
        var template = Path.Combine(world.Directory, "template");
        await using (var daemon = world.StartDaemon(world.WriteConfig("template", "chaos_t", template)))
        {
            await WaitUpAsync(tap, "chaos_t", daemon, cancellationToken);
            var pin = NewPin();
            var added = await tap.RequestAsync("chaos_t/bridge/request/access_code/add", Json($$"""{"lock":"{{ChaosWorld.ChaosLockTopic}}","name":"Tmpl","code":"{{pin}}"}"""), TimeSpan.FromSeconds(30), cancellationToken);
            report.Notes.Add($"(b) template run: access_code/add answered {added?["status"]} {added?["data"]?["status"]}");
        }
        report.Notes.Add($"(b) state files of the template run: {string.Join(", ", Directory.GetFileSystemEntries(template).Select(Path.GetFileName))}");
        var files = Directory.GetFiles(template, "*.json").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
        var kinds = CorruptKinds();
        int cases = 0, started = 0, crashed = 0;
        var failures = new List<string>();
        for (var k = 0; k < kinds.Count; k++)
        {
            var targets = options.AllStateFiles ? files : [files[k % files.Count]];
            foreach (var file in targets)
            {
                cases++;
                var baseTopic = string.Create(CultureInfo.InvariantCulture, $"chaos_b{cases}");
                var dataDir = Path.Combine(world.Directory, baseTopic);
                CopyDirectory(template, dataDir);
                var path = Path.Combine(dataDir, file);
                kinds[k].Write(path, File.ReadAllBytes(Path.Combine(template, file)));
                await using var daemon = world.StartDaemon(world.WriteConfig(baseTopic, baseTopic, dataDir));
                var up = await tap.WaitForAsync($"{baseTopic}/front_door", p => p.Contains("\"state\"", StringComparison.Ordinal), UpLimit, cancellationToken);
                if (daemon.HasExited)
                {
                    crashed++;
                    failures.Add($"{file} {kinds[k].Name}: exited with {daemon.ExitCode}");
                }
                else if (up)
                {
                    started++;
                }
                else
                {
                    failures.Add($"{file} {kinds[k].Name}: alive but published no lock state within {UpLimit.TotalSeconds:0} s");
                }
                ScanDaemon(world);
            }
        }
        report.Add("(b) corrupt state files", $"{cases} cases ({string.Join(", ", kinds.Select(k => k.Name))} on {string.Join(", ", options.AllStateFiles ? files : files.Take(kinds.Count))}); started {started}; crashed {crashed}",
            "all started, 0 crashed", started == cases && crashed == 0);
        report.Notes.AddRange(failures.Take(10).Select(f => "(b) " + f));
    }

    private sealed record CorruptKind(string Name, Action<string, byte[]> Write);

    private static List<CorruptKind> CorruptKinds() =>
    [
        new("truncated", (path, good) => File.WriteAllBytes(path, good[..(good.Length / 2)])),
        new("empty", (path, _) => File.WriteAllBytes(path, [])),
        new("garbage", (path, _) => File.WriteAllBytes(path, [.. Enumerable.Range(0, 4096).Select(i => (byte)((i * 7919) % 251))])),
        new("wrong types", (path, _) => File.WriteAllText(path, """{"version":"x","operations":"nope","locks":42,"tokens":[1,2],"records":true,"marks":"m"}""")),
        new("a directory", (path, _) => { File.Delete(path); Directory.CreateDirectory(path); }),
        new("20 MB", (path, good) => File.WriteAllText(path, "{\"pad\":\"" + new string('x', 20 * 1024 * 1024) + "\"," + Encoding.UTF8.GetString(good).TrimStart().TrimStart('{'))),
        new("null", (path, _) => File.WriteAllText(path, "null")),
        new("null records", (path, good) => File.WriteAllText(path, NullRecords(good))),
        new("duplicate ids", (path, good) => File.WriteAllText(path, DuplicateFirst(good))),
    ];

    // Every value inside the document's collections becomes null: {"a": {"k": null}, "b": [null]}.
    private static string NullRecords(byte[] good)
    {
        if (JsonNode.Parse(good) is not JsonObject root)
        {
            return "[null]";
        }
        foreach (var (key, value) in root.ToList())
        {
            switch (value)
            {
                case JsonObject map:
                    root[key] = new JsonObject(map.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)null)).ToList().DefaultIfEmpty(KeyValuePair.Create("x", (JsonNode?)null)));
                    break;
                case JsonArray:
                    root[key] = new JsonArray(null, null);
                    break;
            }
        }
        return root.ToJsonString();
    }

    // The first record of the document's first collection, written twice (the same key twice in a map).
    private static string DuplicateFirst(byte[] good)
    {
        if (JsonNode.Parse(good) is not JsonObject root)
        {
            return Encoding.UTF8.GetString(good);
        }
        var text = new StringBuilder("{");
        var first = true;
        var duplicated = false;
        foreach (var (key, value) in root)
        {
            text.Append(first ? "" : ",").Append(System.Text.Json.JsonSerializer.Serialize(key)).Append(':');
            first = false;
            if (!duplicated && value is JsonArray { Count: > 0 } list)
            {
                var items = list.Select(i => i?.ToJsonString() ?? "null").ToList();
                text.Append('[').Append(string.Join(',', items.Prepend(items[0]))).Append(']');
                duplicated = true;
            }
            else if (!duplicated && value is JsonObject { Count: > 0 } map)
            {
                var entries = map.Select(p => System.Text.Json.JsonSerializer.Serialize(p.Key) + ":" + (p.Value?.ToJsonString() ?? "null")).ToList();
                text.Append('{').Append(string.Join(',', entries.Prepend(entries[0]))).Append('}');
                duplicated = true;
            }
            else
            {
                text.Append(value?.ToJsonString() ?? "null");
            }
        }
        return text.Append('}').ToString();
    }

    // ---------------------------------------------------------------- helpers
    private static async Task WaitUpAsync(MqttTap tap, string baseTopic, ChaosDaemon daemon, CancellationToken cancellationToken)
    {
        if (!await tap.WaitForAsync($"{baseTopic}/front_door", p => p.Contains("\"state\"", StringComparison.Ordinal), UpLimit, cancellationToken))
        {
            throw new TimeoutException($"The bridge published no lock state within {UpLimit.TotalSeconds:0} s (exited: {daemon.HasExited}). Last lines:\n"
                + string.Join('\n', daemon.Lines.TakeLast(20)));
        }
    }

    /// <summary>
    /// Asks the daemon for a full collection and its process figures right after it (bytes); null if it never answered
    /// with them. A request within the daemon's rate limit is answered without collecting: wait and ask again.
    /// </summary>
    private static async Task<(long Heap, long Committed, long Rss, bool Server)?> FullGcAsync(MqttTap tap, string baseTopic, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 4; attempt++)
        {
            var answer = await tap.RequestAsync($"{baseTopic}/bridge/request/health_check", """{"full_gc":true}"""u8.ToArray(), TimeSpan.FromSeconds(30), cancellationToken);
            var process = answer?["data"]?["process"];
            if (process?["full_gc"]?.GetValue<string>() == "collected")
            {
                return (process["gc_heap_bytes"]!.GetValue<long>(), process["gc_committed_bytes"]!.GetValue<long>(), process["rss_bytes"]!.GetValue<long>(),
                    process["gc_server"]?.GetValue<bool>() == true);
            }
            await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
        }
        return null;
    }

    /// <summary>Health checks until one is answered: the bridge is connected and serving. Null after <paramref name="limit"/>.</summary>
    private static async Task<TimeSpan?> WaitServingAsync(MqttTap tap, string baseTopic, TimeSpan limit, CancellationToken cancellationToken)
    {
        var started = DateTime.UtcNow;
        while (DateTime.UtcNow - started < limit)
        {
            if (await tap.RequestAsync($"{baseTopic}/bridge/request/health_check", "{}"u8.ToArray(), TimeSpan.FromSeconds(1), cancellationToken) is not null)
            {
                return DateTime.UtcNow - started;
            }
        }
        return null;
    }

    private void ScanDaemon(ChaosWorld world)
    {
        while (world.DaemonLines.TryDequeue(out var line))
        {
            _secrets.Scan("daemon log", line);
        }
    }

    private string NewPin()
    {
        // Eight digits starting 7-9: the Chaos Lock's length, and rare enough in logs to grep for.
        var pin = _random.Next(70_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture);
        _secrets.AddPin(pin);
        return pin;
    }

    private static byte[] Json(string text) => Encoding.UTF8.GetBytes(text);

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }
}
