using System.Text.Json.Serialization;
using Schlage2Mqtt.Bridge.State;

namespace Schlage2Mqtt.Bridge.AccessCodes;

/// <summary>
/// Keeps access-code operations in <c>data_dir/access_codes.json</c> (mode 0600): every change is written before the
/// step it describes is taken, so no operation is lost and none is applied twice across a crash.
/// </summary>
/// <remarks>
/// Thread-safe: the operations are guarded by their own monitor; the file is written from a snapshot taken inside the
/// state store's write gate, so of two racing saves the later snapshot is the one that lands.
/// </remarks>
internal sealed class CodeOperationStore(StateStore? store)
{
    private const string Document = "access_codes";
    private readonly Dictionary<string, CodeOperation> _operations = Load(store);

    public IReadOnlyList<CodeOperation> All
    {
        get { lock (_operations) { return [.. _operations.Values.OrderBy(o => o.CreatedAt).ThenBy(o => o.Id, StringComparer.Ordinal)]; } }
    }

    public CodeOperation? Get(string id)
    {
        lock (_operations)
        {
            return _operations.GetValueOrDefault(id);
        }
    }

    public async Task SaveAsync(CodeOperation operation, CancellationToken cancellationToken)
    {
        lock (_operations)
        {
            _operations[operation.Id] = operation;
        }
        await FlushAsync(cancellationToken);
    }

    /// <summary>
    /// The UTC offset of the latest Temporary schedule stored for <paramref name="codeId"/>: the cloud keeps only
    /// instants, and a schedule is shown back with the offset the user gave it.
    /// </summary>
    public TimeSpan? TemporaryOffset(string codeId) =>
        CodeMatching.ScheduleOrNull(All.Where(o => o.CodeId == codeId && o.ScheduleJson is not null).OrderBy(o => o.CreatedAt).LastOrDefault()?.ScheduleJson)
            is CodeSchedule.Temporary t ? t.Start.Offset : null;

    /// <summary>Forgets settled operations older than <paramref name="before"/> (their result has been published).</summary>
    public async Task PruneAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        bool removed;
        lock (_operations)
        {
            var old = _operations.Values.Where(o => o.IsSettled && o.SettledAt < before).Select(o => o.Id).ToList();
            old.ForEach(id => _operations.Remove(id));
            removed = old.Count > 0;
        }
        if (removed)
        {
            await FlushAsync(cancellationToken);
        }
    }

    private Task FlushAsync(CancellationToken cancellationToken) =>
        store is null
            ? Task.CompletedTask
            : store.WriteSnapshotAsync(Document, Snapshot, CodeOperationJson.Default.CodeOperationDocument, cancellationToken);

    private CodeOperationDocument Snapshot()
    {
        lock (_operations)
        {
            return new CodeOperationDocument([.. _operations.Values]);
        }
    }

    private static Dictionary<string, CodeOperation> Load(StateStore? store) =>
        (store?.ReadRecordList(Document, "operations", CodeOperationJson.Default.CodeOperation, o => o.Id, CodeOperationRecord.Problem) ?? [])
            .ToDictionary(o => o.Id, StringComparer.Ordinal);
}

/// <summary>The persisted operations.</summary>
internal sealed record CodeOperationDocument(List<CodeOperation> Operations);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, UseStringEnumConverter = true, WriteIndented = true,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(CodeOperationDocument))]
[JsonSerializable(typeof(CodeOperation))]
internal sealed partial class CodeOperationJson : JsonSerializerContext;
