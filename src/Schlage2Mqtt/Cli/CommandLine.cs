using System.CommandLine;

namespace Schlage2Mqtt.Cli;

/// <summary>The <c>schlage2mqtt</c> command line: one subcommand per job, each in its own file.</summary>
internal static class CommandLine
{
    private const string Examples = """
        Bridges Schlage Wi-Fi smart locks from the Schlage cloud to MQTT and Home Assistant.

        Examples:
          schlage2mqtt demo                                try it: simulated cloud, private broker, three locks
          schlage2mqtt login --config config.yaml          sign in once; the refresh token is kept, not the password
          schlage2mqtt check-config --config config.yaml   validate a config, print it with secrets redacted
          schlage2mqtt run --config config.yaml            run the bridge
          schlage2mqtt health --url http://127.0.0.1:8080/health
                                                           probe a running bridge (exit 0 when healthy)
          schlage2mqtt simulator --port 8480                serve the simulated Schlage cloud alone
          S2M__MQTT__SERVER=mqtts://broker:8883 schlage2mqtt run --config config.yaml
                                                           override any key from the environment
        """;

    public static Task<int> InvokeAsync(string[] args, CliContext context, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand(Examples);
        root.Subcommands.Add(RunCommand.Create(context));
        root.Subcommands.Add(CheckConfigCommand.Create(context));
        root.Subcommands.Add(HealthCommand.Create(context));
        root.Subcommands.Add(LoginCommand.Create(context));
        root.Subcommands.Add(SimulatorCommand.Create(context));
        root.Subcommands.Add(DemoCommand.Create(context));
        var invocation = new InvocationConfiguration
        {
            Output = context.Out,
            Error = context.Error,
            // The generic host owns SIGTERM/SIGINT (graceful stop within 5 s); the parser must not race it.
            ProcessTerminationTimeout = null,
        };
        return root.Parse(args).InvokeAsync(invocation, cancellationToken);
    }

    /// <summary>The <c>--config</c> option shared by commands that read a configuration file.</summary>
    public static Option<string> ConfigOption() => new("--config", "-c")
    {
        Description = "Path of the YAML configuration file",
        DefaultValueFactory = _ => "config.yaml",
        HelpName = "FILE",
    };
}
