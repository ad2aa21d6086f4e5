using System.Collections;
using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Hosting;
using Schlage2Mqtt.Configuration;
using Schlage2Mqtt.Hosting;
using Schlage2Mqtt.Mqtt;
using Schlage2Mqtt.Simulator;

namespace Schlage2Mqtt.Cli;

/// <summary>
/// <c>demo</c>: the whole product against a simulated Schlage cloud with three locks of different models, on the
/// configured broker or, when none is configured, on a private mosquitto it starts. Prints what to try.
/// </summary>
internal static class DemoCommand
{
    public static Command Create(CliContext context)
    {
        var config = new Option<string?>("--config", "-c") { Description = "Use this config's broker and Home Assistant settings (default: a private mosquitto)", HelpName = "FILE" };
        var port = new Option<int>("--port") { Description = "Port of the private mosquitto (a free one when taken)", DefaultValueFactory = _ => 1883 };
        var latency = new Option<string>("--latency") { Description = "How long simulated locks take to act (e.g. 1500ms)", DefaultValueFactory = _ => "1500ms" };
        var command = new Command("demo", "Run the bridge against a simulated Schlage cloud (three demo locks) and a private mosquitto, until Ctrl+C.");
        command.Options.Add(config);
        command.Options.Add(port);
        command.Options.Add(latency);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var latencyValue = ConfigReader.ParseDuration(parse.GetValue(latency)!);
            if (latencyValue is null)
            {
                context.Error.WriteLine("demo: --latency must be a duration such as 1500ms or 2s");
                return 1;
            }
            var configPath = parse.GetValue(config);
            AppConfig? userConfig = null;
            if (configPath is not null)
            {
                var loaded = ConfigLoader.Load(configPath, context.Environment);
                if (!loaded.IsValid)
                {
                    ConfigErrorPrinter.Print(context.Error, configPath, loaded.Errors);
                    return 1;
                }
                userConfig = loaded.Config;
            }

            PrivateMosquitto? broker = null;
            if (userConfig is null)
            {
                var executable = PrivateMosquitto.Find();
                if (executable is null)
                {
                    context.Error.WriteLine("demo: mosquitto is not installed. Install it with `sudo apt-get install -y mosquitto mosquitto-clients`, or pass --config with your own broker.");
                    return 1;
                }
                broker = await PrivateMosquitto.StartAsync(executable, parse.GetValue(port), cancellationToken);
            }
            var dataDir = Path.Combine(Path.GetTempPath(), "schlage2mqtt-demo-" + Guid.NewGuid().ToString("N")[..8]);
            try
            {
                var world = DemoWorld.CreateOptions(seed: 1, port: 0, commandLatency: latencyValue);
                if (broker is not null)
                {
                    // The cloud's push channel is MQTT over WebSocket: the private broker's websocket listener plays AWS IoT.
                    world = world with { PushBrokerUrl = new Uri(broker.WebSocketUrl), PushPublishUrl = new Uri(broker.Url) };
                }
                await using var simulator = new SchlageCloudSimulator(world, TimeProvider.System);
                await simulator.StartAsync(cancellationToken);
                // The host below owns Ctrl+C/SIGTERM; everything started here is torn down after it stops.
                var demoConfig = BuildConfig(userConfig, broker, simulator, dataDir);
                if (demoConfig.Config is not { } appConfig)
                {
                    ConfigErrorPrinter.Print(context.Error, "demo", demoConfig.Errors);
                    return 1;
                }
                using var host = DaemonHost.Build(appConfig, context);
                await host.StartAsync(cancellationToken);
                context.Out.Write(Banner(appConfig, broker, simulator));
                await context.Out.FlushAsync(cancellationToken);
                await host.WaitForShutdownAsync(cancellationToken);
                return 0;
            }
            finally
            {
                if (broker is not null)
                {
                    await broker.DisposeAsync();
                }
                TryDelete(dataDir);
            }
        });
        return command;
    }

    private static ConfigLoadResult BuildConfig(AppConfig? user, PrivateMosquitto? broker, SchlageCloudSimulator simulator, string dataDir)
    {
        // The demo's own settings go through the normal loader, so they are validated like any user's file.
        var yaml = string.Create(CultureInfo.InvariantCulture, $"""
            mqtt:
              server: {broker?.Url ?? "mqtt://localhost:1883"}
            schlage:
              api_base_url: {simulator.ApiBaseUrl}
              cognito:
                endpoint: {simulator.CognitoUrl}
                user_pool_id: {simulator.Options.UserPoolId}
              accounts:
                - name: demo
                  username: {DemoWorld.Email}
                  password: '{DemoWorld.Password}'
            data_dir: {dataDir}
            """);
        var demo = ConfigLoader.Parse(yaml, Path.Combine(dataDir, "demo.yaml"), new Hashtable());
        if (!demo.IsValid)
        {
            return demo;
        }
        var config = demo.Config! with
        {
            // The simulated cloud cannot block anyone: poll faster than the real-cloud minimum so changes show sooner.
            Bridge = demo.Config!.Bridge with { PollInterval = TimeSpan.FromSeconds(5) },
        };
        if (user is not null)
        {
            // The user's broker and Home Assistant: the base topic and protocol travel with the broker settings.
            config = config with
            {
                Mqtt = user.Mqtt,
                MqttReconnect = user.MqttReconnect,
                Bridge = config.Bridge with
                {
                    BaseTopic = user.Bridge.BaseTopic,
                    MqttV5 = user.Bridge.MqttV5,
                    HomeAssistantEnabled = user.Bridge.HomeAssistantEnabled,
                    DiscoveryPrefix = user.Bridge.DiscoveryPrefix,
                    HomeAssistantStatusTopic = user.Bridge.HomeAssistantStatusTopic,
                    LegacyDiscovery = user.Bridge.LegacyDiscovery,
                },
                LogLevel = user.LogLevel,
                Http = user.Http,
            };
        }
        return demo with { Config = config };
    }

    private static string Banner(AppConfig config, PrivateMosquitto? broker, SchlageCloudSimulator simulator)
    {
        var address = MqttServerAddress.Parse(config.Mqtt.Server);
        var host = address.Host;
        var port = address.Port;
        var b = config.Bridge.BaseTopic;
        var admin = simulator.AdminUrl;
        return string.Create(CultureInfo.InvariantCulture, $$"""

            schlage2mqtt demo is running.
              MQTT broker:          {{config.Mqtt.Server}}{{(broker is null ? "" : " (a private mosquitto; it stops with the demo)")}}
              Simulated cloud:      {{simulator.ApiBaseUrl}} (admin API {{admin}})
              Locks:                Front Door (Encode Plus), Back Door (Encode), Garage Side (Sense via bridge)

            Watch everything:
              mosquitto_sub -h {{host}} -p {{port}} -v -t '{{b}}/#'
            Unlock the front door:
              mosquitto_pub -h {{host}} -p {{port}} -t '{{b}}/front_door/set' -m UNLOCK
            Lock the back door and get an answer:
              mosquitto_pub -h {{host}} -p {{port}} -t '{{b}}/bridge/request/lock' -m '{"lock": "back_door", "action": "lock"}'
              mosquitto_sub -h {{host}} -p {{port}} -C 1 -t '{{b}}/bridge/response/lock'
            Play the person at the door ({{(broker is null ? "the bridge sees it at the next poll, every 5 s here" : "pushed to the bridge at once, like the real cloud")}}):
              curl -X POST {{admin}}/locks/{{DemoWorld.FrontDoorId}}/keypad -d '{"code": "2580"}'       # press the "Family" code
              curl -X POST {{admin}}/locks/{{DemoWorld.BackDoorId}}/thumbturn -d '{"locked": true}'     # turn the thumbturn
              curl -X POST {{admin}}/locks/{{DemoWorld.GarageSideId}}/offline                            # take a lock offline
            Home Assistant on this broker discovers the three locks under MQTT.
            Press Ctrl+C to stop.

            """);
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
        }
    }
}
