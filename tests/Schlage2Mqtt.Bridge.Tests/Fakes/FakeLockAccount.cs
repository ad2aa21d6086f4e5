using System.Collections.Concurrent;
using Schlage2Mqtt.Cloud;

namespace Schlage2Mqtt.Bridge.Tests.Fakes;

/// <summary>
/// An in-memory account: a set of locks whose state a test controls, a scripted answer for lock/unlock, and a count
/// of every call. A lock command applies after <see cref="ReadsUntilApplied"/> reads, like the slow real cloud.
/// </summary>
internal sealed class FakeLockAccount(string key = "home") : ILockAccount, ILockCloudProvider
{
    private readonly ConcurrentDictionary<string, CloudLock> _locks = new();
    private readonly ConcurrentDictionary<string, int> _calls = new();
    private readonly ConcurrentDictionary<string, (bool Locked, int ReadsLeft)> _pending = new();

    public string Key { get; } = key;

    public string Name => "fake";

    public IReadOnlyList<ILockAccount> Accounts => [this];

    public AccountAuthState AuthState { get; set; } = new(AuthStatus.Ok, null, null);

    public CallStatistics Statistics => new(_calls.Values.Sum(), 0, 0, TimeSpan.Zero, TimeSpan.Zero, null, null, null, false);

    public IPushChannel? Push { get; set; }

    public event Action<string>? Warned;

    public void Warn(string message) => Warned?.Invoke(message);

    /// <summary>What lock/unlock answers (success by default).</summary>
    public Func<string, bool, CloudResult> LockAnswer { get; set; } = (_, _) => CloudResult.Ok();

    /// <summary>Reads after which a sent command shows in the lock's state (1: the first confirmation read sees it).</summary>
    public int ReadsUntilApplied { get; set; } = 1;

    /// <summary>Whether a command is ever applied (false: the lock never acts).</summary>
    public bool AppliesCommands { get; set; } = true;

    public CloudFailure? ListFailure { get; set; }

    public int Calls(string method) => _calls.GetValueOrDefault(method);

    /// <summary>What every fake lock can do unless a test says otherwise: the full Schlage set, Encode Plus auto-lock values.</summary>
    public static LockCapabilities FullCapabilities { get; } = LockCapabilities.Assumed with { AutoLock = new AutoLockCapability([0, 15, 30, 60, 120, 240, 300]) };

    public static CloudLock Lock(string id, string name, LockState state = LockState.Locked) => new()
    {
        DeviceId = id,
        Name = name,
        ModelName = "Encode Plus",
        DeviceType = "be499wifi",
        Family = LockFamily.WiFi,
        Connected = true,
        State = state,
        BatteryLevel = 90,
        BatteryLow = false,
        Beeper = true,
        LockAndLeave = false,
        AutoLockSeconds = 0,
        // Today's full set: every Schlage lock has beeper, 1-Touch and auto-lock (Encode Plus values).
        Capabilities = FullCapabilities,
        Firmware = "1.0",
        WifiRssi = -50,
    };

    public void Put(CloudLock cloudLock) => _locks[cloudLock.DeviceId] = cloudLock;

    public void Remove(string deviceId) => _locks.TryRemove(deviceId, out _);

    public CloudLock Get(string deviceId) => _locks[deviceId];

    public Task<CloudResult<IReadOnlyList<CloudLock>>> ListLocksAsync(CancellationToken cancellationToken)
    {
        Count("list");
        if (ListFailure is { } failure)
        {
            return Task.FromResult(CloudResult.Fail<IReadOnlyList<CloudLock>>(failure));
        }
        foreach (var id in _locks.Keys)
        {
            Advance(id);
        }
        return Task.FromResult(CloudResult.Ok<IReadOnlyList<CloudLock>>([.. _locks.Values.OrderBy(l => l.DeviceId)]));
    }

    /// <summary>When set, every get and lock/unlock first awaits it (a slow cloud).</summary>
    public Func<CancellationToken, Task>? Latency { get; set; }

    public async Task<CloudResult<CloudLock>> GetLockAsync(string deviceId, CancellationToken cancellationToken)
    {
        Count("get");
        if (Latency is { } latency)
        {
            await latency(cancellationToken);
        }
        Advance(deviceId);
        return _locks.TryGetValue(deviceId, out var found)
            ? CloudResult.Ok(found)
            : CloudResult.Fail<CloudLock>(new CloudFailure(CloudFailureKind.NotFound, "no such lock", 404));
    }

    public async Task<CloudResult> SetLockedAsync(string deviceId, bool locked, CancellationToken cancellationToken)
    {
        Count("set_locked");
        if (Latency is { } latency)
        {
            await latency(cancellationToken);
        }
        var answer = LockAnswer(deviceId, locked);
        if ((answer.IsSuccess || answer.IsOutcomeUnknown) && AppliesCommands)
        {
            _pending[deviceId] = (locked, ReadsUntilApplied);
        }
        return answer;
    }

    public Task<CloudResult> SetBeeperAsync(string deviceId, bool enabled, CancellationToken cancellationToken) =>
        Set("beeper", deviceId, l => l with { Beeper = enabled });

    public Task<CloudResult> SetLockAndLeaveAsync(string deviceId, bool enabled, CancellationToken cancellationToken) =>
        Set("lock_and_leave", deviceId, l => l with { LockAndLeave = enabled });

    public Task<CloudResult> SetAutoLockTimeAsync(string deviceId, int seconds, CancellationToken cancellationToken) =>
        Set("auto_lock", deviceId, l => l with { AutoLockSeconds = seconds });

    public ConcurrentDictionary<string, List<CloudLogEntry>> Logs { get; } = new();

    public void Log(string deviceId, CloudLogEntry entry) => Logs.GetOrAdd(deviceId, _ => []).Add(entry);

    public Task<CloudResult<IReadOnlyList<CloudLogEntry>>> GetLogsAsync(string deviceId, int limit, CancellationToken cancellationToken)
    {
        Count("logs");
        var entries = Logs.GetOrAdd(deviceId, _ => []);
        lock (entries)
        {
            return Task.FromResult(CloudResult.Ok<IReadOnlyList<CloudLogEntry>>([.. entries.OrderByDescending(e => e.Time).Take(limit)]));
        }
    }

    /// <summary>What an add answers; by default the code is stored and its id returned.</summary>
    public Func<NewAccessCode, CloudResult<string?>>? AddAnswer { get; set; }

    public ConcurrentDictionary<string, List<CloudAccessCode>> Codes { get; } = new();

    public void PutCode(string deviceId, string id, NewAccessCode code) =>
        Codes.GetOrAdd(deviceId, _ => []).Add(new CloudAccessCode
        {
            Id = id,
            Name = code.Name,
            Code = code.Code,
            ActivationSecs = code.ActivationSecs,
            ExpirationSecs = code.ExpirationSecs,
            Schedule1 = code.Schedule1,
            Schedule2 = code.Schedule2,
        });

    public Task<CloudResult<IReadOnlyList<CloudAccessCode>>> ListAccessCodesAsync(string deviceId, CancellationToken cancellationToken)
    {
        Count("list_codes");
        return Task.FromResult(CloudResult.Ok<IReadOnlyList<CloudAccessCode>>([.. Codes.GetOrAdd(deviceId, _ => [])]));
    }

    public Task<CloudResult<string?>> AddAccessCodeAsync(string deviceId, NewAccessCode code, CancellationToken cancellationToken)
    {
        Count("add_code");
        if (AddAnswer is { } answer)
        {
            return Task.FromResult(answer(code));
        }
        var id = "code-" + Calls("add_code");
        PutCode(deviceId, id, code);
        return Task.FromResult(CloudResult.Ok<string?>(id));
    }

    public Task<CloudResult> UpdateAccessCodeAsync(string deviceId, string accessCodeId, NewAccessCode code, CancellationToken cancellationToken)
    {
        Count("update_code");
        Codes[deviceId].RemoveAll(c => c.Id == accessCodeId);
        PutCode(deviceId, accessCodeId, code);
        return Task.FromResult(CloudResult.Ok());
    }

    public Task<CloudResult> DeleteAccessCodeAsync(string deviceId, string accessCodeId, CancellationToken cancellationToken)
    {
        Count("delete_code");
        Codes[deviceId].RemoveAll(c => c.Id == accessCodeId);
        return Task.FromResult(CloudResult.Ok());
    }

    public Task<CloudResult<IReadOnlyList<CloudNotification>>> GetNotificationsAsync(string deviceId, CancellationToken cancellationToken) =>
        Task.FromResult(CloudResult.Ok<IReadOnlyList<CloudNotification>>([]));

    public Task<CloudResult> SetAccessCodeNotificationAsync(string deviceId, string accessCodeId, string accessCodeName, bool enabled, CancellationToken cancellationToken) =>
        Task.FromResult(CloudResult.Ok());

    /// <summary>What <see cref="GetDiagnosticsAsync"/> answers per device; a document with the device id only when not set.</summary>
    public Dictionary<string, System.Text.Json.Nodes.JsonObject> Diagnostics { get; } = new(StringComparer.Ordinal);

    public Task<CloudResult<System.Text.Json.Nodes.JsonObject>> GetDiagnosticsAsync(string deviceId, CancellationToken cancellationToken) =>
        Task.FromResult(CloudResult.Ok(Diagnostics.TryGetValue(deviceId, out var document)
            ? (System.Text.Json.Nodes.JsonObject)document.DeepClone()
            : new System.Text.Json.Nodes.JsonObject { ["deviceId"] = "**REDACTED**" }));

    private Task<CloudResult> Set(string method, string deviceId, Func<CloudLock, CloudLock> change)
    {
        Count(method);
        _locks[deviceId] = change(_locks[deviceId]);
        return Task.FromResult(CloudResult.Ok());
    }

    private void Advance(string deviceId)
    {
        if (_pending.TryGetValue(deviceId, out var pending) && _locks.ContainsKey(deviceId))
        {
            if (pending.ReadsLeft <= 1)
            {
                _pending.TryRemove(deviceId, out _);
                _locks[deviceId] = _locks[deviceId] with
                {
                    State = pending.Locked ? LockState.Locked : LockState.Unlocked,
                    ChangedBy = new ChangedBy(ChangeMethod.Mobile, "Bridge"),
                };
            }
            else
            {
                _pending[deviceId] = pending with { ReadsLeft = pending.ReadsLeft - 1 };
            }
        }
    }

    private void Count(string method) => _calls.AddOrUpdate(method, 1, (_, n) => n + 1);
}
