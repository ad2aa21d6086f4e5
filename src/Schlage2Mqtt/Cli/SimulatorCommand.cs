using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Configuration;
using Schlage2Mqtt.Logging;
using Schlage2Mqtt.Simulator;

namespace Schlage2Mqtt.Cli;

/// <summary><c>simulator</c>: serves the fake Schlage cloud (demo world) on loopback for trying the bridge or developing.</summary>
internal static class SimulatorCommand
{
    public static Command Create(CliContext context)
    {
        var port = new Option<int>("--port") { Description = "Port on 127.0.0.1 (0 picks a free one)", DefaultValueFactory = _ => 8480 };
        var seed = new Option<int>("--seed") { Description = "Seed for generated ids (same seed, same world)", DefaultValueFactory = _ => 1 };
        var latency = new Option<string>("--latency") { Description = "How long locks take to act on remote commands (e.g. 2s, 500ms)", DefaultValueFactory = _ => "2s" };
        var pushBroker = new Option<Uri?>("--push-broker")
        {
            Description = "MQTT-over-WebSocket URL of a broker that plays the cloud's push channel (e.g. ws://127.0.0.1:9001/mqtt); without it users/wss answers 404",
            HelpName = "URL",
        };
        var pushPublish = new Option<Uri?>("--push-publish")
        {
            Description = "Where the simulator publishes to that same broker (e.g. mqtt://127.0.0.1:1883; default: --push-broker)",
            HelpName = "URL",
        };
        pushBroker.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<Uri?>() is { } u && !(u.IsAbsoluteUri && u.Scheme is "ws" or "wss"))
            {
                r.AddError("--push-broker must be a ws:// or wss:// URL, e.g. ws://127.0.0.1:9001/mqtt");
            }
        });
        pushPublish.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<Uri?>() is { } u && !(u.IsAbsoluteUri && u.Scheme is "mqtt" or "mqtts" or "ws" or "wss"))
            {
                r.AddError("--push-publish must be an mqtt://, mqtts://, ws:// or wss:// URL");
            }
        });
        port.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 0 or > 65535)
            {
                r.AddError("--port must be 0-65535");
            }
        });
        latency.Validators.Add(r =>
        {
            if (ConfigReader.ParseDuration(r.GetValueOrDefault<string>() ?? "") is null)
            {
                r.AddError("--latency must be a duration such as 2s or 500ms");
            }
        });
        var command = new Command("simulator", "Serve a simulated Schlage cloud (Cognito, REST, admin API) on loopback with three demo locks, until Ctrl+C.");
        command.Options.Add(port);
        command.Options.Add(seed);
        command.Options.Add(latency);
        command.Options.Add(pushBroker);
        command.Options.Add(pushPublish);
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var signal = new ShutdownSignal(cancellationToken);
            using var loggers = LoggerFactory.Create(b => b
                .AddProvider(new RedactingConsoleLoggerProvider(new SecretRedactor(), TimeProvider.System, context.Error))
                .SetMinimumLevel(LogLevel.Warning));
            var options = new SimulatorHostOptions
            {
                Port = parse.GetValue(port),
                Seed = parse.GetValue(seed),
                CommandLatency = ConfigReader.ParseDuration(parse.GetValue(latency)!)!.Value,
                PushBrokerUrl = parse.GetValue(pushBroker),
                PushPublishUrl = parse.GetValue(pushPublish),
            };
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Starting the simulator on 127.0.0.1:{options.Port} (Ctrl+C stops it)"));
            try
            {
                return await SimulatorHost.RunAsync(options, context.Out, loggers, signal.Token);
            }
            catch (IOException ex)
            {
                context.Error.WriteLine($"simulator: cannot listen on 127.0.0.1:{options.Port}: {ex.Message}. Pass --port 0 for a free port.");
                return 1;
            }
        });
        return command;
    }
}
