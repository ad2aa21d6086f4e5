using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Schlage2Mqtt.Configuration;
using Schlage2Mqtt.Hosting;

namespace Schlage2Mqtt.Cli;

/// <summary><c>run</c>: the daemon. Exits 0 after a clean stop (SIGTERM/SIGINT), 1 when the configuration is invalid.</summary>
internal static class RunCommand
{
    public static Command Create(CliContext context)
    {
        var config = CommandLine.ConfigOption();
        var command = new Command("run", "Run the bridge until stopped (SIGTERM or Ctrl+C).");
        command.Options.Add(config);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(config)!;
            var result = ConfigLoader.Load(path, context.Environment);
            if (!result.IsValid)
            {
                ConfigErrorPrinter.Print(context.Error, path, result.Errors);
                return 1;
            }
            IHost host;
            try
            {
                host = DaemonHost.Build(result.Config!, context);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                context.Error.WriteLine($"data_dir: cannot use {result.Config!.DataDir}: {ex.Message}. Create it or fix its owner and permissions");
                return 1;
            }
            catch (Exception ex) when (ex is ArgumentException or Microsoft.Extensions.Options.OptionsValidationException)
            {
                context.Error.WriteLine($"{path}: {ex.Message}");
                return 1;
            }
            using (host)
            {
                await host.RunAsync(cancellationToken);
            }
            return 0;
        });
        return command;
    }
}
