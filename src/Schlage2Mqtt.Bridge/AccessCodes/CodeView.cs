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

    public static AccessCodeView Of(CloudAccessCode code, CodeOperation? operation, bool expose, TimeSpan? offset) => new(
        code.Id,
        code.Name,
        expose ? code.Code : Mask,
        operation?.AccessorType,
        ScheduleJson.Write(ScheduleMapper.FromCloud(code.ActivationSecs, code.ExpirationSecs, code.Schedule1, code.Schedule2, offset)),
        operation?.NotifyOnUse ?? code.NotifyOnUse,
        code.Disabled,
        (operation?.Status ?? CodeStatus.Set).ToWire(),
        Error(operation),
        operation?.Id);

    /// <summary>A code known only from an operation (an add not yet visible, or one that failed).</summary>
    public static AccessCodeView Of(CodeOperation operation, bool expose) => new(
        operation.CodeId,
        operation.Name,
        expose ? operation.Pin ?? Mask : Mask,
        operation.AccessorType,
        operation.ScheduleJson is null ? null : JsonNode.Parse(operation.ScheduleJson),
        operation.NotifyOnUse,
        Disabled: null,
        operation.Status.ToWire(),
        Error(operation),
        operation.Id);

    /// <summary>A payload record as a node, for request answers (their data is JSON of any shape).</summary>
    public static JsonNode Node(AccessCodeView view) => JsonSerializer.SerializeToNode(view, ContractJson.Default.AccessCodeView)!;

    /// <summary>A lock's codes document as a node, for request answers.</summary>
    public static JsonNode Node(AccessCodesDocument document) => JsonSerializer.SerializeToNode(document, ContractJson.Default.AccessCodesDocument)!;

    private static BridgeError? Error(CodeOperation? operation) => operation?.ErrorCode is null
        ? null
        : new BridgeError(operation.ErrorCode, operation.ErrorMessage ?? operation.ErrorCode, AccessCodeErrorCodes.Hint(operation.ErrorCode));
}
