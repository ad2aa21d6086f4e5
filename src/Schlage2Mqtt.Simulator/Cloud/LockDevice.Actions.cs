namespace Schlage2Mqtt.Simulator.Cloud;

internal sealed partial class LockDevice
{
    /// <summary>
    /// A remote lock/unlock (PUT lockState or changelockstate). The cloud answers at once; the
    /// bolt moves after <see cref="SimulatorOptions.CommandLatency"/>, then <paramref name="done"/> learns if it did.
    /// </summary>
    public void RequestLockState(int state, AccountState by, Action<bool>? done = null)
    {
        lock (_gate)
        {
            EnsureOnline();
        }
        _ctx.Scheduler.After(_ctx.Options.CommandLatency, () =>
        {
            var acted = ApplyRemote(state, by);
            done?.Invoke(acted);
        });
    }

    /// <summary>Moves the bolt for a remote command now (used when a 504-but-applied write lands).</summary>
    public bool ApplyRemote(int state, AccountState by)
    {
        bool acted;
        lock (_gate)
        {
            // A lock that dropped offline (or was removed) before acting never gets the command.
            acted = !_removed && _connected;
            if (acted)
            {
                _metadata = new LockStateMetadata(LockStateMetadata.VirtualKey, by.IdentityId, by.FriendlyName, null);
                MoveBolt(state, state == 1 ? LogEvent.LockedByMobile : LogEvent.UnlockedByMobile, by.IdentityId, null);
            }
        }
        if (acted)
        {
            Changed();
        }
        return acted;
    }

    public void TurnThumbturn(bool locked)
    {
        lock (_gate)
        {
            // A person at the door clears a jam by turning the bolt by hand.
            _jammed = false;
            _metadata = new LockStateMetadata(LockStateMetadata.ThumbTurn, null, null, null);
            MoveBolt(locked ? 1 : 0, locked ? LogEvent.LockedByThumbturn : LogEvent.UnlockedByThumbturn, null, null);
        }
        Changed();
    }

    /// <summary>
    /// A local action with its own log code (pyschlage's table): Apple Home Key 52/53, key fob 74/75, inside button
    /// 68/69, mechanical key 76, deadlock by keypad 64. The bolt moves now.
    /// </summary>
    public void LocalAction(int eventCode)
    {
        var (state, actionType) = eventCode switch
        {
            LogEvent.UnlockedByAppleHomeKey => (0, LockStateMetadata.AppleHomeNfc),
            LogEvent.LockedByAppleHomeKey => (1, LockStateMetadata.AppleHomeNfc),
            LogEvent.UnlockedByKeyFob or LogEvent.UnlockedByInsideButton or LogEvent.UnlockedByMechanicalKey => (0, LockStateMetadata.Local),
            LogEvent.LockedByKeyFob or LogEvent.LockedByInsideButton => (1, LockStateMetadata.Local),
            LogEvent.DeadlockedByKeypad => (6, LockStateMetadata.Local),
            _ => throw new ArgumentOutOfRangeException(nameof(eventCode), eventCode, "Not a local lock/unlock event code."),
        };
        lock (_gate)
        {
            _jammed = false;
            _metadata = new LockStateMetadata(actionType, null, null, null);
            MoveBolt(state, eventCode, null, null);
        }
        Changed();
    }

    /// <summary>The cloud's periodic status check: a new document whose metadata names no actor (periodicDeepQuery).</summary>
    public void DeepQuery()
    {
        lock (_gate)
        {
            _metadata = LockStateMetadata.Initial;
            Touch();
        }
        Changed();
    }

    public bool OneTouchLock()
    {
        lock (_gate)
        {
            if (_lockAndLeaveEnabled == 0)
            {
                return false;
            }
            _metadata = new LockStateMetadata(LockStateMetadata.OneTouch, null, null, null);
            MoveBolt(1, LogEvent.LockedByOneTouch, null, null);
        }
        Changed();
        return true;
    }

    /// <summary>Runs the auto-lock now if the lock is unlocked; returns whether it locked.</summary>
    public bool AutoLockNow()
    {
        lock (_gate)
        {
            if (_lockState != 0 || _jammed)
            {
                return false;
            }
            _metadata = new LockStateMetadata(LockStateMetadata.AutoLock, null, null, null);
            MoveBolt(1, LogEvent.LockedByTime, null, null);
        }
        Changed();
        return true;
    }

    public KeypadResult EnterKeypadCode(string pin)
    {
        KeypadResult result;
        lock (_gate)
        {
            var now = _ctx.Now;
            if (now < _keypadDisabledUntil)
            {
                return KeypadResult.KeypadDisabled;
            }
            // The keypad only knows what is really on the lock, not what the cloud lists.
            var code = _deviceCodes.Values.FirstOrDefault(c => c.Pin == pin && AccessCodeRules.IsActive(c, now));
            if (code is null)
            {
                _keypadFailures++;
                if (_keypadFailures < _ctx.Options.KeypadLockoutAttempts)
                {
                    return KeypadResult.Rejected;
                }
                _keypadFailures = 0;
                _keypadDisabledUntil = now + _ctx.Options.KeypadLockoutDuration;
                AddLog(LogEvent.KeypadDisabled);
                result = KeypadResult.KeypadDisabled;
            }
            else
            {
                _keypadFailures = 0;
                _metadata = new LockStateMetadata(LockStateMetadata.AccessCode, code.AccesscodeId, code.FriendlyName, null);
                MoveBolt(0, LogEvent.UnlockedByKeypad, null, code.AccesscodeId);
                result = KeypadResult.Unlocked;
            }
        }
        Changed();
        return result;
    }

    public void Jam(bool motor)
    {
        lock (_gate)
        {
            _jammed = true;
            _motorJam = motor;
            _lockState = motor ? 4 : 2;
            AddLog(motor ? LogEvent.MotorJammed : LogEvent.Jammed);
        }
        Changed();
    }

    public void SetBattery(int level)
    {
        lock (_gate)
        {
            var before = _batteryLowState;
            _batteryLevel = Math.Clamp(level, 0, 100);
            _batteryLowState = BatteryStateFor(_batteryLevel);
            if (_batteryLowState >= 1 && before < 1)
            {
                AddLog(LogEvent.LowBattery);
            }
            if (_batteryLowState == 2 && before < 2)
            {
                AddLog(LogEvent.CriticalBattery);
            }
            Touch();
        }
        Changed();
    }

    public void ReplaceBatteries()
    {
        lock (_gate)
        {
            _batteryLevel = 100;
            _batteryLowState = 0;
            AddLog(LogEvent.BatteriesReplaced);
        }
        Changed();
    }

    public void SetConnected(bool connected, int offlineStatus = 409)
    {
        lock (_gate)
        {
            if (offlineStatus is not (409 or 503))
            {
                throw new ArgumentOutOfRangeException(nameof(offlineStatus), offlineStatus, "An offline lock answers 409 or 503.");
            }
            _offlineStatus = offlineStatus;
            if (_connected != connected)
            {
                _connected = connected;
                _connectivityUpdated = _ctx.Now;
                Touch();
            }
        }
        Changed();
    }

    public void SetDoorState(int doorState)
    {
        if (doorState is < 0 or > 3)
        {
            throw new ArgumentOutOfRangeException(nameof(doorState), doorState, "doorState is 0 unknown, 1 open, 2 closed, 3 faulty.");
        }
        lock (_gate)
        {
            // A door sensor's open/close is in the log too (71/72).
            if (doorState != _doorState && doorState is 1 or 2)
            {
                AddLog(doorState == 1 ? LogEvent.DoorOpened : LogEvent.DoorClosed);
            }
            _doorState = doorState;
            Touch();
        }
        Changed();
    }

    /// <summary>Validates and applies settings of a PUT; lockState is only validated here (it moves later).</summary>
    public void ApplySettings(IReadOnlyDictionary<string, int> settings, string? newName)
    {
        lock (_gate)
        {
            EnsureOnline();
            foreach (var (key, value) in settings)
            {
                ValidateSetting(key, value);
            }
            foreach (var (key, value) in settings)
            {
                switch (key)
                {
                    case "beeperEnabled":
                        _beeperEnabled = value;
                        break;
                    case "lockAndLeaveEnabled":
                        _lockAndLeaveEnabled = value;
                        break;
                    case "autoLockTime":
                        _autoLockTime = value;
                        if (value > 0 && _lockState == 0)
                        {
                            ArmAutoLock();
                        }
                        break;
                    default:
                        break;
                }
            }
            if (newName is not null)
            {
                _name = newName;
            }
            Touch();
        }
        Changed();
    }

    private void ValidateSetting(string key, int value)
    {
        switch (key)
        {
            case "beeperEnabled" or "lockAndLeaveEnabled" when value is not (0 or 1):
                throw CloudException.BadRequest($"{key} must be 0 or 1");
            case "autoLockTime" when !Model.AutoLockTimes.Contains(value):
                throw CloudException.BadRequest($"autoLockTime {value} is not supported by {Model.DevicetypeId}; allowed: {string.Join(", ", Model.AutoLockTimes)}");
            case "lockState" when value is not (0 or 1):
                throw CloudException.BadRequest("lockState must be 0 (unlock) or 1 (lock)");
            case "beeperEnabled" or "lockAndLeaveEnabled" or "autoLockTime" or "lockState":
                break;
            default:
                throw CloudException.BadRequest($"Attribute {key} is not writable");
        }
    }

    // Callers hold _gate and have set _metadata. A jammed bolt stays jammed when driven by anything but a hand.
    private void MoveBolt(int state, int eventCode, string? accessor, string? keypad)
    {
        if (_jammed)
        {
            _lockState = _motorJam ? 4 : 2;
            AddLog(_motorJam ? LogEvent.MotorJammed : LogEvent.Jammed, accessor, keypad);
            return;
        }
        _lockState = state;
        AddLog(eventCode, accessor, keypad);
        if (state == 0)
        {
            ArmAutoLock();
        }
        else
        {
            _autoLockGeneration++;
        }
    }

    private void ArmAutoLock()
    {
        var generation = ++_autoLockGeneration;
        if (_autoLockTime <= 0)
        {
            return;
        }
        _ctx.Scheduler.After(TimeSpan.FromSeconds(_autoLockTime), () =>
        {
            bool locked;
            lock (_gate)
            {
                locked = !_removed && generation == _autoLockGeneration && _lockState == 0 && !_jammed;
                if (locked)
                {
                    _metadata = new LockStateMetadata(LockStateMetadata.AutoLock, null, null, null);
                    MoveBolt(1, LogEvent.LockedByTime, null, null);
                }
            }
            if (locked)
            {
                Changed();
            }
        });
    }
}
