using System.Diagnostics;
using System.Globalization;
using NetApplicationMessage = MQTTnet.MqttApplicationMessage;
using NetClient = MQTTnet.IMqttClient;
using NetClientFactory = MQTTnet.MqttClientFactory;
using NetMessageBuilder = MQTTnet.MqttApplicationMessageBuilder;
using NetProtocolVersion = MQTTnet.Formatter.MqttProtocolVersion;
using NetPublishResult = MQTTnet.MqttClientPublishResult;
using NetQos = MQTTnet.Protocol.MqttQualityOfServiceLevel;

namespace Schlage2Mqtt.Mqtt.Bench;

/// <summary>
/// The same publish run as <see cref="PublishRun"/> with MQTTnet 5 as the client (<c>publish-mqttnet</c>), so
/// bench/mqtt/run.sh compares two .NET clients under identical rules: the same message, warm-up, window of
/// unacknowledged QoS 1 publishes, and end of the window (last PUBACK; for QoS 0 a PINGREQ round trip after the
/// last publish). Prints the same two JSON lines with <c>"client":"mqttnet"</c>.
/// </summary>
public static class MqttNetPublishRun
{
    public static async Task<int> RunAsync(string[] args)
    {
        var server = new Uri(Arg(args, "--server", "mqtt://127.0.0.1:1883"));
        var count = int.Parse(Arg(args, "--count", "200000"), CultureInfo.InvariantCulture);
        var qos = int.Parse(Arg(args, "--qos", "0"), CultureInfo.InvariantCulture);
        var size = int.Parse(Arg(args, "--size", "100"), CultureInfo.InvariantCulture);
        var version = Arg(args, "--version", "311") == "5" ? NetProtocolVersion.V500 : NetProtocolVersion.V311;
        var window = int.Parse(Arg(args, "--window", "1024"), CultureInfo.InvariantCulture);
        var warmupRounds = int.Parse(Arg(args, "--warmup-rounds", "5"), CultureInfo.InvariantCulture);
        var warmupBatch = int.Parse(Arg(args, "--warmup-batch", "5000"), CultureInfo.InvariantCulture);
        var topic = Arg(args, "--topic", "bench/topic");
        var clientId = Arg(args, "--client-id", "bench-mqttnet-" + Environment.ProcessId);

        var payload = new byte[size];
        Array.Fill(payload, (byte)'x');
        var message = new NetMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel((NetQos)qos).Build();
        var factory = new NetClientFactory();
        using var client = factory.CreateMqttClient();
        var options = factory.CreateClientOptionsBuilder()
            .WithTcpServer(server.Host, server.Port)
            .WithClientId(clientId)
            .WithProtocolVersion(version)
            .WithCleanSession()
            .Build();
        var connected = await client.ConnectAsync(options);
        if (connected.ResultCode != MQTTnet.MqttClientConnectResultCode.Success)
        {
            Console.Error.WriteLine($"CONNACK {connected.ResultCode}");
            return 1;
        }
        var pending = new Task<NetPublishResult>[window];
        for (var round = 0; round < warmupRounds; round++)
        {
            await PublishAsync(client, message, qos, warmupBatch, pending);
            await Task.Delay(200);
        }

        GC.Collect();
        using var self = Process.GetCurrentProcess();
        Console.WriteLine("{\"event\":\"start\"}");
        var cpuBefore = self.TotalProcessorTime;
        var collectionsBefore = GC.CollectionCount(0);
        var workItemsBefore = ThreadPool.CompletedWorkItemCount;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        var failures = await PublishAsync(client, message, qos, count, pending);
        clock.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var collections = GC.CollectionCount(0) - collectionsBefore;
        var workItems = ThreadPool.CompletedWorkItemCount - workItemsBefore;
        self.Refresh();
        var cpu = self.TotalProcessorTime - cpuBefore;
        var rate = count / clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"client\":\"mqttnet\",\"qos\":{qos},\"count\":{count},\"seconds\":{clock.Elapsed.TotalSeconds:0.000},\"msgs_per_s\":{rate:0},\"alloc_bytes_per_msg\":{(double)allocated / count:0.00},\"gc_count\":{collections},\"work_items_per_msg\":{(double)workItems / count:0.000},\"cpu_seconds\":{cpu.TotalSeconds:0.000},\"peak_rss_kb\":{PeakRssKb()},\"failures\":{failures}}}"));
        await client.DisconnectAsync(factory.CreateClientDisconnectOptionsBuilder().Build());
        return failures == 0 ? 0 : 2;
    }

    /// <summary>QoS 0: one after the other, then a PINGREQ round trip. QoS 1: a window of unacknowledged publishes.</summary>
    private static async Task<int> PublishAsync(NetClient client, NetApplicationMessage message, int qos, int count, Task<NetPublishResult>[] pending)
    {
        var failures = 0;
        if (qos == 0)
        {
            for (var i = 0; i < count; i++)
            {
                await client.PublishAsync(message);
            }
            await client.PingAsync();
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
            pending[slot] = client.PublishAsync(message);
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
