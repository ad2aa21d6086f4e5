using System.Globalization;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Simulator.Json;

namespace Schlage2Mqtt.Simulator;

/// <summary>What <c>schlage2mqtt simulator</c> is started with. Its JSON keeps the defaults of members the JSON leaves out.</summary>
[JsonConverter(typeof(SimulatorHostOptionsJsonConverter))]
public sealed record SimulatorHostOptions
{
    /// <summary>Port on 127.0.0.1 (0 picks a free one).</summary>
    public int Port { get; init; } = 8480;

    /// <summary>Seed for generated ids.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>How long locks take to act on remote commands.</summary>
    public TimeSpan CommandLatency { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The world to serve; the demo world when null (Port, Seed and CommandLatency then apply to it).</summary>
    public SimulatorOptions? World { get; init; }

    /// <summary>The push channel's broker (see <see cref="SimulatorOptions.PushBrokerUrl"/>); when set it overrides the world's.</summary>
    public Uri? PushBrokerUrl { get; init; }

    /// <summary>Where the simulator publishes (see <see cref="SimulatorOptions.PushPublishUrl"/>); when set it overrides the world's.</summary>
    public Uri? PushPublishUrl { get; init; }
}

/// <summary>Runs a simulator until cancelled, printing where it listens and how to log in: what the CLI wraps.</summary>
public static class SimulatorHost
{
    /// <summary>Starts the simulator, prints URLs and credentials to <paramref name="output"/>, and serves until <paramref name="cancellationToken"/> fires.</summary>
    /// <returns>0, the process exit code.</returns>
    public static async Task<int> RunAsync(SimulatorHostOptions options, TextWriter output, ILoggerFactory? loggerFactory = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        var world = options.World ?? DemoWorld.CreateOptions(options.Seed, options.Port, options.CommandLatency);
        world = world with
        {
            PushBrokerUrl = options.PushBrokerUrl ?? world.PushBrokerUrl,
            PushPublishUrl = options.PushPublishUrl ?? world.PushPublishUrl,
        };
        await using var simulator = new SchlageCloudSimulator(world, TimeProvider.System, loggerFactory);
        await simulator.StartAsync(cancellationToken);
        await output.WriteAsync(Describe(simulator));
        await output.FlushAsync(cancellationToken);
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C or the host stopping: the normal way out.
        }
        await output.WriteLineAsync("Simulator stopped.");
        return 0;
    }

    /// <summary>The banner: endpoints, credentials, locks and a few admin examples.</summary>
    public static string Describe(SchlageCloudSimulator simulator)
    {
        ArgumentNullException.ThrowIfNull(simulator);
        var o = simulator.Options;
        var text = new System.Text.StringBuilder();
        var ci = CultureInfo.InvariantCulture;
        text.AppendLine("Schlage cloud simulator (loopback only)");
        text.AppendLine(ci, $"  API base URL:      {simulator.ApiBaseUrl}");
        text.AppendLine(ci, $"  Cognito endpoint:  {simulator.CognitoUrl}");
        text.AppendLine(ci, $"  Admin API:         {simulator.AdminUrl}");
        text.AppendLine(ci, $"  Subscriber API:    {simulator.SubscriberApiBaseUrl} (seed 004; socket /partner/socket.io/)");
        text.AppendLine(ci, $"  Push broker:       {(o.PushBrokerUrl is { } push ? push.ToString() : "none (users/wss answers 404)")}");
        text.AppendLine(ci, $"  X-Api-Key:         {o.ApiKey}");
        text.AppendLine(ci, $"  User pool id:      {o.UserPoolId}");
        foreach (var client in o.AppClients)
        {
            text.AppendLine(ci, $"  App client:        {client.ClientId}{(client.ClientSecret is null ? " (no secret)" : $" secret {client.ClientSecret}")}");
        }
        foreach (var account in simulator.Accounts)
        {
            text.AppendLine(ci, $"  Account:           {account.Email} / {account.Password}");
        }
        foreach (var info in simulator.Admin.Locks())
        {
            text.AppendLine(ci, $"  Lock:              {info.Name} ({info.DevicetypeId}) {info.DeviceId}");
        }
        text.AppendLine("  Try:");
        text.AppendLine(ci, $"    curl {simulator.AdminUrl}/locks");
        text.AppendLine(ci, $"    curl -X POST {simulator.AdminUrl}/locks/<deviceId>/thumbturn -d '{{\"locked\": false}}'");
        text.AppendLine(ci, $"    curl -X POST {simulator.AdminUrl}/locks/<deviceId>/offline");
        return text.ToString();
    }
}
