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

    /// <summary>The cloud's periodic deep query: a new document with actionType periodicDeepQuery, the bolt unmoved.</summary>
    public void DeepQuery(string deviceId) => Device(deviceId).DeepQuery();

    /// <summary>Apple Home Key at the lock (event 52 unlocked / 53 locked, actionType AppleHomeNFC).</summary>
    public void UseAppleHomeKey(string deviceId, bool locked) =>
        Device(deviceId).LocalAction(locked ? LogEvent.LockedByAppleHomeKey : LogEvent.UnlockedByAppleHomeKey);

    /// <summary>A key fob (event 74 locked / 75 unlocked).</summary>
    public void UseKeyFob(string deviceId, bool locked) =>
        Device(deviceId).LocalAction(locked ? LogEvent.LockedByKeyFob : LogEvent.UnlockedByKeyFob);

    /// <summary>The inside push button (event 69 locked / 68 unlocked).</summary>
    public void PressInsideButton(string deviceId, bool locked) =>
        Device(deviceId).LocalAction(locked ? LogEvent.LockedByInsideButton : LogEvent.UnlockedByInsideButton);

    /// <summary>A mechanical key unlocks (event 76).</summary>
    public void UnlockWithKey(string deviceId) => Device(deviceId).LocalAction(LogEvent.UnlockedByMechanicalKey);

    /// <summary>Deadlocked from the keypad (event 64, lockState 6).</summary>
    public void DeadlockByKeypad(string deviceId) => Device(deviceId).LocalAction(LogEvent.DeadlockedByKeypad);

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

    /// <summary>The codes the cloud lists for a lock, with their PINs (zero-padded to the code length), for checks by tests and the chaos suite.</summary>
    public IReadOnlyList<SimulatedAccessCode> AccessCodes(string deviceId) =>
        [.. Device(deviceId).AccessCodes().Select(c => new SimulatedAccessCode(c.AccesscodeId, c.FriendlyName,
            c.AccessCode.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(c.AccessCodeLength, '0')))];

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
    /// Turns the push channel of an account off (<c>users/wss</c> answers 404, like an account without push) or back on.
    /// Push is on for every account when <see cref="SimulatorOptions.PushBrokerUrl"/> is set, and off for all when not.
    /// </summary>
    public void SetPushEnabled(string email, bool enabled) => _runtime.Push.SetEnabled(Account(email).Email, enabled);

    /// <summary>
    /// The phone app takes the push connection: a client with the account's client id connects to the broker, which
    /// drops the bridge. <paramref name="persistent"/> false: it connects once and stays until the bridge takes the id
    /// back. True: it reconnects <see cref="SimulatorOptions.PhoneAppReconnectDelay"/> after every kick, so the bridge is
    /// kicked shortly after every connect until <see cref="StopEviction"/>. Recorded in the call log
    /// (<see cref="PushOperations.PhoneAppConnect"/>, one record per phone-app connection).
    /// </summary>
    /// <exception cref="InvalidOperationException">No push broker is configured.</exception>
    public void EvictPush(string email, bool persistent = false) =>
        _runtime.Push.StartPhoneApp(Account(email), persistent ? Push.PhoneAppMode.Persistent : Push.PhoneAppMode.Once);

    /// <summary>Ends the phone app's eviction of one account (or of all when null); true if one was going on.</summary>
    public bool StopEviction(string? email = null) => _runtime.Push.StopPhoneApp(email is null ? null : Account(email).Email);

    /// <summary>Drops the account's push connection once: the phone app connects with its client id and leaves at once.</summary>
    /// <exception cref="InvalidOperationException">No push broker is configured.</exception>
    public void DropPush(string email) => _runtime.Push.StartPhoneApp(Account(email), Push.PhoneAppMode.Drop);

    /// <summary>
    /// Makes <c>users/wss</c> answer <paramref name="statusCode"/> (the cloud's spurious 400 by default) for the next
    /// <paramref name="count"/> calls (null: until removed), each with <paramref name="probability"/> (null: always);
    /// a <see cref="FaultRule"/> on <see cref="ApiEndpoint.GetPushDetails"/>. Returns the fault id.
    /// </summary>
    public string FailPushDetails(int? count = 1, double? probability = null, int statusCode = 400) =>
        _runtime.Faults.Add(FaultRule.Error(statusCode, ApiEndpoint.GetPushDetails) with { Count = count, Probability = probability });

    /// <summary>The MQTT client id <c>users/wss</c> gives an account (the phone app uses the same one).</summary>
    public string PushClientId(string email) => Push.PushService.ClientId(Account(email));

    /// <summary>The push channel's counters: messages published and dropped, phone-app connections, per-account state.</summary>
    public PushCounters PushCounters() => _runtime.Push.Counters();

    /// <summary>
    /// Back to the initial world (same ids, pending actions cancelled), no faults, an empty call log, push on for every
    /// account with no phone app playing and zero push counters.
    /// Issued tokens stay valid, so a connected client carries on.
    /// </summary>
    public void Reset()
    {
        _runtime.Faults.Clear();
        _runtime.Push.Reset();
        foreach (var account in _runtime.Accounts)
        {
            _runtime.Pool.SetUserError(account.Email, null, null);
        }
        _runtime.World.Reset();
        _runtime.Subscribers.Reset();
        _runtime.Calls.Clear();
    }

    private AccountState Account(string email) =>
        _runtime.World.AccountByEmail(email) ?? throw new KeyNotFoundException($"No account '{email}'.");

    private string? Sub(string? email) =>
        email is null ? null : _runtime.World.AccountByEmail(email)?.Definition.UserIdForSrp ?? throw new KeyNotFoundException($"No account '{email}'.");

    private LockDevice Device(string deviceId) =>
        _runtime.World.Device(deviceId) ?? throw new KeyNotFoundException($"No simulated lock with device id '{deviceId}'.");

    private static SimulatedLockInfo Info(LockDevice d) =>
        new(d.DeviceId, d.Name, d.Model.Model, d.Model.DevicetypeId, d.Owner.Email, d.Connected, d.LockState,
            [.. d.AccessCodes().Select(c => c.AccesscodeId)], d.CodesOnDevice());
}
