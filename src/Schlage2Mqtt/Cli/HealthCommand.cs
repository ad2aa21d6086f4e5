using System.CommandLine;

namespace Schlage2Mqtt.Cli;

/// <summary><c>health</c>: probes a running bridge's health endpoint; for Docker HEALTHCHECK and exec probes.</summary>
internal static class HealthCommand
{
    public static Command Create(CliContext context)
    {
        var url = new Option<string>("--url")
        {
            Description = "Health endpoint of the running bridge (its http.listen address)",
            DefaultValueFactory = _ => "http://127.0.0.1:8080/health",
            HelpName = "URL",
        };
        url.Validators.Add(result =>
        {
            if (!Uri.TryCreate(result.GetValueOrDefault<string>(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                result.AddError("--url must be an http(s) URL, e.g. http://127.0.0.1:8080/health");
            }
        });
        var command = new Command("health", "Ask a running bridge whether it is healthy. Exit 0 when healthy, 1 otherwise.");
        command.Options.Add(url);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var target = new Uri(parse.GetValue(url)!);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            try
            {
                using var response = await http.GetAsync(target, cancellationToken);
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                context.Out.WriteLine(body);
                return response.IsSuccessStatusCode ? 0 : 1;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                context.Error.WriteLine($"health: no answer from {target}: {ex.Message}. Is the bridge running with http.listen set?");
                return 1;
            }
        });
        return command;
    }
}
