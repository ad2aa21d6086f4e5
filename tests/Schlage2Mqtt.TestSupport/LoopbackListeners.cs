using System.Globalization;
using System.Net;

namespace Schlage2Mqtt.TestSupport;

/// <summary>
/// Which TCP sockets a process tree listens on, read from <c>/proc</c> (no <c>ss</c> or <c>netstat</c> needed): its
/// processes' socket inodes matched against the LISTEN rows of <c>/proc/net/tcp</c> and <c>/proc/net/tcp6</c>.
/// </summary>
public static class LoopbackListeners
{
    /// <summary><paramref name="root"/> and every process descended from it.</summary>
    public static HashSet<int> ProcessTree(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
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

    /// <summary>Every listening TCP socket (IPv4 and IPv6) held by one of <paramref name="pids"/>.</summary>
    public static List<(IPAddress Address, int Port)> Of(HashSet<int> pids)
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
                var local = f[1].Split(':');
                var bytes = Convert.FromHexString(local[0]);
                // /proc prints each 32-bit word in host (little-endian) order.
                for (var i = 0; i < bytes.Length; i += 4)
                {
                    Array.Reverse(bytes, i, 4);
                }
                var address = new IPAddress(bytes);
                sockets.Add((address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address, int.Parse(local[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
            }
        }
        return sockets;
    }
}
