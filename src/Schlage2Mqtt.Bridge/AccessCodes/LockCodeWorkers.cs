using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Bridge.Runtime;

namespace Schlage2Mqtt.Bridge.AccessCodes;

/// <summary>The reconcilers, one per lock, created on first use and kept for the bridge's life.</summary>
/// <remarks>Thread-safe: the map is guarded by a private monitor; a worker is created at most once per lock.</remarks>
internal sealed class LockCodeWorkers(Func<string, LockCodeWorker> create) : IDisposable
{
    private readonly Dictionary<string, LockCodeWorker> _workers = new(StringComparer.Ordinal);

    /// <summary>The worker of lock <paramref name="deviceId"/>.</summary>
    public LockCodeWorker For(string deviceId)
    {
        lock (_workers)
        {
            if (!_workers.TryGetValue(deviceId, out var worker))
            {
                worker = create(deviceId);
                _workers[deviceId] = worker;
            }
            return worker;
        }
    }

    /// <summary>The worker of lock <paramref name="deviceId"/> if one exists (never creates one).</summary>
    public LockCodeWorker? Existing(string deviceId)
    {
        lock (_workers)
        {
            return _workers.GetValueOrDefault(deviceId);
        }
    }

    /// <summary>Creates the worker set of the access-code manager.</summary>
    public static LockCodeWorkers Create(LockRegistry registry, CodeOperationStore store, CodeSettlement settlement, AccessCodePublisher publisher,
        BackgroundWork work, AccessCodeRuleOptions rules, TimeSpan keepSettled, TimeProvider time, ILogger logger) =>
        new(deviceId => new LockCodeWorker(deviceId, registry, store, settlement, publisher, work, rules, keepSettled, time, logger));

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_workers)
        {
            foreach (var worker in _workers.Values)
            {
                worker.Dispose();
            }
            _workers.Clear();
        }
    }
}
