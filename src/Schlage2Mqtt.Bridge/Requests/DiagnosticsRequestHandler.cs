using System.Text.Json.Nodes;
using Schlage2Mqtt.Bridge.Runtime;

namespace Schlage2Mqtt.Bridge.Requests;

/// <summary>
/// <c>diagnostics</c>: <c>{lock}</c>; answers the lock's raw cloud document, redacted by the provider's allow-list
/// (identifiers, tokens, serials, MACs and names replaced, keys kept), beside what the bridge made of it. It is what a
/// user attaches to a bug report when a real cloud differs from what the bridge expects, as Home Assistant's
/// integration offers.
/// </summary>
internal sealed class DiagnosticsRequestHandler(LockRegistry registry) : IBridgeRequestHandler
{
    private const string Hint = "Send {\"lock\": \"front_door\"}.";

    public string Operation => "diagnostics";

    public async Task<RequestResult> HandleAsync(BridgeRequest request, CancellationToken cancellationToken)
    {
        var (lockId, error) = request.RequiredString("lock", Hint);
        if (error is not null)
        {
            return RequestResult.Fail(error);
        }
        var entry = registry.Find(lockId!);
        if (entry is null)
        {
            return RequestResult.Fail(registry.UnknownLock(lockId!));
        }
        var document = await entry.Account.Account.GetDiagnosticsAsync(entry.DeviceId, cancellationToken);
        if (!document.IsSuccess)
        {
            return RequestResult.Fail(CloudErrors.ToBridgeError(document.Failure, "Reading the lock's cloud document"));
        }
        return RequestResult.Ok(new JsonObject
        {
            ["lock"] = entry.TopicId,
            ["provider"] = entry.Account.Provider,
            ["model"] = entry.Cloud.ModelName,
            ["device_type"] = entry.Cloud.DeviceType,
            ["raw_state"] = entry.Cloud.RawState,
            ["published"] = (entry.Published is null ? null : System.Text.Json.JsonSerializer.SerializeToNode(entry.Published, Contract.LockStateJson.TypeInfo)),
            ["cloud_document"] = document.Value,
        });
    }
}
