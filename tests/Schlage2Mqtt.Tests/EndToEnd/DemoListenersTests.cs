using System.Globalization;
using System.Net;
using Schlage2Mqtt.TestSupport;

namespace Schlage2Mqtt.Tests.EndToEnd;

/// <summary>Everything the demo starts (bridge, simulated cloud, private mosquitto) listens on loopback only.</summary>
[Collection(EndToEndGroup.Name)]
public sealed class DemoListenersTests
{
    [Fact]
    public async Task No_socket_the_demo_or_its_mosquitto_listens_on_is_beyond_loopback()
    {
        var port = FreePort.Next();
        await using var demo = DaemonProcess.Start(null, "demo", "--port", port.ToString(CultureInfo.InvariantCulture), "--latency", "100ms");
        await demo.WaitForOutputAsync("Press Ctrl+C to stop.", TimeSpan.FromSeconds(90));

        var pids = ProcessTree(demo.Id);
        var listening = ListeningSockets(pids);

        // Not vacuous: the private mosquitto's TCP and websocket listeners and the simulated cloud are among them.
        Assert.Contains(listening, s => s.Port == port);
        Assert.True(listening.Count >= 3, string.Join(", ", listening));
        Assert.All(listening, s => Assert.True(IPAddress.IsLoopback(s.Address), $"{s.Address}:{s.Port} is not loopback (all: {string.Join(", ", listening)})"));
    }

    private static HashSet<int> ProcessTree(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }
            try
            {
                // "pid (comm) state ppid ...": comm may hold spaces, so read after the last ')'.
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parents[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                // The process ended meanwhile.
            }
        }
        var tree = new HashSet<int> { root };
        for (var grew = true; grew;)
        {
            grew = false;
            foreach (var (pid, parent) in parents)
            {
                if (tree.Contains(parent) && tree.Add(pid))
                {
                    grew = true;
                }
            }
        }
        return tree;
    }

    private static List<(IPAddress Address, int Port)> ListeningSockets(HashSet<int> pids)
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pid in pids)
        {
            try
            {
                foreach (var fd in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
                {
                    var target = new FileInfo(fd).LinkTarget;
                    if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal))
                    {
                        inodes.Add(target[8..^1]);
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended meanwhile.
            }
        }
        var sockets = new List<(IPAddress, int)>();
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                // local_address, state 0A = LISTEN, inode is field 9.
                if (f[3] != "0A" || !inodes.Contains(f[9]))
                {
                    continue;
                }
                var (hex, portHex) = (f[1].Split(':')[0], f[1].Split(':')[1]);
                var bytes = Convert.FromHexString(hex);
                // /proc prints each 32-bit word in host (little-endian) order.
                for (var i = 0; i < bytes.Length; i += 4)
                {
                    Array.Reverse(bytes, i, 4);
                }
                var address = new IPAddress(bytes);
                sockets.Add((address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address, int.Parse(portHex, NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
            }
        }
        return sockets;
    }
}
