using Schlage2Mqtt.Cloud;

namespace Schlage2Mqtt.Schlage.Resilience;

/// <summary>Thread-safe counters behind <see cref="CallStatistics"/>.</summary>
internal sealed class CallStatisticsRecorder(TimeProvider time)
{
    private readonly object _gate = new();
    private long _calls;
    private long _errors;
    private long _throttled;
    private long _answered;
    private TimeSpan _totalLatency;
    private TimeSpan _maxLatency;
    private TimeSpan? _lastLatency;
    private DateTimeOffset? _lastCallAt;
    private DateTimeOffset? _lastErrorAt;

    public void Answered(TimeSpan latency, int status)
    {
        lock (_gate)
        {
            _calls++;
            _answered++;
            _totalLatency += latency;
            _lastLatency = latency;
            if (latency > _maxLatency)
            {
                _maxLatency = latency;
            }
            _lastCallAt = time.GetUtcNow();
            if (status >= 400)
            {
                _errors++;
                _lastErrorAt = _lastCallAt;
            }
            if (status == 429)
            {
                _throttled++;
            }
        }
    }

    public void NoAnswer()
    {
        lock (_gate)
        {
            _calls++;
            _errors++;
            _lastCallAt = time.GetUtcNow();
            _lastErrorAt = _lastCallAt;
        }
    }

    public void RefusedByBudget()
    {
        lock (_gate)
        {
            _throttled++;
        }
    }

    public CallStatistics Snapshot(bool circuitOpen)
    {
        lock (_gate)
        {
            var average = _answered == 0 ? TimeSpan.Zero : _totalLatency / _answered;
            return new CallStatistics(_calls, _errors, _throttled, average, _maxLatency, _lastLatency, _lastCallAt, _lastErrorAt, circuitOpen);
        }
    }
}
