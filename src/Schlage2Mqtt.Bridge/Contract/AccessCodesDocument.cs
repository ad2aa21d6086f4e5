using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Schlage2Mqtt.Bridge.Contract;

/// <summary>
/// The retained <c>&lt;lock&gt;/access_codes</c> document, also the answer to <c>access_code/list</c>: the lock's codes
/// merged with the bridge's operations on them.
/// </summary>
/// <param name="Lock">The lock's topic id.</param>
/// <param name="Codes">The codes, PINs masked unless <c>access_codes.expose_codes</c>.</param>
/// <param name="Pending">Operations not yet settled.</param>
/// <param name="ReadAt">When the codes were last read from the cloud; null before the first read.</param>
public sealed record AccessCodesDocument(string Lock, IReadOnlyList<AccessCodeView> Codes, int Pending, DateTimeOffset? ReadAt);

/// <summary>
/// One code: <c>{"id", "name", "code", "accessor_type", "schedule", "notify_on_use", "disabled", "status", "error",
/// "operation_id"}</c>; in the answer to an access-code request also <c>lock</c>.
/// </summary>
/// <param name="Id">The cloud's id; null until the cloud lists an added code.</param>
/// <param name="Name">The code's name.</param>
/// <param name="Code">The PIN, or <c>****</c>.</param>
/// <param name="AccessorType">The requester's classification (e.g. Guest), shown back.</param>
/// <param name="Schedule">When the code works, in the contract's schedule JSON.</param>
/// <param name="NotifyOnUse">Whether the owner is notified when it is used.</param>
/// <param name="Disabled">The cloud's disabled flag; null when the cloud has not listed the code.</param>
/// <param name="Status"><c>setting</c>, <c>removing</c>, <c>set</c>, <c>removed</c>, <c>failed</c> or <c>unknown</c>.</param>
/// <param name="Error">Why the last operation failed.</param>
/// <param name="OperationId">The last operation on the code.</param>
public sealed record AccessCodeView(
    string? Id,
    string? Name,
    string? Code,
    string? AccessorType,
    JsonNode? Schedule,
    bool? NotifyOnUse,
    bool? Disabled,
    string Status,
    BridgeError? Error,
    string? OperationId)
{
    /// <summary>The lock's topic id, in request answers only (the document names its lock once).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Lock { get; init; }
}
