using System.Text.Json.Serialization;
using Schlage2Mqtt.Bridge.State;

namespace Schlage2Mqtt.Bridge.AccessCodes;

/// <summary>
/// Keeps access-code operations in <c>data_dir/access_codes.json</c> (mode 0600): every change is written before the
/// step it describes is taken, so no operation is lost and none is applied twice across a crash.
/// </summary>
/// <remarks>Thread-safe, as <see cref="DurableRecordSet{TRecord, TDocument}"/> is.</remarks>
internal sealed class CodeOperationStore(StateStore? store)
{
    private readonly DurableRecordSet<CodeOperation, CodeOperationDocument> _operations = new(
        store, "access_codes", "operations", CodeOperationJson.Default.CodeOperation, CodeOperationJson.Default.CodeOperationDocument,
        operations => new CodeOperationDocument(operations), o => o.Id, CodeOperationRecord.Problem);

    public IReadOnlyList<CodeOperation> All =>
        [.. _operations.Values.OrderBy(o => o.CreatedAt).ThenBy(o => o.Id, StringComparer.Ordinal)];

    public CodeOperation? Get(string id) => _operations.Get(id);

    public Task SaveAsync(CodeOperation operation, CancellationToken cancellationToken) => _operations.PutAsync(operation, cancellationToken);

    /// <summary>
    /// The UTC offset of the latest Temporary schedule stored for <paramref name="codeId"/>: the cloud keeps only
    /// instants, and a schedule is shown back with the offset the user gave it.
    /// </summary>
    public TimeSpan? TemporaryOffset(string codeId) =>
        CodeMatching.ScheduleOrNull(All.Where(o => o.CodeId == codeId && o.ScheduleJson is not null).OrderBy(o => o.CreatedAt).LastOrDefault()?.ScheduleJson)
            is CodeSchedule.Temporary t ? t.Start.Offset : null;

    /// <summary>Forgets settled operations older than <paramref name="before"/> (their result has been published).</summary>
    public Task PruneAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        _operations.RemoveWhereAsync(o => o.IsSettled && o.SettledAt < before, cancellationToken);
}

/// <summary>The persisted operations.</summary>
internal sealed record CodeOperationDocument(List<CodeOperation> Operations);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, UseStringEnumConverter = true, WriteIndented = true,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(CodeOperationDocument))]
[JsonSerializable(typeof(CodeOperation))]
internal sealed partial class CodeOperationJson : JsonSerializerContext;
