using System.Text.Json.Serialization.Metadata;

namespace Schlage2Mqtt.Bridge.State;

/// <summary>
/// A set of records keyed by id, kept in one state file (<c>data_dir/&lt;name&gt;.json</c>, mode 0600) as a document with
/// one list: every change is written before the call returns, so what a caller acts on next has reached the disk.
/// Loading goes record by record, like every state file: a bad record is dropped and reported, never a crash at start.
/// </summary>
/// <remarks>
/// Thread-safe: the records are guarded by their own monitor; the file is written from a snapshot taken inside the
/// state store's write gate, so of two racing writes the later snapshot is the one that lands (an older state never
/// overwrites a newer one). Without a store (tests, no data_dir) the set lives in memory only.
/// </remarks>
/// <typeparam name="TRecord">The record.</typeparam>
/// <typeparam name="TDocument">The file's document: the records under one property.</typeparam>
internal sealed class DurableRecordSet<TRecord, TDocument>
    where TRecord : class
{
    private readonly StateStore? _store;
    private readonly string _name;
    private readonly Func<List<TRecord>, TDocument> _document;
    private readonly JsonTypeInfo<TDocument> _documentType;
    private readonly Dictionary<string, TRecord> _records;
    private readonly Func<TRecord, string> _keyOf;

    /// <param name="store">Where the file lives; null keeps the records in memory.</param>
    /// <param name="name">The state file's name, without <c>.json</c>.</param>
    /// <param name="property">The document's list property, as written (snake_case).</param>
    /// <param name="recordType">How one record is read.</param>
    /// <param name="documentType">How the document is written.</param>
    /// <param name="document">Wraps the records into the document.</param>
    /// <param name="keyOf">A record's id.</param>
    /// <param name="problem">Why a loaded record is unusable, or null when it is fine.</param>
    public DurableRecordSet(StateStore? store, string name, string property, JsonTypeInfo<TRecord> recordType, JsonTypeInfo<TDocument> documentType,
        Func<List<TRecord>, TDocument> document, Func<TRecord, string> keyOf, Func<TRecord, string?>? problem = null)
    {
        _store = store;
        _name = name;
        _document = document;
        _documentType = documentType;
        _keyOf = keyOf;
        _records = (store?.ReadRecordList(name, property, recordType, r => keyOf(r), problem) ?? [])
            .ToDictionary(keyOf, StringComparer.Ordinal);
    }

    /// <summary>A copy of the records, in no particular order.</summary>
    public List<TRecord> Values
    {
        get { lock (_records) { return [.. _records.Values]; } }
    }

    /// <summary>The record with <paramref name="id"/>, or null.</summary>
    public TRecord? Get(string id)
    {
        lock (_records)
        {
            return _records.GetValueOrDefault(id);
        }
    }

    /// <summary>Adds or replaces a record, then writes the file.</summary>
    public Task PutAsync(TRecord record, CancellationToken cancellationToken)
    {
        lock (_records)
        {
            _records[_keyOf(record)] = record;
        }
        return FlushAsync(cancellationToken);
    }

    /// <summary>Removes the records <paramref name="match"/> selects and writes the file if any went; true when any did.</summary>
    public async Task<bool> RemoveWhereAsync(Func<TRecord, bool> match, CancellationToken cancellationToken)
    {
        bool removed;
        lock (_records)
        {
            var gone = _records.Values.Where(match).Select(_keyOf).ToList();
            gone.ForEach(id => _records.Remove(id));
            removed = gone.Count > 0;
        }
        if (removed)
        {
            await FlushAsync(cancellationToken);
        }
        return removed;
    }

    private Task FlushAsync(CancellationToken cancellationToken) =>
        _store is null ? Task.CompletedTask : _store.WriteSnapshotAsync(_name, Snapshot, _documentType, cancellationToken);

    private TDocument Snapshot()
    {
        lock (_records)
        {
            return _document([.. _records.Values]);
        }
    }
}
