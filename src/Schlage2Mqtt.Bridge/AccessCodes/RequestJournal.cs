using System.Text.Json.Serialization;
using Schlage2Mqtt.Bridge.State;
using Schlage2Mqtt.Mqtt;

namespace Schlage2Mqtt.Bridge.AccessCodes;

/// <summary>
/// The access-code write requests received but not yet answered, in <c>data_dir/requests.json</c> (mode 0600: a
/// request carries a PIN). A request is written here before the MQTT client acknowledges it (the message handler
/// returning is the acknowledgement), so a PUBACK never precedes durable storage: killed at any point, the bridge
/// either never acknowledged the request (the broker redelivers it) or finds it here at start and carries it out. The
/// entry's id becomes the operation's id, so a request that had reached the operation store before the crash is not
/// carried out twice.
/// </summary>
/// <remarks>Thread-safe, as <see cref="DurableRecordSet{TRecord, TDocument}"/> is.</remarks>
internal sealed class RequestJournal(StateStore? store)
{
    private readonly DurableRecordSet<JournalEntry, JournalDocument> _entries = new(
        store, "requests", "requests", JournalJson.Default.JournalEntry, JournalJson.Default.JournalDocument,
        entries => new JournalDocument(entries), e => e.Id, Problem);

    /// <summary>Requests found at start, oldest first.</summary>
    public IReadOnlyList<JournalEntry> Pending =>
        [.. _entries.Values.OrderBy(e => e.ReceivedAt).ThenBy(e => e.Id, StringComparer.Ordinal)];

    /// <summary>Stores a received request durably and returns its id (the id of the operation it will become).</summary>
    public async Task<string> AppendAsync(string operation, MqttMessage message, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        var entry = new JournalEntry(
            "op-" + Guid.NewGuid().ToString("N")[..12],
            operation,
            Convert.ToBase64String(message.Payload.Span),
            message.ResponseTopic,
            message.CorrelationData.IsEmpty ? null : Convert.ToBase64String(message.CorrelationData.Span),
            receivedAt);
        await _entries.PutAsync(entry, cancellationToken);
        return entry.Id;
    }

    /// <summary>Forgets an answered request.</summary>
    public Task RemoveAsync(string id, CancellationToken cancellationToken) => _entries.RemoveWhereAsync(e => e.Id == id, cancellationToken);

    private static string? Problem(JournalEntry entry) =>
        entry.Operation is not { Length: > 0 } ? "its operation is missing"
        : entry.Payload is null || !IsBase64(entry.Payload) ? "its payload is not base64"
        : entry.CorrelationData is not null && !IsBase64(entry.CorrelationData) ? "its correlation data is not base64"
        : null;

    private static bool IsBase64(string text) => Convert.TryFromBase64String(text, new byte[text.Length], out _);
}

/// <summary>One received request: the raw MQTT message, as needed to carry it out and answer it.</summary>
/// <param name="Id">Journal id, the future operation id.</param>
/// <param name="Operation">The request operation, e.g. <c>access_code/add</c>.</param>
/// <param name="Payload">The payload, base64 (it may not even be valid UTF-8).</param>
/// <param name="ResponseTopic">The MQTT 5 response topic, if any.</param>
/// <param name="CorrelationData">The MQTT 5 correlation data, base64, if any.</param>
/// <param name="ReceivedAt">When it arrived.</param>
internal sealed record JournalEntry(string Id, string Operation, string Payload, string? ResponseTopic, string? CorrelationData, DateTimeOffset ReceivedAt)
{
    /// <summary>The request as the MQTT message it arrived in.</summary>
    public MqttMessage ToMessage(string topic) => new(topic, Convert.FromBase64String(Payload), MqttQualityOfService.AtLeastOnce)
    {
        ResponseTopic = ResponseTopic,
        CorrelationData = CorrelationData is null ? ReadOnlyMemory<byte>.Empty : Convert.FromBase64String(CorrelationData),
    };
}

/// <summary>The persisted journal.</summary>
internal sealed record JournalDocument(List<JournalEntry> Requests);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(JournalDocument))]
[JsonSerializable(typeof(JournalEntry))]
internal sealed partial class JournalJson : JsonSerializerContext;
