using System.Diagnostics;
using System.Globalization;
using Schlage2Mqtt.Mqtt;

namespace Schlage2Mqtt.Mqtt.Bench;

/// <summary>
/// Publishes N messages of a given size at QoS 0 or 1 and prints one JSON line: messages per second from the first
/// publish to the last acknowledgement (QoS 1) or last write plus a PINGREQ/PINGRESP round trip (QoS 0), allocated
/// bytes per message during that window, and peak RSS.
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
        var topic = Arg(args, "--topic", "bench/topic");

        var payload = new byte[size];
        Array.Fill(payload, (byte)'x');
        // The same message every time, as mosquitto_pub and MQTT.js are fed identical lines.
        var message = new MqttMessage(topic, payload, qos);
        await using var connection = new MqttConnection(new MqttClientOptions { Server = server, ProtocolVersion = version, ClientId = "bench-s2m-" + Environment.ProcessId });
        var connected = await connection.ConnectAsync();
        if (!connected.IsSuccess)
        {
            Console.Error.WriteLine($"CONNACK {connected.ReasonCode}");
            return 1;
        }
        // Warm-up (JIT, pools) outside the measured window.
        for (var i = 0; i < 2000; i++)
        {
            await connection.PublishAsync(message);
        }
        await connection.PingAsync();

        var pending = new ValueTask<PublishResult>[window];
        var failures = 0;
        GC.Collect();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        if (qos == MqttQualityOfService.AtMostOnce)
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
        }
        else
        {
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
        }
        clock.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var rate = count / clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"client\":\"schlage2mqtt\",\"qos\":{(int)qos},\"count\":{count},\"seconds\":{clock.Elapsed.TotalSeconds:0.000},\"msgs_per_s\":{rate:0},\"alloc_bytes_per_msg\":{(double)allocated / count:0.00},\"peak_rss_kb\":{PeakRssKb()},\"failures\":{failures}}}"));
        return failures == 0 ? 0 : 2;
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
