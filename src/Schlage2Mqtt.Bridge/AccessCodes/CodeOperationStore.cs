using System.Text.Json.Serialization;
using Schlage2Mqtt.Bridge.State;

namespace Schlage2Mqtt.Bridge.AccessCodes;

/// <summary>
/// Keeps access-code operations in <c>data_dir/access_codes.json</c> (mode 0600): every change is written before the
/// step it describes is taken, so no operation is lost and none is applied twice across a crash.
/// </summary>
internal sealed class CodeOperationStore(StateStore? store) : IDisposable
{
    private const string Document = "access_codes";
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, CodeOperation> _operations = Load(store);

    public IReadOnlyList<CodeOperation> All
    {
        get { lock (_operations) { return [.. _operations.Values.OrderBy(o => o.CreatedAt).ThenBy(o => o.Id, StringComparer.Ordinal)]; } }
    }

    public void Dispose() => _gate.Dispose();

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

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (store is null)
        {
            return;
        }
        await _gate.WaitAsync(cancellationToken);
        try
        {
            CodeOperationDocument document;
            lock (_operations)
            {
                document = new CodeOperationDocument([.. _operations.Values]);
            }
            await store.WriteAsync(Document, document, CodeOperationJson.Default.CodeOperationDocument, cancellationToken);
        }
        finally
        {
            _gate.Release();
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
