using System.CommandLine;
using System.CommandLine.Parsing;
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
        var port = new Option<int>("--port")
        {
            Description = "Port on 127.0.0.1 (0 picks a free one)",
            DefaultValueFactory = _ => 8480,
            // A validator reading an unparseable value throws (exit 134); parsing here turns it into a usage error.
            CustomParser = ParsePort,
        };
        var seed = new Option<int>("--seed") { Description = "Seed for generated ids (same seed, same world)", DefaultValueFactory = _ => 1 };
        var latency = new Option<string>("--latency") { Description = "How long locks take to act on remote commands (e.g. 2s, 500ms)", DefaultValueFactory = _ => "2s" };
        var pushBroker = new Option<Uri?>("--push-broker")
        {
            Description = "MQTT-over-WebSocket URL of a broker that plays the cloud's push channel (e.g. ws://127.0.0.1:9001/mqtt); without it users/wss answers 404",
            HelpName = "URL",
            // System.CommandLine has no converter for Uri (it threw while parsing), so the option parses its own.
            CustomParser = r => ParseUrl(r, "--push-broker", ["ws", "wss"], "a ws:// or wss:// URL, e.g. ws://127.0.0.1:9001/mqtt"),
        };
        var pushPublish = new Option<Uri?>("--push-publish")
        {
            Description = "Where the simulator publishes to that same broker (e.g. mqtt://127.0.0.1:1883; default: --push-broker)",
            HelpName = "URL",
            CustomParser = r => ParseUrl(r, "--push-publish", ["mqtt", "mqtts", "ws", "wss"], "an mqtt://, mqtts://, ws:// or wss:// URL, e.g. mqtt://127.0.0.1:1883"),
        };
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

    private static int ParsePort(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value <= 65535)
        {
            return value;
        }
        result.AddError($"--port must be a port number 0-65535 (got '{text}')");
        return 0;
    }

    private static Uri? ParseUrl(ArgumentResult result, string option, string[] schemes, string expected)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        if (Uri.TryCreate(text, UriKind.Absolute, out var url) && schemes.Contains(url.Scheme, StringComparer.Ordinal))
        {
            return url;
        }
        result.AddError($"{option} must be {expected} (got '{text}')");
        return null;
    }
}
