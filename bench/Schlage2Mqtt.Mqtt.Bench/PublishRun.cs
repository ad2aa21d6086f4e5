using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using Schlage2Mqtt.Mqtt;

namespace Schlage2Mqtt.Mqtt.Bench;

/// <summary>
/// Publishes N messages of a given size at QoS 0 or 1 and prints two JSON lines on stdout: <c>{"event":"start"}</c>
/// just before the measured window opens (bench/mqtt/compare.mjs samples the broker's CPU then), and the result:
/// messages per second from the first publish to the last acknowledgement (QoS 1) or to the PINGRESP answering a
/// PINGREQ sent after the last publish (QoS 0; the broker handles a connection's packets in order, so the answer
/// means it has processed every message), allocated bytes per message, CPU time, thread-pool work items and
/// methods JIT-compiled in that window, and peak RSS.
/// </summary>
public static class PublishRun
{
    public static async Task<int> RunAsync(string[] args)
    {
        var server = Arg(args, "--server", "mqtt://127.0.0.1:1883");
        var count = int.Parse(Arg(args, "--count", "200000"), CultureInfo.InvariantCulture);
        var qos = (MqttQualityOfService)int.Parse(Arg(args, "--qos", "0"), CultureInfo.InvariantCulture);
        var size = int.Parse(Arg(args, "--size", "100"), CultureInfo.InvariantCulture);
        var version = Arg(args, "--version", "311") == "5" ? MqttProtocolVersion.V500 : MqttProtocolVersion.V311;
        var window = int.Parse(Arg(args, "--window", "1024"), CultureInfo.InvariantCulture);
        var warmupRounds = int.Parse(Arg(args, "--warmup-rounds", "5"), CultureInfo.InvariantCulture);
        var warmupBatch = int.Parse(Arg(args, "--warmup-batch", "5000"), CultureInfo.InvariantCulture);
        var topic = Arg(args, "--topic", "bench/topic");
        var clientId = Arg(args, "--client-id", "bench-s2m-" + Environment.ProcessId);

        var payload = new byte[size];
        Array.Fill(payload, (byte)'x');
        // The same message every time, as mosquitto_pub and MQTT.js are fed identical lines.
        var message = new MqttMessage(topic, payload, qos);
        await using var connection = new MqttConnection(new MqttClientOptions { Server = server, ProtocolVersion = version, ClientId = clientId });
        var connected = await connection.ConnectAsync();
        if (!connected.IsSuccess)
        {
            Console.Error.WriteLine($"CONNACK {connected.ReasonCode}");
            return 1;
        }
        var pending = new ValueTask<PublishResult>[window];
        // Warm-up outside the window, as for MQTT.js: rounds with pauses so tiered JIT (and V8) finish optimising
        // the hot path in the background instead of competing with the broker for CPU during the measurement.
        for (var round = 0; round < warmupRounds; round++)
        {
            await PublishAsync(connection, message, warmupBatch, pending);
            await Task.Delay(200);
        }

        using var sampler = args.Contains("--alloc-trace") ? new AllocationSampler() : null;
        GC.Collect();
        using var self = Process.GetCurrentProcess();
        Console.WriteLine("{\"event\":\"start\"}");
        var cpuBefore = self.TotalProcessorTime;
        var jitBefore = JitInfo.GetCompiledMethodCount();
        var workItemsBefore = ThreadPool.CompletedWorkItemCount;
        var collectionsBefore = GC.CollectionCount(0);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        sampler?.Recording = true;
        var clock = Stopwatch.StartNew();
        var failures = await PublishAsync(connection, message, count, pending);
        clock.Stop();
        sampler?.Recording = false;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var collections = GC.CollectionCount(0) - collectionsBefore;
        var workItems = ThreadPool.CompletedWorkItemCount - workItemsBefore;
        var jitted = JitInfo.GetCompiledMethodCount() - jitBefore;
        self.Refresh();
        var cpu = self.TotalProcessorTime - cpuBefore;
        var rate = count / clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"client\":\"schlage2mqtt\",\"qos\":{(int)qos},\"count\":{count},\"seconds\":{clock.Elapsed.TotalSeconds:0.000},\"msgs_per_s\":{rate:0},\"alloc_bytes_per_msg\":{(double)allocated / count:0.00},\"gc_count\":{collections},\"work_items_per_msg\":{(double)workItems / count:0.000},\"jitted_methods\":{jitted},\"cpu_seconds\":{cpu.TotalSeconds:0.000},\"peak_rss_kb\":{PeakRssKb()},\"failures\":{failures}}}"));
        foreach (var (type, bytes) in sampler?.Top(10) ?? [])
        {
            Console.Error.WriteLine($"allocation samples: {bytes,12:N0} B {type}");
        }
        if (args.Contains("--threads"))
        {
            PrintThreadCpu();
        }
        return failures == 0 ? 0 : 2;
    }

    /// <summary>
    /// Publishes <paramref name="count"/> messages and returns how many failed. QoS 0: one after the other, then a
    /// PINGREQ round trip. QoS 1: up to <c>pending.Length</c> unacknowledged at a time, then waits for every PUBACK.
    /// </summary>
    private static async Task<int> PublishAsync(MqttConnection connection, MqttMessage message, int count, ValueTask<PublishResult>[] pending)
    {
        var failures = 0;
        if (message.QualityOfService == MqttQualityOfService.AtMostOnce)
        {
            for (var i = 0; i < count; i++)
            {
                var sent = connection.PublishAsync(message);
                if (!sent.IsCompletedSuccessfully)
                {
                    await sent;
                }
            }
            await connection.PingAsync();
            return failures;
        }
        var window = pending.Length;
        for (var i = 0; i < count; i++)
        {
            var slot = i % window;
            if (i >= window && !(await pending[slot]).IsSuccess)
            {
                failures++;
            }
            pending[slot] = connection.PublishAsync(message);
        }
        for (var i = Math.Max(0, count - window); i < count; i++)
        {
            if (!(await pending[i % window]).IsSuccess)
            {
                failures++;
            }
        }
        return failures;
    }

    /// <summary>Diagnostics (--threads): CPU ticks and context switches of every thread of this process, on stderr.</summary>
    private static void PrintThreadCpu()
    {
        foreach (var task in Directory.GetDirectories("/proc/self/task"))
        {
            var stat = File.ReadAllText(Path.Combine(task, "stat"));
            var name = stat[(stat.IndexOf('(', StringComparison.Ordinal) + 1)..stat.LastIndexOf(')')];
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var status = File.ReadAllLines(Path.Combine(task, "status"));
            string Switches(string key) => status.First(l => l.StartsWith(key, StringComparison.Ordinal)).Split('\t')[^1];
            Console.Error.WriteLine($"{name,-16} utime {fields[11],5} stime {fields[12],5} voluntary {Switches("voluntary_ctxt_switches"),7} involuntary {Switches("nonvoluntary_ctxt_switches"),6}");
        }
    }

    private static long PeakRssKb()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }
        return -1;
    }

    private static string Arg(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
