using Schlage2Mqtt.Simulator.Api;
using Schlage2Mqtt.Simulator.Faults;

namespace Schlage2Mqtt.Simulator.Cloud;

internal sealed partial class LockDevice
{
    private const string AlreadyInUse = "Access code or code name is already in use";
    private const string NotFoundOnDevice = "Access code ID not found on device";

    /// <summary>
    /// The cloud's list. Its <c>notification</c> field reads 0 whatever was asked, as the real cloud's does: notify-on-use
    /// lives in the notification objects only.
    /// </summary>
    public IReadOnlyList<AccessCodeDocument> AccessCodes()
    {
        lock (_gate)
        {
            return [.. _cloudCodes.Select(c => new AccessCodeDocument(c.AccesscodeId, c.FriendlyName, c.Code, c.CodeLength,
                c.ActivationSecs, c.ExpirationSecs, c.Disabled ? 1 : 0, 0, ToDocument(c.Schedule1),
                c.Schedule2 is null ? null : ToDocument(c.Schedule2)))];
        }
    }

    /// <summary>The ids of the codes the lock itself holds (may differ from the cloud's list: split brain).</summary>
    public IReadOnlyList<string> CodesOnDevice()
    {
        lock (_gate) { return [.. _deviceCodes.Keys.Order(StringComparer.Ordinal)]; }
    }

    /// <summary>
    /// Checks an access-code command on the cloud side (validation, 400/404) and returns the candidate,
    /// the fault it draws, and a new id for adds. Throws <see cref="CloudException"/> on refusal.
    /// </summary>
    public AccessCodeFaultRule? PrepareAccessCodeCommand(string command, AccessCodeDraft draft, string newId)
    {
        lock (_gate)
        {
            EnsureOnline();
            _ = CloudSide(command, draft, newId);
        }
        // Faults are drawn only by commands the cloud accepted, so a 400 does not eat a rule.
        return _ctx.Faults.MatchAccessCode(DeviceId, command);
    }

    /// <summary>Carries an accepted command out against the lock, playing <paramref name="fault"/> if any.</summary>
    public CommandOutcome ExecuteAccessCodeCommand(string command, AccessCodeDraft draft, string newId, AccessCodeFaultRule? fault,
        AccountState by, bool async)
    {
        CommandOutcome outcome;
        lock (_gate)
        {
            if (_removed)
            {
                return CommandOutcome.Fail(404, "Device not found");
            }
            AccessCodeRecord candidate;
            try
            {
                EnsureOnline();
                candidate = CloudSide(command, draft, newId);
            }
            catch (CloudException ex)
            {
                return CommandOutcome.Fail(ex.StatusCode, ex.Message);
            }
            outcome = Resolve(command, candidate, fault, by, async);
        }
        Changed();
        return outcome;
    }

    public CommandOutcome DeleteAllAccessCodes()
    {
        lock (_gate)
        {
            EnsureOnline();
            _cloudCodes.Clear();
            _deviceCodes.Clear();
            AddLog(LogEvent.AllCodesDeleted);
        }
        Changed();
        return CommandOutcome.Ok(null);
    }

    /// <summary>Split brain by hand: a code the lock holds but the cloud does not list.</summary>
    public string AddPhantomCode(string name, string pin)
    {
        lock (_gate)
        {
            var id = _ctx.Ids.NextUuid();
            var record = new AccessCodeRecord(id, name, long.Parse(pin, System.Globalization.CultureInfo.InvariantCulture), pin.Length, 0, uint.MaxValue,
                false, false, WeeklySchedule.Always, null);
            _deviceCodes[id] = record;
            return id;
        }
    }

    /// <summary>Split brain by hand: the lock loses a code the cloud still lists.</summary>
    public bool ForgetCodeOnDevice(string accesscodeId)
    {
        lock (_gate) { return _deviceCodes.Remove(accesscodeId); }
    }

    // Callers hold _gate.
    private AccessCodeRecord CloudSide(string command, AccessCodeDraft draft, string newId)
    {
        switch (command)
        {
            case CommandNames.AddAccessCode:
            {
                if (_cloudCodes.Count >= MaxUserCodes)
                {
                    throw CloudException.BadRequest($"Maximum number of access codes ({MaxUserCodes}) reached");
                }
                var record = AccessCodeRules.Build(newId, draft, _accessCodeLength, VariableLengthCodes, _cloudCodes.Count == 0);
                AccessCodeRules.CheckUnique(record, _cloudCodes);
                return record;
            }
            case CommandNames.UpdateAccessCode:
            {
                var existing = FindCloudCode(draft);
                var others = _cloudCodes.Where(c => c.AccesscodeId != existing.AccesscodeId).ToList();
                var record = AccessCodeRules.Build(existing.AccesscodeId, draft, _accessCodeLength, VariableLengthCodes, others.Count == 0);
                AccessCodeRules.CheckUnique(record, others);
                return record;
            }
            case CommandNames.DeleteAccessCode:
            {
                var existing = FindCloudCode(draft);
                // pyschlage and Home Assistant send the whole code object as listed, plus its id.
                if (draft.FriendlyName is null || draft.Code is null)
                {
                    throw CloudException.BadRequest("deleteaccesscode needs the access code object (friendlyName, accessCode, ...) with its accesscodeId");
                }
                return existing;
            }
            default:
                throw CloudException.BadRequest($"Unknown command: {command}");
        }
    }

    private AccessCodeRecord FindCloudCode(AccessCodeDraft draft)
    {
        var id = draft.AccesscodeId ?? throw CloudException.BadRequest("accesscodeId is required");
        return _cloudCodes.FirstOrDefault(c => c.AccesscodeId == id)
            ?? throw CloudException.NotFound("Access code not found");
    }

    // Callers hold _gate.
    private CommandOutcome Resolve(string command, AccessCodeRecord candidate, AccessCodeFaultRule? fault, AccountState by, bool async)
    {
        var id = candidate.AccesscodeId;
        switch (fault?.Fault)
        {
            case AccessCodeFault.ServerError:
                return CommandOutcome.Fail(500, "Internal server error");
            case AccessCodeFault.Nack:
                if (fault.CloudKeepsChange)
                {
                    ApplyCloud(command, candidate);
                }
                return CommandOutcome.Fail(502, "Nack: the lock did not acknowledge the command", id);
            case AccessCodeFault.Timeout:
                if (fault.CloudKeepsChange)
                {
                    ApplyCloud(command, candidate);
                }
                return CommandOutcome.Fail(504, async ? "Command timed out" : "Endpoint request timed out", id);
            case AccessCodeFault.AlreadyInUse:
                return CommandOutcome.Fail(400, AlreadyInUse, id);
            case AccessCodeFault.NotFoundOnDevice:
                return CommandOutcome.Fail(400, NotFoundOnDevice, id);
            case AccessCodeFault.ScheduleInvalid:
                return CommandOutcome.Fail(400, AccessCodeDraft.ScheduleInvalid, id);
            case AccessCodeFault.UserNotFound:
                return CommandOutcome.Fail(400, "User not found in the device", id);
            default:
                break;
        }
        // What the lock itself says: it only knows its own table.
        if (command == CommandNames.DeleteAccessCode || command == CommandNames.UpdateAccessCode)
        {
            if (!_deviceCodes.ContainsKey(id))
            {
                return CommandOutcome.Fail(400, NotFoundOnDevice, id);
            }
        }
        if (command != CommandNames.DeleteAccessCode
            && _deviceCodes.Values.Any(c => c.AccesscodeId != id
                && (c.Pin == candidate.Pin || string.Equals(c.FriendlyName, candidate.FriendlyName, StringComparison.OrdinalIgnoreCase))))
        {
            return CommandOutcome.Fail(400, AlreadyInUse, id);
        }
        ApplyCloud(command, candidate);
        ApplyDevice(command, candidate, by);
        if (fault?.Fault == AccessCodeFault.GatewayErrorButApplied && !async)
        {
            return CommandOutcome.Fail(fault.StatusCode, fault.StatusCode == 502 ? "Bad Gateway" : "Endpoint request timed out", id);
        }
        return CommandOutcome.Ok(id);
    }

    private void ApplyCloud(string command, AccessCodeRecord candidate)
    {
        var index = _cloudCodes.FindIndex(c => c.AccesscodeId == candidate.AccesscodeId);
        switch (command)
        {
            case CommandNames.AddAccessCode when index < 0:
                if (_cloudCodes.Count == 0 && !VariableLengthCodes)
                {
                    _accessCodeLength = candidate.CodeLength;
                }
                _cloudCodes.Add(candidate);
                break;
            case CommandNames.UpdateAccessCode when index >= 0:
                if (_cloudCodes.Count == 1 && !VariableLengthCodes)
                {
                    _accessCodeLength = candidate.CodeLength;
                }
                _cloudCodes[index] = candidate;
                break;
            case CommandNames.DeleteAccessCode when index >= 0:
                _cloudCodes.RemoveAt(index);
                break;
            default:
                break;
        }
        Touch();
    }

    private void ApplyDevice(string command, AccessCodeRecord candidate, AccountState by)
    {
        switch (command)
        {
            case CommandNames.AddAccessCode:
                _deviceCodes[candidate.AccesscodeId] = candidate;
                AddLog(LogEvent.AccessCodeAdded, by.IdentityId, candidate.AccesscodeId);
                break;
            case CommandNames.UpdateAccessCode:
                _deviceCodes[candidate.AccesscodeId] = candidate;
                break;
            case CommandNames.DeleteAccessCode:
                _deviceCodes.Remove(candidate.AccesscodeId);
                AddLog(LogEvent.AccessCodeDeleted, by.IdentityId, candidate.AccesscodeId);
                break;
            default:
                break;
        }
    }

    private static ScheduleDocument ToDocument(WeeklySchedule s) => new(s.DaysOfWeek, s.StartHour, s.StartMinute, s.EndHour, s.EndMinute);
}
