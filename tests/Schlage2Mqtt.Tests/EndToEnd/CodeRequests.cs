using System.Text.Json.Nodes;

namespace Schlage2Mqtt.Tests.EndToEnd;

/// <summary>Sends access-code requests through the broker and returns the matching response, like a Node-RED flow.</summary>
internal static class CodeRequests
{
    public static async Task<JsonNode> SendAsync(BridgeWorld world, string operation, JsonObject body, TimeSpan? limit = null)
    {
        var transaction = Guid.NewGuid().ToString("N");
        body["transaction"] = transaction;
        var mark = world.Observer.Mark();
        await world.Observer.PublishAsync($"schlage2mqtt/bridge/request/access_code/{operation}", body.ToJsonString());
        var response = await world.Observer.WaitOnAsync($"schlage2mqtt/bridge/response/access_code/{operation}",
            p => p.Contains(transaction, StringComparison.Ordinal), mark, limit ?? TimeSpan.FromSeconds(120));
        return JsonNode.Parse(response.Payload)!;
    }

    public static string? Status(JsonNode response) => response["data"]?["status"]?.GetValue<string>();

    public static string? ErrorCode(JsonNode response) => response["error"]?["code"]?.GetValue<string>();

    /// <summary>The latest retained code list of a lock.</summary>
    public static JsonArray Codes(BridgeWorld world, string topicId)
    {
        var last = world.Observer.On($"schlage2mqtt/{topicId}/access_codes").LastOrDefault();
        return last is null ? [] : JsonNode.Parse(last.Payload)!["codes"]!.AsArray();
    }

    public static Task<Observed> WaitForCodesAsync(BridgeWorld world, string topicId, Func<JsonArray, bool> condition, int since = 0) =>
        world.Observer.WaitAsync(m => m.Topic == $"schlage2mqtt/{topicId}/access_codes" && m.Payload.Length > 0
            && condition(JsonNode.Parse(m.Payload)!["codes"]!.AsArray()), since, TimeSpan.FromSeconds(120), $"{topicId} access codes");
}
