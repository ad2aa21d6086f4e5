namespace Schlage2Mqtt.Simulator.Calls;

/// <summary>
/// Every REST and Cognito call the simulator answered, with counters tests read to prove call
/// budgets ("zero SRP logins on second start", "no UNLOCK reached the cloud", "at most N calls a minute").
/// Keeps the most recent records up to a capacity; counters keep counting past it. Thread-safe.
/// </summary>
public sealed class CallLog
{
    private readonly Lock _gate = new();
    private readonly LinkedList<CallRecord> _records = new();
    private readonly Dictionary<string, long> _perOperation = new(StringComparer.Ordinal);
    private readonly int _capacity;
    private long _sequence;
    private long _srpAttempts;
    private long _srpLogins;
    private long _refreshAttempts;
    private long _refreshes;
    private long _apiCalls;

    internal CallLog(int capacity)
    {
        _capacity = Math.Max(1, capacity);
    }

    /// <summary>Raised after each call is recorded (on the request thread).</summary>
    public event EventHandler<CallRecord>? Recorded;

    /// <summary>The records kept, oldest first.</summary>
    public IReadOnlyList<CallRecord> Records()
    {
        lock (_gate) { return [.. _records]; }
    }

    /// <summary>Records with a sequence after <paramref name="afterSequence"/>.</summary>
    public IReadOnlyList<CallRecord> RecordsAfter(long afterSequence)
    {
        lock (_gate) { return [.. _records.Where(r => r.Sequence > afterSequence)]; }
    }

    /// <summary>Sequence number of the latest call (0 before any).</summary>
    public long LastSequence
    {
        get { lock (_gate) { return _sequence; } }
    }

    /// <summary>Calls to an operation (endpoint name or <see cref="CognitoOperations"/> constant).</summary>
    public long Count(string operation)
    {
        lock (_gate) { return _perOperation.GetValueOrDefault(operation); }
    }

    /// <summary>Calls to a REST endpoint.</summary>
    public long Count(Faults.ApiEndpoint endpoint) => Count(endpoint.ToString());

    /// <summary>Completed SRP logins.</summary>
    public long SrpLogins
    {
        get { lock (_gate) { return _srpLogins; } }
    }

    /// <summary>Successful refreshes.</summary>
    public long Refreshes
    {
        get { lock (_gate) { return _refreshes; } }
    }

    /// <summary>A snapshot of all counters.</summary>
    public CallCounters Counters()
    {
        lock (_gate)
        {
            return new CallCounters(_srpAttempts, _srpLogins, _refreshAttempts, _refreshes, _apiCalls,
                new Dictionary<string, long>(_perOperation, StringComparer.Ordinal));
        }
    }

    /// <summary>REST calls per UTC minute among the kept records (key: the minute's start).</summary>
    public IReadOnlyDictionary<DateTimeOffset, int> ApiCallsPerMinute()
    {
        lock (_gate)
        {
            return _records.Where(r => r.Surface == CallSurface.Api)
                .GroupBy(r => new DateTimeOffset(r.Timestamp.UtcTicks - (r.Timestamp.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero))
                .ToDictionary(g => g.Key, g => g.Count());
        }
    }

    /// <summary>The most REST calls that fell in any window of <paramref name="window"/> (sliding, among kept records).</summary>
    public int MaxApiCallsInWindow(TimeSpan window)
    {
        List<DateTimeOffset> times;
        lock (_gate)
        {
            times = [.. _records.Where(r => r.Surface == CallSurface.Api).Select(r => r.Timestamp)];
        }
        times.Sort();
        var best = 0;
        var start = 0;
        for (var end = 0; end < times.Count; end++)
        {
            while (times[end] - times[start] >= window)
            {
                start++;
            }
            best = Math.Max(best, end - start + 1);
        }
        return best;
    }

    /// <summary>Forgets every record and zeroes the counters.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _records.Clear();
            _perOperation.Clear();
            _srpAttempts = _srpLogins = _refreshAttempts = _refreshes = _apiCalls = 0;
        }
    }

    internal void Add(DateTimeOffset at, CallSurface surface, string operation, string method, string path,
        string? deviceId, string? subject, int statusCode, string? fault, string? detail)
    {
        CallRecord record;
        lock (_gate)
        {
            record = new CallRecord(++_sequence, at, surface, operation, method, path, deviceId, subject, statusCode, fault, detail);
            _records.AddLast(record);
            if (_records.Count > _capacity)
            {
                _records.RemoveFirst();
            }
            _perOperation[operation] = _perOperation.GetValueOrDefault(operation) + 1;
            var ok = statusCode is >= 200 and < 300;
            switch (operation)
            {
                case CognitoOperations.InitiateSrp:
                    _srpAttempts++;
                    break;
                case CognitoOperations.RespondPasswordVerifier when ok:
                    _srpLogins++;
                    break;
                case CognitoOperations.Refresh:
                    _refreshAttempts++;
                    if (ok)
                    {
                        _refreshes++;
                    }
                    break;
                default:
                    break;
            }
            if (surface == CallSurface.Api)
            {
                _apiCalls++;
            }
        }
        Recorded?.Invoke(this, record);
    }
}
