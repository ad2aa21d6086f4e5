using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Configuration;

namespace Schlage2Mqtt.Hosting;

/// <summary>
/// Serves <c>GET /health</c> on <c>http.listen</c> (200 when healthy, 503 otherwise) for Docker and orchestrators.
/// A separate small Kestrel app, so the daemon carries no web server at all when the listener is off.
/// </summary>
internal sealed class HealthEndpoint(AppConfig config, HealthReporter reporter, ILoggerProvider logs, ILogger<HealthEndpoint> logger) : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new NonDisposingProvider(logs));
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        // The daemon's host owns SIGTERM/SIGINT; this inner web app must not hook them too.
        builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();
        builder.WebHost.ConfigureKestrel(k => k.Listen(ParseEndpoint(config.Http.Listen!)));
        var app = builder.Build();
        app.MapGet("/health", (HttpContext context) =>
        {
            var (healthy, document) = reporter.Report();
            context.Response.StatusCode = healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync(document.ToJsonString(), context.RequestAborted);
        });
        await app.StartAsync(cancellationToken);
        _app = app;
        logger.LogInformation("Health endpoint listening on http://{Listen}/health", config.Http.Listen);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    internal static IPEndPoint ParseEndpoint(string listen)
    {
        var idx = listen.LastIndexOf(':');
        var host = listen[..idx].Trim('[', ']');
        var address = host == "localhost" ? IPAddress.Loopback : IPAddress.Parse(host);
        return new IPEndPoint(address, int.Parse(listen[(idx + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    // The inner web app must not dispose the daemon's shared logger provider when it stops.
    private sealed class NonDisposingProvider(ILoggerProvider inner) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => inner.CreateLogger(categoryName);

        public void Dispose()
        {
        }
    }
}
