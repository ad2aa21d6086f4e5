using System.Globalization;
using Schlage2Mqtt.Simulator;

namespace Schlage2Mqtt.Bridge.Bench;

/// <summary>One simulated lock: fixed device id, name and the topic id the bridge derives from the name.</summary>
internal sealed record BenchLock(int Index, string DeviceId, string Name, string TopicId, int Account);

/// <summary>One simulated Schlage account and its locks.</summary>
internal sealed record BenchAccount(int Index, string Key, string Email, string Password, IReadOnlyList<BenchLock> Locks);

/// <summary>
/// The simulated cloud of one run: <c>accounts</c> x <c>locksPerAccount</c> Encode (Wi-Fi) locks, all locked, with
/// ids and names fixed by their index so every run builds the same world (simulator seed <see cref="Seed"/>).
/// </summary>
internal sealed class BenchWorld
{
    public const int Seed = 1;
    public const string Password = "Bench-Passw0rd!";

    private BenchWorld(IReadOnlyList<BenchAccount> accounts)
    {
        Accounts = accounts;
        Locks = [.. accounts.SelectMany(a => a.Locks)];
    }

    public IReadOnlyList<BenchAccount> Accounts { get; }

    public IReadOnlyList<BenchLock> Locks { get; }

    public static BenchWorld Create(int accounts, int locksPerAccount)
    {
        var list = new List<BenchAccount>();
        var index = 0;
        for (var a = 0; a < accounts; a++)
        {
            var locks = new List<BenchLock>();
            for (var l = 0; l < locksPerAccount; l++, index++)
            {
                var n = index + 1;
                locks.Add(new BenchLock(
                    index,
                    string.Create(CultureInfo.InvariantCulture, $"{n:x8}-be00-4000-8000-{a + 1:x12}"),
                    string.Create(CultureInfo.InvariantCulture, $"Bench Lock {n:0000}"),
                    string.Create(CultureInfo.InvariantCulture, $"bench_lock_{n:0000}"),
                    a));
            }
            list.Add(new BenchAccount(a, string.Create(CultureInfo.InvariantCulture, $"bench{a + 1:00}"),
                string.Create(CultureInfo.InvariantCulture, $"bench{a + 1:00}@schlage2mqtt.invalid"), Password, locks));
        }
        return new BenchWorld(list);
    }

    /// <summary>Simulator options for this world; locks act on remote commands after <paramref name="commandLatency"/>.</summary>
    public SimulatorOptions SimulatorOptions(TimeSpan commandLatency) => new()
    {
        Seed = Seed,
        Port = 0,
        CommandLatency = commandLatency,
        Accounts = [.. Accounts.Select(a => new AccountDefinition
        {
            Email = a.Email,
            Password = a.Password,
            FriendlyName = "Bench " + a.Key,
            Locks = [.. a.Locks.Select(l => new LockDefinition
            {
                DeviceId = l.DeviceId,
                Name = l.Name,
                Model = LockModel.Encode,
                LockState = 1,
                BatteryLevel = 90,
            })],
        })],
    };
}
