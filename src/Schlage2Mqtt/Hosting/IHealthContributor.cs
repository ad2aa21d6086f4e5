using System.Text.Json.Nodes;

namespace Schlage2Mqtt.Hosting;

/// <summary>One part of the process's health, reported under its name by <c>GET /health</c>.</summary>
internal interface IHealthContributor
{
    string Name { get; }

    /// <summary>Whether this part is healthy, and details for humans.</summary>
    (bool Healthy, JsonObject Details) Check();
}
