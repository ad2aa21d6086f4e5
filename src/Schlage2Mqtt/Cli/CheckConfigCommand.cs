using System.CommandLine;
using Schlage2Mqtt.Configuration;

namespace Schlage2Mqtt.Cli;

/// <summary><c>check-config</c>: validates a configuration and prints the effective result with secrets redacted.</summary>
internal static class CheckConfigCommand
{
    public static Command Create(CliContext context)
    {
        var config = CommandLine.ConfigOption();
        var command = new Command("check-config", "Validate a configuration file and print the effective configuration (secrets redacted). Exit 0 when valid, 1 otherwise.");
        command.Options.Add(config);
        command.SetAction(parse =>
        {
            var path = parse.GetValue(config)!;
            var result = ConfigLoader.Load(path, context.Environment);
            if (!result.IsValid)
            {
                ConfigErrorPrinter.Print(context.Error, path, result.Errors);
                return 1;
            }
            context.Out.Write(result.EffectiveYaml);
            context.Error.WriteLine($"{path}: configuration is valid.");
            return 0;
        });
        return command;
    }
}
