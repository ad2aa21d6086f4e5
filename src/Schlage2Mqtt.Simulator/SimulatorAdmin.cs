using Schlage2Mqtt.Simulator.Calls;
using Schlage2Mqtt.Simulator.Cloud;
using Schlage2Mqtt.Simulator.Faults;

namespace Schlage2Mqtt.Simulator;

/// <summary>
/// Drives the simulated world from tests and the demo: what people do at the door, what goes
/// wrong with locks, faults of the cloud, Cognito trouble, and the call log. The same operations
/// are served over HTTP under <c>/admin</c>. Unknown device ids throw <see cref="KeyNotFoundException"/>.
/// </summary>
public sealed class SimulatorAdmin
{
    private readonly SimulatorRuntime _runtime;

    internal SimulatorAdmin(SimulatorRuntime runtime)
    {
        _runtime = runtime;
        Subscribers = new SubscriberAdmin(runtime.Subscribers);
    }

    /// <summary>Every call the simulator answered, with counters.</summary>
    public CallLog Calls => _runtime.Calls;

    /// <summary>The seed-004 websocket subscriber API: subscribers, expiry, dropped sockets, on/off.</summary>
    public SubscriberAdmin Subscribers { get; }

    /// <summary>All locks of all accounts, in listing order.</summary>
    public IReadOnlyList<SimulatedLockInfo> Locks() =>
        [.. _runtime.World.AllDevices().Select(Info)];

    /// <summary>One lock.</summary>
    public SimulatedLockInfo Lock(string deviceId) => Info(Device(deviceId));

    /// <summary>Adds a lock to an account (the first account when <paramref name="accountEmail"/> is null); returns its device id.</summary>
    public string AddLock(LockDefinition definition, string? accountEmail = null)
    {
        var accounts = _runtime.World.Accounts();
        var account = accountEmail is null
            ? (accounts.Count > 0 ? accounts[0] : throw new InvalidOperationException("The simulator has no account to add a lock to."))
            : _runtime.World.AccountByEmail(accountEmail) ?? throw new KeyNotFoundException($"No account '{accountEmail}'.");
        return _runtime.World.AddLock(account, definition).DeviceId;
    }

    /// <summary>Removes a lock from its account; false if there was none.</summary>
    public bool RemoveLock(string deviceId) => _runtime.World.RemoveLock(deviceId);

    /// <summary>Someone turns the thumbturn: the bolt moves now (event 3/4, actionType thumbTurn); clears a jam.</summary>
    public void TurnThumbturn(string deviceId, bool locked) => Device(deviceId).TurnThumbturn(locked);

    /// <summary>
    /// Someone types a PIN: a code the lock holds and whose schedule is active unlocks it (event 2,
    /// keypadUuid = the code id, actionType accesscode); wrong codes count toward keypad lockout (event 11).
    /// </summary>
    public KeypadResult EnterKeypadCode(string deviceId, string pin) => Device(deviceId).EnterKeypadCode(pin);

    /// <summary>Someone presses the Schlage button outside (event 5); false when lock-and-leave is off.</summary>
    public bool OneTouchLock(string deviceId) => Device(deviceId).OneTouchLock();

    /// <summary>The auto-lock fires now (event 8) if the lock is unlocked; auto-lock also fires by itself after autoLockTime.</summary>
    public bool AutoLock(string deviceId) => Device(deviceId).AutoLockNow();

    /// <summary>Sets the battery level; crossing 20% logs low battery (21), crossing 5% critical (29).</summary>
    public void SetBatteryLevel(string deviceId, int level) => Device(deviceId).SetBattery(level);

    /// <summary>New batteries: 100% (event 22).</summary>
    public void ReplaceBatteries(string deviceId) => Device(deviceId).ReplaceBatteries();

    /// <summary>The lock drops off Wi-Fi: sparse document, connected=false, writes answer <paramref name="statusCode"/> (409 or 503).</summary>
    public void GoOffline(string deviceId, int statusCode = 409) => Device(deviceId).SetConnected(false, statusCode);

    /// <summary>The lock is back online.</summary>
    public void GoOnline(string deviceId) => Device(deviceId).SetConnected(true);

    /// <summary>The bolt jams (lockState 2, event 10; or motor jam: 4, event 56) and stays jammed until the thumbturn is turned.</summary>
    public void Jam(string deviceId, bool motor = false) => Device(deviceId).Jam(motor);

    /// <summary>Door position for models with a sensor: 0 unknown, 1 open, 2 closed, 3 faulty.</summary>
    public void SetDoorState(string deviceId, int doorState) => Device(deviceId).SetDoorState(doorState);

    /// <summary>Split brain: puts a code on the lock that the cloud does not list; returns its id.</summary>
    public string AddCodeOnDeviceOnly(string deviceId, string name, string pin)
    {
        ArgumentException.ThrowIfNullOrEmpty(pin);
        if (!pin.All(char.IsAsciiDigit))
        {
            throw new ArgumentException("A PIN is digits.", nameof(pin));
        }
        return Device(deviceId).AddPhantomCode(name, pin);
    }

    /// <summary>Split brain: the lock loses a code the cloud still lists.</summary>
    public bool ForgetCodeOnDevice(string deviceId, string accesscodeId) => Device(deviceId).ForgetCodeOnDevice(accesscodeId);

    /// <summary>Installs a REST fault rule; returns its id.</summary>
    public string AddFault(FaultRule rule) => _runtime.Faults.Add(rule);

    /// <summary>Installs an access-code command fault rule; returns its id.</summary>
    public string AddFault(AccessCodeFaultRule rule) => _runtime.Faults.Add(rule);

    /// <summary>Removes a fault rule by id.</summary>
    public bool RemoveFault(string id) => _runtime.Faults.Remove(id);

    /// <summary>Removes every fault rule.</summary>
    public void ClearFaults() => _runtime.Faults.Clear();

    /// <summary>The installed fault rules with the calls they have left.</summary>
    public IReadOnlyList<ActiveFault> Faults() => _runtime.Faults.List();

    /// <summary>Makes Cognito answer <paramref name="error"/> for this user (next <paramref name="count"/> calls, or until cleared with null).</summary>
    public void SetCognitoError(string email, CognitoUserError? error, int? count = null) => _runtime.Pool.SetUserError(email, error, count);

    /// <summary>Every access and id token issued so far (to one account, or all) answers 401 from now on; returns how many.</summary>
    public int ExpireAccessTokens(string? email = null) => _runtime.Pool.Tokens.ExpireAllAccessTokens(Sub(email));

    /// <summary>Every refresh token issued so far (to one account, or all) is refused from now on; returns how many.</summary>
    public int RevokeRefreshTokens(string? email = null) => _runtime.Pool.Tokens.RevokeRefreshTokens(Sub(email));

    /// <summary>
    /// Back to the initial world (same ids, pending actions cancelled), no faults, an empty call log.
    /// Issued tokens stay valid, so a connected client carries on.
    /// </summary>
    public void Reset()
    {
        _runtime.Faults.Clear();
        foreach (var account in _runtime.Accounts)
        {
            _runtime.Pool.SetUserError(account.Email, null, null);
        }
        _runtime.World.Reset();
        _runtime.Subscribers.Reset();
        _runtime.Calls.Clear();
    }

    private string? Sub(string? email) =>
        email is null ? null : _runtime.World.AccountByEmail(email)?.Definition.UserIdForSrp ?? throw new KeyNotFoundException($"No account '{email}'.");

    private LockDevice Device(string deviceId) =>
        _runtime.World.Device(deviceId) ?? throw new KeyNotFoundException($"No simulated lock with device id '{deviceId}'.");

    private static SimulatedLockInfo Info(LockDevice d) =>
        new(d.DeviceId, d.Name, d.Model.Model, d.Model.DevicetypeId, d.Owner.Email, d.Connected, d.LockState,
            [.. d.AccessCodes().Select(c => c.AccesscodeId)], d.CodesOnDevice());
}
