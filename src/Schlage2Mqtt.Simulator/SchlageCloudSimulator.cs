using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Schlage2Mqtt.Simulator.Admin;
using Schlage2Mqtt.Simulator.Api;
using Schlage2Mqtt.Simulator.Calls;
using Schlage2Mqtt.Simulator.Cognito;

namespace Schlage2Mqtt.Simulator;

/// <summary>
/// A fake Schlage consumer cloud on 127.0.0.1: Cognito (SRP login, refresh) at <see cref="CognitoUrl"/>,
/// the REST API at <see cref="ApiBaseUrl"/>, and an admin API at <see cref="AdminUrl"/> (also in-process as
/// <see cref="Admin"/>). Time comes from the given <see cref="TimeProvider"/>, so a test's manual clock
/// decides when tokens expire and when locks act.
/// </summary>
public sealed class SchlageCloudSimulator : IAsyncDisposable
{
    private readonly SimulatorRuntime _runtime;
    private readonly ILogger<SchlageCloudSimulator> _logger;
    private WebApplication? _app;
    private Uri? _baseUrl;

    /// <summary>Builds the world from <paramref name="options"/>; nothing listens until <see cref="StartAsync"/>.</summary>
    /// <param name="options">Accounts, locks, credentials, latencies, seed, port.</param>
    /// <param name="timeProvider">The clock; the system clock when null.</param>
    /// <param name="loggerFactory">Where the simulator logs; nowhere when null.</param>
    public SchlageCloudSimulator(SimulatorOptions options, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var factory = loggerFactory ?? NullLoggerFactory.Instance;
        _runtime = new SimulatorRuntime(options, timeProvider ?? TimeProvider.System, factory);
        _logger = factory.CreateLogger<SchlageCloudSimulator>();
        Admin = new SimulatorAdmin(_runtime);
        Accounts = [.. _runtime.Accounts.Select(a => new SimulatedAccount(a.Email, a.Password, a.UserIdForSrp, a.IdentityId, a.FriendlyName))];
        _runtime.DeviceChanged += id => DeviceChanged?.Invoke(this, id);
    }

    /// <summary>
    /// Raised with a device id whenever that device's document changed (state, settings, codes,
    /// connectivity, added or removed). The push channel (<see cref="SimulatorOptions.PushBrokerUrl"/>) publishes on it.
    /// </summary>
    public event EventHandler<string>? DeviceChanged;

    /// <summary>The options the simulator was built from.</summary>
    public SimulatorOptions Options => _runtime.Options;

    /// <summary>Accounts with their generated ids, for logging in.</summary>
    public IReadOnlyList<SimulatedAccount> Accounts { get; }

    /// <summary>Drive the world: door events, lock troubles, faults, Cognito errors, reset.</summary>
    public SimulatorAdmin Admin { get; }

    /// <summary>Every call answered, with counters.</summary>
    public CallLog Calls => _runtime.Calls;

    /// <summary>The SRP pool name (the part of the user pool id after the underscore).</summary>
    public string PoolName => _runtime.Pool.PoolName;

    /// <summary>The port bound.</summary>
    public int Port => BaseUrl.Port;

    /// <summary><c>http://127.0.0.1:port/</c>.</summary>
    public Uri BaseUrl => _baseUrl ?? throw new InvalidOperationException("The simulator is not started; call StartAsync first.");

    /// <summary>The REST base, <c>http://127.0.0.1:port/v1</c> (append <c>/devices</c> etc.).</summary>
    public Uri ApiBaseUrl => new(BaseUrl, RestApi.Prefix);

    /// <summary>The seed-004 subscriber API base, <c>http://127.0.0.1:port/partner</c> (its Socket.IO socket is <c>/partner/socket.io/</c>).</summary>
    public Uri SubscriberApiBaseUrl => new(BaseUrl, Subscribers.SubscriberApi.Prefix);

    /// <summary>The Cognito endpoint override, <c>http://127.0.0.1:port/</c> (POST with X-Amz-Target).</summary>
    public Uri CognitoUrl => BaseUrl;

    /// <summary>The admin base, <c>http://127.0.0.1:port/admin</c>.</summary>
    public Uri AdminUrl => new(BaseUrl, AdminApi.Prefix);

    /// <summary>Binds Kestrel on 127.0.0.1 and starts answering.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_app is not null)
        {
            throw new InvalidOperationException("The simulator is already started.");
        }
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(SchlageCloudSimulator).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        // Hermetic: the host process's appsettings or environment (e.g. a Kestrel section) must not reach the simulator.
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        // A request parked on a manual clock must not hold a test's dispose for the default 30 s.
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.Services.AddSingleton<IHostLifetime, Internal.EmbeddedHostLifetime>();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, Options.Port));
        var app = builder.Build();
        var cognito = new CognitoEndpoint(_runtime);
        app.MapPost("/", cognito.HandleAsync);
        RestApi.Map(app, _runtime);
        AdminApi.Map(app, Admin, Accounts);
        Subscribers.SubscriberApi.Map(app, _runtime, Admin.Subscribers);
        await app.StartAsync(cancellationToken);
        await _runtime.Push.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address).Port;
        _baseUrl = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/"));
        _app = app;
        _logger.LogInformation("Schlage cloud simulator listening on {BaseUrl}", _baseUrl);
    }

    /// <summary>Stops listening, disconnects from the push broker and cancels pending lock actions.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        var app = Interlocked.Exchange(ref _app, null);
        if (app is not null)
        {
            await _runtime.Push.StopAsync();
            await app.StopAsync(cancellationToken);
            await app.DisposeAsync();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _runtime.Dispose();
    }
}
