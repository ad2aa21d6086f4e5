using Schlage2Mqtt.Cloud;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging.Abstractions;
using Schlage2Mqtt.Schlage.Auth;
using Schlage2Mqtt.Schlage.Options;
using Schlage2Mqtt.Schlage.Provider;
using Schlage2Mqtt.Schlage.Tests.Support;
using Schlage2Mqtt.Simulator;
using Schlage2Mqtt.TestSupport;

namespace Schlage2Mqtt.Schlage.Tests.Integration;

/// <summary>
/// One real simulator per test class on a manual clock, shared by its tests: each test starts from
/// <see cref="SimulatorAdmin.Reset"/> (same world and ids, no faults, empty call log). The clock only
/// moves forward, so every test reads times relative to <see cref="ManualTimeProvider.GetUtcNow"/>.
/// </summary>
[SuppressMessage("Reliability", "CA1001", Justification = "xunit disposes the fixture through IAsyncLifetime.DisposeAsync.")]
public class SimulatorFixture : IAsyncLifetime
{
    public const string Email = "owner@example.com";
    public const string Password = "Integration-Passw0rd!";
    public const string OtherEmail = "neighbour@example.com";
    public const string OtherPassword = "Neighbour-Passw0rd!";

    public const string EncodeId = "e0000000-0000-4000-8000-000000000001";
    public const string EncodePlusId = "e0000000-0000-4000-8000-000000000002";
    public const string LeverId = "e0000000-0000-4000-8000-000000000003";
    public const string SenseId = "e0000000-0000-4000-8000-000000000004";
    public const string NeighbourLockId = "e0000000-0000-4000-8000-000000000005";

    /// <summary>The PIN of the code every test finds on the Encode ("Family").</summary>
    public const string FamilyPin = "1234";

    /// <summary>How long a lock takes to act on a remote command.</summary>
    public static readonly TimeSpan CommandLatency = TimeSpan.FromSeconds(5);

    private SchlageCloudSimulator? _simulator;

    public SimulatorFixture()
    {
        Clock = new TimerTrackingClock(Time);
    }

    /// <summary>The clock tests move.</summary>
    public ManualTimeProvider Time { get; } = new();

    /// <summary><see cref="Time"/> as the simulator and the clients get it: it knows when its next timer falls due.</summary>
    public TimerTrackingClock Clock { get; }

    /// <summary>Everything the simulator itself logged (searched for secrets too).</summary>
    public CapturingLoggerProvider SimulatorLogs { get; } = new();

    public SchlageCloudSimulator Simulator => _simulator ?? throw new InvalidOperationException("The fixture is not started.");

    public SimulatorAdmin Admin => Simulator.Admin;

    public SimulatedAccount Owner => Simulator.Accounts[0];

    /// <summary>
    /// The refresh token of one SRP login made when the class started. Tests start from it, as the daemon does after
    /// <c>schlage2mqtt login</c>, so only tests about logging in pay for the SRP arithmetic.
    /// </summary>
    public StoredRefreshToken SharedLogin { get; private set; } = null!;

    public static SimulatorOptions World() => new()
    {
        Seed = 11,
        CommandLatency = CommandLatency,
        Accounts =
        [
            new AccountDefinition
            {
                Email = Email,
                Password = Password,
                FriendlyName = "Owner Person",
                Locks =
                [
                    new LockDefinition
                    {
                        DeviceId = EncodeId,
                        Name = "Front",
                        Model = LockModel.Encode,
                        LockState = 1,
                        AccessCodes = [new AccessCodeDefinition { Name = "Family", Code = FamilyPin }],
                    },
                    new LockDefinition { DeviceId = EncodePlusId, Name = "Back", Model = LockModel.EncodePlus, LockState = 0, BatteryLevel = 64 },
                    new LockDefinition { DeviceId = LeverId, Name = "Office", Model = LockModel.EncodeLever, AutoLockTime = 5 },
                    new LockDefinition { DeviceId = SenseId, Name = "Garage", Model = LockModel.Sense, AutoLockTime = 30, AccessCodeLength = 6 },
                ],
            },
            new AccountDefinition
            {
                Email = OtherEmail,
                Password = OtherPassword,
                Locks = [new LockDefinition { DeviceId = NeighbourLockId, Name = "Neighbour" }],
            },
        ],
    };

    /// <summary>The world this fixture serves (a subclass adds to it, e.g. a push broker).</summary>
    protected virtual Task<SimulatorOptions> CreateWorldAsync() => Task.FromResult(World());

    public async Task InitializeAsync()
    {
        _simulator = new SchlageCloudSimulator(await CreateWorldAsync(), Clock, SimulatorLogs);
        await _simulator.StartAsync();
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var store = new InMemoryRefreshTokenStore();
        var options = new SchlageCloudOptions { ApiBaseUrl = _simulator.ApiBaseUrl, Cognito = new CognitoOptions { Endpoint = _simulator.CognitoUrl } };
        var login = await new SchlageLogin(options, store, http, Clock, NullLoggerFactory.Instance).LoginAsync("home", Email, Password, default);
        Assert.True(login.Succeeded, login.Failure?.ToString());
        SharedLogin = (await store.LoadAsync("home", default))!;
    }

    /// <summary>Back to the initial world for the next test.</summary>
    public void Reset() => Admin.Reset();

    public virtual async Task DisposeAsync()
    {
        if (_simulator is not null)
        {
            await _simulator.DisposeAsync();
        }
    }
}
