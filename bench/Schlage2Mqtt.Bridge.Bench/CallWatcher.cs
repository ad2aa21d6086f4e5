using Schlage2Mqtt.Simulator.Calls;

namespace Schlage2Mqtt.Bridge.Bench;

/// <summary>
/// Hands out the simulator's record of the next call of an operation on a device. The record's timestamp is when
/// the request reached the simulator (before the handler ran), on the simulator's clock.
/// </summary>
internal sealed class CallWatcher : IDisposable
{
    private readonly CallLog _log;
    private readonly object _gate = new();
    private readonly Dictionary<(string Operation, string DeviceId), TaskCompletionSource<CallRecord>> _expected = [];
    private readonly Dictionary<string, int> _listsBySubject = new(StringComparer.Ordinal);

    public CallWatcher(CallLog log)
    {
        _log = log;
        _log.Recorded += OnRecorded;
    }

    /// <summary>Completes with the next call of <paramref name="operation"/> on <paramref name="deviceId"/>. Register before acting.</summary>
    public Task<CallRecord> Expect(string operation, string deviceId)
    {
        var waiter = new TaskCompletionSource<CallRecord>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _expected[(operation, deviceId)] = waiter;
        }
        return waiter.Task;
    }

    /// <summary>How many lock lists (polls) an account has made so far.</summary>
    public int Lists(string email)
    {
        lock (_gate)
        {
            return _listsBySubject.GetValueOrDefault(email);
        }
    }

    public void Dispose() => _log.Recorded -= OnRecorded;

    private void OnRecorded(object? sender, CallRecord record)
    {
        if (record.Operation == nameof(Simulator.Faults.ApiEndpoint.ListDevices) && record.Subject is { } subject)
        {
            lock (_gate)
            {
                _listsBySubject[subject] = _listsBySubject.GetValueOrDefault(subject) + 1;
            }
        }
        if (record.DeviceId is null)
        {
            return;
        }
        TaskCompletionSource<CallRecord>? waiter;
        lock (_gate)
        {
            _expected.Remove((record.Operation, record.DeviceId), out waiter);
        }
        waiter?.TrySetResult(record);
    }
}
