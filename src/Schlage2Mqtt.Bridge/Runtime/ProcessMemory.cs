using Schlage2Mqtt.Bridge.Contract;

namespace Schlage2Mqtt.Bridge.Runtime;

/// <summary>
/// The process's memory as the health document shows it (<c>process</c>), and the full collection a
/// <c>health_check</c> with <c>{"full_gc": true}</c> asks for. Resident memory alone cannot tell what the bridge keeps
/// from what the garbage collector has not handed back yet (it keeps freed pages for reuse); the managed heap right
/// after a full collection is the live set, so the chaos suite can prove that requests leave nothing behind.
/// Thread-safe: requests may ask concurrently.
/// </summary>
internal sealed class ProcessMemory(TimeProvider time)
{
    /// <summary>
    /// At most one forced collection per interval: a full compacting collection stops every thread for tens of
    /// milliseconds, so a flood of <c>full_gc</c> requests must not turn into a flood of pauses.
    /// </summary>
    public static readonly TimeSpan CollectionInterval = TimeSpan.FromSeconds(10);

    private readonly object _gate = new();
    private DateTimeOffset? _lastCollection;

    /// <summary>The figures now.</summary>
    public static ProcessHealth Figures() => new(
        Environment.WorkingSet,
        // What is allocated now, garbage included; right after a full collection it is the live set.
        GC.GetTotalMemory(forceFullCollection: false),
        // As of the last collection (0 before the first): the runtime only measures it then.
        GC.GetGCMemoryInfo().TotalCommittedBytes,
        System.Runtime.GCSettings.IsServerGC);

    /// <summary>
    /// Runs a full, blocking, compacting collection that also returns free memory to the operating system, unless one
    /// ran within <see cref="CollectionInterval"/>. True when it ran.
    /// </summary>
    public bool TryCollect()
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (_lastCollection is { } last && now - last < CollectionInterval)
            {
                return false;
            }
            _lastCollection = now;
        }
        // Objects with finalizers survive one collection; run theirs so the second collection sees only live objects.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        // Aggressive also compacts the large-object heap and decommits what is free, so resident memory can follow.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        return true;
    }
}
