using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Simulator.Calls;
using Schlage2Mqtt.Simulator.Cloud;
using Schlage2Mqtt.Simulator.Cognito;
using Schlage2Mqtt.Simulator.Faults;
using Schlage2Mqtt.Simulator.Internal;
using Schlage2Mqtt.Simulator.Push;

namespace Schlage2Mqtt.Simulator;

/// <summary>The simulator's state, independent of HTTP: what the REST, Cognito and admin faces share.</summary>
internal sealed class SimulatorRuntime : IDisposable
{
    private const int AccountStream = 1;
    private const int CognitoStream = 3;
    private const int FaultStream = 4;
    private const int PushStream = 5;

    public SimulatorRuntime(SimulatorOptions options, TimeProvider time, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        Time = time;
        LoggerFactory = loggerFactory;
        Accounts = Resolve(options);
        Faults = new FaultInjector(new SeededRandom(options.Seed, FaultStream));
        Calls = new CallLog(options.CallLogCapacity);
        Scheduler = new Scheduler(time, loggerFactory.CreateLogger<Scheduler>());
        Pool = new CognitoUserPool(options, Accounts, time, new SeededRandom(options.Seed, CognitoStream), loggerFactory.CreateLogger<CognitoUserPool>());
        var context = new CloudContext(options, time, new SeededRandom(options.Seed, CloudWorld.IdStream), Scheduler, Faults,
            loggerFactory.CreateLogger<CloudWorld>(), id => DeviceChanged?.Invoke(id));
        World = new CloudWorld(context, Accounts);
        Subscribers = new Subscribers.SubscriberHub(this);
        Push = new PushService(this, new SeededRandom(options.Seed, PushStream));
        DeviceChanged += Push.OnDeviceChanged;
    }

    public SimulatorOptions Options { get; }

    public TimeProvider Time { get; }

    public ILoggerFactory LoggerFactory { get; }

    public IReadOnlyList<ResolvedAccount> Accounts { get; }

    public FaultInjector Faults { get; }

    public CallLog Calls { get; }

    public Scheduler Scheduler { get; }

    public CognitoUserPool Pool { get; }

    public CloudWorld World { get; }

    /// <summary>The seed-004 websocket subscribers and their sockets.</summary>
    public Subscribers.SubscriberHub Subscribers { get; }

    /// <summary>The AWS IoT push channel: <c>users/wss</c> answers, publishing, the phone app.</summary>
    public PushService Push { get; }

    /// <summary>Raised with a device id after its document changed (the hook the push channel will use).</summary>
    public event Action<string>? DeviceChanged;

    public void Dispose() => Scheduler.Dispose();

    private static List<ResolvedAccount> Resolve(SimulatorOptions options)
    {
        var random = new SeededRandom(options.Seed, AccountStream);
        var resolved = new List<ResolvedAccount>();
        foreach (var account in options.Accounts)
        {
            if (string.IsNullOrWhiteSpace(account.Email) || string.IsNullOrEmpty(account.Password))
            {
                throw new ArgumentException("Every account needs an Email and a Password.", nameof(options));
            }
            var email = account.Email.Trim().ToLowerInvariant();
            if (resolved.Any(r => r.Email == email))
            {
                throw new ArgumentException($"Two accounts share the email {email}.", nameof(options));
            }
            resolved.Add(new ResolvedAccount(email, account.Password, account.UserIdForSrp ?? random.NextUuid(),
                account.IdentityId ?? random.NextUuid(), account.FriendlyName, account.Confirmed, account.Locks));
        }
        return resolved;
    }
}
