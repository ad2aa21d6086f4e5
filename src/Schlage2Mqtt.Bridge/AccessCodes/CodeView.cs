using System.Text.Json;
using System.Text.Json.Nodes;
using Schlage2Mqtt.Bridge.Contract;
using Schlage2Mqtt.Cloud;

namespace Schlage2Mqtt.Bridge.AccessCodes;

/// <summary>
/// How codes appear on <c>&lt;lock&gt;/access_codes</c> and in responses: the cloud's list merged with the bridge's
/// operations. PINs are <c>****</c> unless <c>access_codes.expose_codes</c> is on.
/// </summary>
internal static class CodeView
{
    public const string Mask = "****";

    public static JsonObject Of(CloudAccessCode code, CodeOperation? operation, bool expose, TimeSpan? offset) => new()
    {
        ["id"] = code.Id,
        ["name"] = code.Name,
        ["code"] = expose ? code.Code : Mask,
        ["accessor_type"] = operation?.AccessorType,
        ["schedule"] = ScheduleJson.Write(ScheduleMapper.FromCloud(code.ActivationSecs, code.ExpirationSecs, code.Schedule1, code.Schedule2, offset)),
        ["notify_on_use"] = operation?.NotifyOnUse ?? code.NotifyOnUse,
        ["disabled"] = code.Disabled,
        ["status"] = (operation?.Status ?? CodeStatus.Set).ToWire(),
        ["error"] = Error(operation),
        ["operation_id"] = operation?.Id,
    };

    /// <summary>A code known only from an operation (an add not yet visible, or one that failed).</summary>
    public static JsonObject Of(CodeOperation operation, bool expose) => new()
    {
        ["id"] = operation.CodeId,
        ["name"] = operation.Name,
        ["code"] = expose ? operation.Pin ?? Mask : Mask,
        ["accessor_type"] = operation.AccessorType,
        ["schedule"] = operation.ScheduleJson is null ? null : JsonNode.Parse(operation.ScheduleJson),
        ["notify_on_use"] = operation.NotifyOnUse,
        ["disabled"] = null,
        ["status"] = operation.Status.ToWire(),
        ["error"] = Error(operation),
        ["operation_id"] = operation.Id,
    };

    private static JsonNode? Error(CodeOperation? operation) => operation?.ErrorCode is null
        ? null
        : JsonSerializer.SerializeToNode(new BridgeError(operation.ErrorCode, operation.ErrorMessage ?? operation.ErrorCode, AccessCodeErrorCodes.Hint(operation.ErrorCode)), ContractJson.Default.BridgeError);
}
