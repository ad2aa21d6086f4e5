using System.Text.Json;
using Schlage2Mqtt.Simulator.Cloud;
using Schlage2Mqtt.Simulator.Faults;

namespace Schlage2Mqtt.Simulator.Api;

/// <summary>
/// An authenticated REST call, detached from HttpContext so a handler can also run later
/// (a 504 whose write still lands). <see cref="WebIdentityToken"/> is the <c>X-Web-Identity-Token</c> header
/// (<c>users/wss</c> needs it).
/// </summary>
internal sealed record ApiCall(
    ApiEndpoint Endpoint,
    IReadOnlyDictionary<string, string> Route,
    IReadOnlyDictionary<string, string> Query,
    byte[] Body,
    AccountState Account,
    string? WebIdentityToken = null)
{
    public string? DeviceId => Route.GetValueOrDefault("deviceId");

    public JsonElement JsonBody()
    {
        if (Body.Length == 0)
        {
            throw CloudException.BadRequest("A JSON request body is required");
        }
        try
        {
            using var doc = JsonDocument.Parse(Body);
            return doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw CloudException.BadRequest("The request body is not valid JSON");
        }
    }
}

/// <summary>A REST operation's implementation.</summary>
internal delegate ValueTask<ApiResult> ApiHandler(ApiCall call, CancellationToken cancellationToken);
