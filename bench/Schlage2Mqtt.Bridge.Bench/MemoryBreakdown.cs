using System.Globalization;

namespace Schlage2Mqtt.Bridge.Bench;

/// <summary>
/// Where a process's resident memory is, from <c>/proc/&lt;pid&gt;/smaps</c> (KiB): pages of mapped files (the native
/// executable, or the runtime's .so files and the assemblies of a JIT build) and anonymous pages (the GC heap, the
/// native heap, thread stacks and, in a JIT build, generated code and type data).
/// </summary>
internal sealed record MappedMemory(long FilesKiB, long AnonymousKiB, int Threads, IReadOnlyList<(string File, long RssKiB)> LargestFiles)
{
    public static MappedMemory Read(int pid)
    {
        long files = 0, anonymous = 0;
        var byFile = new Dictionary<string, long>(StringComparer.Ordinal);
        string? path = null;
        foreach (var line in File.ReadLines($"/proc/{pid}/smaps"))
        {
            if (IsMappingHeader(line, out var name))
            {
                path = name;
                continue;
            }
            if (!line.StartsWith("Rss:", StringComparison.Ordinal))
            {
                continue;
            }
            var kib = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            // [heap], [stack], [anon:...], [vdso] and nameless mappings are not backed by a file.
            if (string.IsNullOrEmpty(path) || path.StartsWith('['))
            {
                anonymous += kib;
            }
            else
            {
                files += kib;
                byFile[Path.GetFileName(path)] = byFile.GetValueOrDefault(Path.GetFileName(path)) + kib;
            }
        }
        var threads = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("Threads:", StringComparison.Ordinal))
            {
                threads = int.Parse(line["Threads:".Length..].Trim(), CultureInfo.InvariantCulture);
            }
        }
        return new MappedMemory(files, anonymous, threads,
            [.. byFile.OrderByDescending(f => f.Value).Take(3).Select(f => (f.Key, f.Value))]);
    }

    // A mapping header: "start-end perms offset dev inode [path]"; the fields after it are "Name: value kB".
    private static bool IsMappingHeader(string line, out string? path)
    {
        path = null;
        var dash = line.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0 || line.IndexOf(':', StringComparison.Ordinal) is var colon && colon >= 0 && colon < dash)
        {
            return false;
        }
        var parts = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
        path = parts.Length >= 6 ? parts[5].Trim() : null;
        return parts.Length >= 5;
    }
}

/// <summary>The daemon's own figures right after a full compacting collection it ran on request (bytes).</summary>
internal sealed record ManagedMemory(long GcHeapBytes, long GcCommittedBytes, long RssBytes)
{
    /// <summary>
    /// Asks the daemon (<c>health_check</c> with <c>full_gc</c>) for a full collection; a request within its 10 s rate
    /// limit is answered without collecting, so this asks again a few seconds later. Null if it never collected.
    /// </summary>
    public static async Task<ManagedMemory?> AfterFullGcAsync(Observer observer, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 4; attempt++)
        {
            using var answer = await observer.RequestAsync("health_check", "\"full_gc\":true", TimeSpan.FromSeconds(30), cancellationToken);
            if (answer is not null
                && answer.RootElement.TryGetProperty("data", out var data)
                && data.TryGetProperty("process", out var process)
                && process.TryGetProperty("full_gc", out var fullGc) && fullGc.GetString() == "collected")
            {
                return new ManagedMemory(process.GetProperty("gc_heap_bytes").GetInt64(), process.GetProperty("gc_committed_bytes").GetInt64(),
                    process.GetProperty("rss_bytes").GetInt64());
            }
            await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
        }
        return null;
    }
}
