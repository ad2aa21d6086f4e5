using System.Text.Json.Nodes;

namespace Schlage2Mqtt.Hosting;

/// <summary>Combines every <see cref="IHealthContributor"/> into the health document.</summary>
internal sealed class HealthReporter(TimeProvider time, IEnumerable<IHealthContributor> contributors)
{
    private readonly DateTimeOffset _started = time.GetUtcNow();

    public (bool Healthy, JsonObject Document) Report()
    {
        var healthy = true;
        var checks = new JsonObject();
        foreach (var contributor in contributors)
        {
            var (ok, details) = contributor.Check();
            healthy &= ok;
            details["healthy"] = ok;
            checks[contributor.Name] = details;
        }
        var document = new JsonObject
        {
            ["healthy"] = healthy,
            ["version"] = BuildInfo.Version,
            ["uptime_s"] = (long)(time.GetUtcNow() - _started).TotalSeconds,
            ["checks"] = checks,
        };
        return (healthy, document);
    }
}
