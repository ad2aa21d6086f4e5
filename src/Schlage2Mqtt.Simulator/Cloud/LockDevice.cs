using System.Globalization;
using Schlage2Mqtt.Simulator.Api;
using Schlage2Mqtt.Simulator.Internal;

namespace Schlage2Mqtt.Simulator.Cloud;

/// <summary>
/// One simulated lock: its cloud document, its bolt state machine, its access codes (as the cloud
/// lists them and as the lock really holds them) and its activity log. Every member is thread-safe;
/// change notifications are raised after the device's lock is released.
/// </summary>
internal sealed partial class LockDevice
{
    private readonly Lock _gate = new();
    private readonly CloudContext _ctx;
    private readonly List<LogEntry> _log = [];
    private readonly List<AccessCodeRecord> _cloudCodes = [];
    private readonly Dictionary<string, AccessCodeRecord> _deviceCodes = new(StringComparer.Ordinal);

    private string _name;
    private int _lockState;
    private LockStateMetadata _metadata = LockStateMetadata.Initial;
    private int _batteryLevel;
    private int _batteryLowState;
    private int _beeperEnabled;
    private int _lockAndLeaveEnabled;
    private int _autoLockTime;
    private int _accessCodeLength;
    private int _doorState = 2;
    private bool _connected;
    private int _offlineStatus = 409;
    private bool _jammed;
    private bool _motorJam;
    private int _keypadFailures;
    private DateTimeOffset _keypadDisabledUntil = DateTimeOffset.MinValue;
    private long _autoLockGeneration;
    private DateTimeOffset _connectivityUpdated;
    private DateTimeOffset _lastUpdated;
    private bool _removed;

    public LockDevice(CloudContext ctx, AccountState owner, LockDefinition definition, string deviceId)
    {
        _ctx = ctx;
        Owner = owner;
        Model = LockModelInfo.For(definition.Model);
        DeviceId = deviceId;
        _name = definition.Name;
        var ids = ctx.Ids;
        SerialNumber = ids.NextHex(6).ToUpperInvariant();
        MacAddress = string.Join(':', Enumerable.Range(0, 6).Select(i => ids.NextHex(1).ToUpperInvariant()));
        _cat = ids.NextHex(24);
        Sat = ids.NextHex(24);
        BridgeId = Model.IsWifi ? null : ids.NextUuid();
        MaxUserCodes = definition.MaxUserCodes;
        VariableLengthCodes = definition.VariableLengthCodes;
        Created = _connectivityUpdated = _lastUpdated = ctx.Now;
        if (!Model.AutoLockTimes.Contains(definition.AutoLockTime))
        {
            throw new ArgumentException($"Lock '{definition.Name}': autoLockTime {definition.AutoLockTime} is not allowed for {Model.DevicetypeId} (allowed: {string.Join(", ", Model.AutoLockTimes)}).", nameof(definition));
        }
        if (definition.AccessCodeLength is < AccessCodeRules.MinLength or > AccessCodeRules.MaxLength)
        {
            throw new ArgumentException($"Lock '{definition.Name}': AccessCodeLength must be 4-8.", nameof(definition));
        }
        _lockState = definition.LockState;
        _batteryLevel = Math.Clamp(definition.BatteryLevel, 0, 100);
        _batteryLowState = BatteryStateFor(_batteryLevel);
        _beeperEnabled = definition.BeeperEnabled;
        _lockAndLeaveEnabled = definition.LockAndLeaveEnabled;
        _autoLockTime = definition.AutoLockTime;
        _accessCodeLength = definition.AccessCodeLength;
        _connected = definition.Connected;
        foreach (var code in definition.AccessCodes)
        {
            var record = SeedCode(code, ids.NextUuid());
            if (_cloudCodes.Count == 0 && !VariableLengthCodes)
            {
                _accessCodeLength = record.CodeLength;
            }
            _cloudCodes.Add(record);
            _deviceCodes[record.AccesscodeId] = record;
        }
    }

    public string DeviceId { get; }

    public AccountState Owner { get; }

    public LockModelInfo Model { get; }

    public string SerialNumber { get; }

    public string MacAddress { get; }

    /// <summary>The current CAT; a Sense's changes with every document it produces (reference section 5).</summary>
    public string Cat
    {
        get { lock (_gate) { return _cat; } }
    }

    private string _cat;

    public string Sat { get; }

    public string? BridgeId { get; }

    public int MaxUserCodes { get; }

    public bool VariableLengthCodes { get; }

    public DateTimeOffset Created { get; }

    public string Name
    {
        get { lock (_gate) { return _name; } }
    }

    public bool Connected
    {
        get { lock (_gate) { return _connected; } }
    }

    public int LockState
    {
        get { lock (_gate) { return _lockState; } }
    }

    /// <summary>Marks the device gone: pending actions on it become no-ops.</summary>
    public void MarkRemoved()
    {
        lock (_gate) { _removed = true; }
    }

    public DeviceDocument ToDocument()
    {
        lock (_gate)
        {
            var owner = new UserDocument([], Iso8601.Format(Owner.Created), Owner.Email, Owner.FriendlyName, Owner.IdentityId, "owner", Iso8601.Format(Owner.Created));
            var related = BridgeId is null ? (IReadOnlyList<RelatedDevice>)[] : [new RelatedDevice(BridgeId)];
            var physicalId = Model.IsWifi ? SerialNumber : MacAddress.ToLowerInvariant();
            return new DeviceDocument(DeviceId, Model.DevicetypeId, _name, Model.ModelName, SerialNumber, MacAddress, physicalId,
                _connected, Iso8601.Format(_connectivityUpdated), Iso8601.Format(Created), Iso8601.Format(_lastUpdated),
                "owner", Cat, Sat, -20, [owner], related, _connected ? FullAttributes() : SparseAttributes());
        }
    }

    // An offline lock's document keeps only identity attributes (reference section 3; pyschlage's fixture).
    private DeviceAttributes SparseAttributes() => new()
    {
        Cat = Cat,
        Sat = Sat,
        MacAddress = MacAddress,
        ModelName = Model.ModelName,
        SerialNumber = SerialNumber,
    };

    private DeviceAttributes FullAttributes() => new()
    {
        Cat = Cat,
        Sat = Sat,
        AccessCodeLength = _accessCodeLength,
        AlarmSelection = 0,
        AlarmSensitivity = 0,
        AlarmState = 0,
        AutoLockTime = _autoLockTime,
        BatteryLevel = _batteryLevel,
        BatteryLowState = _batteryLowState,
        BeeperEnabled = _beeperEnabled,
        DoorState = Model.HasDoorSensor ? _doorState : null,
        LastTalkedTime = Model.IsWifi ? null : _lastUpdated.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        LockAndLeaveEnabled = _lockAndLeaveEnabled,
        LockState = _lockState,
        LockStateMetadata = new LockStateMetadataDocument(_metadata.ActionType, _metadata.Uuid, _metadata.Name, _metadata.ClientId),
        MacAddress = MacAddress,
        MainFirmwareVersion = Model.IsWifi ? "10.00.00264232" : "004.031.000",
        MaxUserCodes = MaxUserCodes,
        ModelName = Model.ModelName,
        SerialNumber = SerialNumber,
        SupportedFeatures = new SupportedFeatures(0, 0, VariableLengthCodes ? 1 : 0, Model.IsWifi ? 1 : 0),
        Timezone = -20,
        WifiFirmwareVersion = Model.IsWifi ? "03.15.00.01" : null,
        WifiRssi = Model.IsWifi ? -42 : null,
    };

    public IReadOnlyList<LogDocument> Logs(int? limit, bool descending)
    {
        lock (_gate)
        {
            var cutoff = _ctx.Now - _ctx.Options.LogRetention;
            _log.RemoveAll(e => e.At < cutoff);
            IEnumerable<LogEntry> entries = descending ? Enumerable.Reverse(_log) : _log;
            if (limit is { } n)
            {
                entries = entries.Take(n);
            }
            return [.. entries.Select(ToLogDocument)];
        }
    }

    private LogDocument ToLogDocument(LogEntry e)
    {
        var at = Iso8601.Format(e.At);
        return new LogDocument(e.LogId, DeviceId, "DEVICE_LOG", at, at, at, Iso8601.Format(e.At + _ctx.Options.LogRetention),
            // action is a number (-1 unknown, 0 read, 1 action, 4 cleared), as the Schlage Home app reads it; the reference gives no type.
            new LogMessageDocument(e.EventCode, 1, e.AccessorUuid, e.KeypadUuid, null, e.At.ToUnixTimeSeconds()));
    }

    // Callers hold _gate.
    private void AddLog(int eventCode, string? accessor = null, string? keypad = null)
    {
        _log.Add(new LogEntry(_ctx.Ids.NextUuid(), _ctx.Now, eventCode, accessor ?? LogEvent.NoUuid, keypad ?? LogEvent.NoUuid));
        Touch();
    }

    // Callers hold _gate.
    private void Touch()
    {
        _lastUpdated = _ctx.Now;
        if (!Model.IsWifi)
        {
            _cat = _ctx.Ids.NextHex(24);
        }
    }

    private void Changed() => _ctx.DeviceChanged(DeviceId);

    /// <summary>Throws the offline refusal (409/503) when the lock is not connected.</summary>
    public void EnsureReachable()
    {
        lock (_gate) { EnsureOnline(); }
    }

    private void EnsureOnline()
    {
        if (!_connected)
        {
            throw new CloudException(_offlineStatus, "Device is offline");
        }
    }

    private static int BatteryStateFor(int level) => level switch
    {
        <= 5 => 2,
        <= 20 => 1,
        _ => 0,
    };

    private AccessCodeRecord SeedCode(AccessCodeDefinition code, string id)
    {
        if (!long.TryParse(code.Code, NumberStyles.None, CultureInfo.InvariantCulture, out var pin))
        {
            throw new ArgumentException($"Access code '{code.Name}': Code must be digits.", nameof(code));
        }
        var draft = new AccessCodeDraft(id, code.Name, pin, code.Code.Length, code.ActivationSecs, code.ExpirationSecs, code.Disabled, false,
            new WeeklySchedule(code.DaysOfWeek, code.StartHour, code.StartMinute, code.EndHour, code.EndMinute), null);
        try
        {
            var record = AccessCodeRules.Build(id, draft, _accessCodeLength, VariableLengthCodes, _cloudCodes.Count == 0);
            AccessCodeRules.CheckUnique(record, _cloudCodes);
            return record;
        }
        catch (CloudException ex)
        {
            throw new ArgumentException($"Lock '{_name}', access code '{code.Name}': {ex.Message}.", nameof(code), ex);
        }
    }
}
