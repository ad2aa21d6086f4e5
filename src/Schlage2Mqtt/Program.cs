using Schlage2Mqtt.Cli;

return await CommandLine.InvokeAsync(args, CliContext.FromProcess());
