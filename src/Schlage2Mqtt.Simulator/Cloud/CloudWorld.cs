using System.Collections.Concurrent;
using Schlage2Mqtt.Simulator.Internal;

namespace Schlage2Mqtt.Simulator.Cloud;

/// <summary>The device side of the simulated cloud: accounts, their locks, async commands. Thread-safe.</summary>
internal sealed class CloudWorld
{
    /// <summary>Random stream of the device world (accounts and Cognito use others).</summary>
    public const int IdStream = 2;

    private readonly Lock _gate = new();
    private readonly CloudContext _ctx;
    private readonly IReadOnlyList<ResolvedAccount> _accounts;
    private readonly ConcurrentDictionary<string, LockDevice> _devices = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, AccountState> _bySub = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, AccountState> _byEmail = new(StringComparer.Ordinal);

    public CloudWorld(CloudContext ctx, IReadOnlyList<ResolvedAccount> accounts)
    {
        _ctx = ctx;
        _accounts = accounts;
        Build();
    }

    public CommandTracker Commands { get; } = new();

    public CloudContext Context => _ctx;

    public AccountState? AccountBySub(string sub) => _bySub.GetValueOrDefault(sub);

    public AccountState? AccountByEmail(string email) => _byEmail.GetValueOrDefault(email.ToLowerInvariant());

    public IReadOnlyList<AccountState> Accounts()
    {
        lock (_gate)
        {
            return [.. _accounts.Select(a => _bySub[a.UserIdForSrp])];
        }
    }

    public LockDevice? Device(string deviceId) => _devices.GetValueOrDefault(deviceId);

    /// <summary>The device if it exists and belongs to <paramref name="account"/>.</summary>
    public LockDevice? DeviceOf(AccountState account, string deviceId) =>
        _devices.TryGetValue(deviceId, out var d) && ReferenceEquals(d.Owner, account) ? d : null;

    public IReadOnlyList<LockDevice> DevicesOf(AccountState account)
    {
        var ids = account.DeviceIds();
        var list = new List<LockDevice>(ids.Count);
        foreach (var id in ids)
        {
            if (_devices.TryGetValue(id, out var device))
            {
                list.Add(device);
            }
        }
        return list;
    }

    public IReadOnlyList<LockDevice> AllDevices()
    {
        lock (_gate)
        {
            return [.. _accounts.SelectMany(a => DevicesOf(_bySub[a.UserIdForSrp]))];
        }
    }

    public LockDevice AddLock(AccountState account, LockDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        LockDevice device;
        lock (_gate)
        {
            var id = definition.DeviceId ?? _ctx.Ids.NextUuid();
            device = new LockDevice(_ctx, account, definition, id);
            if (!_devices.TryAdd(id, device))
            {
                throw new ArgumentException($"A device with id {id} already exists.", nameof(definition));
            }
            account.AddDevice(id);
        }
        _ctx.DeviceChanged(device.DeviceId);
        return device;
    }

    public bool RemoveLock(string deviceId)
    {
        lock (_gate)
        {
            if (!_devices.TryRemove(deviceId, out var device))
            {
                return false;
            }
            device.MarkRemoved();
            device.Owner.RemoveDevice(deviceId);
        }
        _ctx.DeviceChanged(deviceId);
        return true;
    }

    /// <summary>Back to the initial world: pending actions cancelled, ids restarted from the seed.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _ctx.Scheduler.CancelAll();
            foreach (var device in _devices.Values)
            {
                device.MarkRemoved();
            }
            _devices.Clear();
            _bySub.Clear();
            _byEmail.Clear();
            Commands.Clear();
            _ctx.Ids = new SeededRandom(_ctx.Options.Seed, IdStream);
            Build();
        }
    }

    private void Build()
    {
        foreach (var definition in _accounts)
        {
            var account = new AccountState(definition, _ctx.Now);
            _bySub[definition.UserIdForSrp] = account;
            _byEmail[definition.Email] = account;
            foreach (var lockDefinition in definition.Locks)
            {
                var id = lockDefinition.DeviceId ?? _ctx.Ids.NextUuid();
                var device = new LockDevice(_ctx, account, lockDefinition, id);
                if (!_devices.TryAdd(id, device))
                {
                    throw new ArgumentException($"Two locks share the device id {id}.", nameof(_accounts));
                }
                account.AddDevice(id);
            }
        }
    }
}
