using System.Text.Json;
using System.Text.Json.Nodes;
using Schlage2Mqtt.Bridge.Contract;
using Schlage2Mqtt.Bridge.Requests;
using Schlage2Mqtt.Bridge.Runtime;
using Schlage2Mqtt.Bridge.Topics;

namespace Schlage2Mqtt.Bridge.AccessCodes;

/// <summary>
/// Everything the access codes say on MQTT: the retained <c>&lt;lock&gt;/access_codes</c> document, the activity
/// events and <c>bridge/log</c> lines of settled operations, and the responses to requests. It is the one place that
/// shapes payloads and responses (through <see cref="CodeView"/>, <see cref="RequestResult"/> and
/// <see cref="CloudErrors"/>), so the contract's envelopes change here and nowhere else.
/// </summary>
/// <remarks>Thread-safe: the last published document per lock is kept under a private monitor.</remarks>
internal sealed class AccessCodePublisher(BridgeOptions options, BridgePublisher publisher, BridgeTopics topics, BridgeLog log, CodeOperationStore store, TimeProvider time)
{
    private readonly Dictionary<string, string> _published = new(StringComparer.Ordinal);

    /// <summary>Publishes the lock's codes (retained, only when they changed) and returns what was published.</summary>
    public JsonNode PublishCodes(LockEntry entry, ListedCodes? listed)
    {
        var operations = store.All.Where(o => o.DeviceId == entry.DeviceId && o.SettledAt != DateTimeOffset.MinValue).ToList();
        var latestByCode = operations.Where(o => o.CodeId is not null && (!o.IsSettled || o.Status is CodeStatus.Failed or CodeStatus.Unknown))
            .GroupBy(o => o.CodeId!).ToDictionary(g => g.Key, g => g.OrderBy(o => o.CreatedAt).Last(), StringComparer.Ordinal);
        var codes = new List<AccessCodeView>();
        foreach (var code in listed?.Codes ?? [])
        {
            latestByCode.TryGetValue(code.Id, out var operation);
            codes.Add(CodeView.Of(code, operation, options.ExposeCodes, store.TemporaryOffset(code.Id)));
        }
        var ids = (listed?.Codes ?? []).Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var operation in operations.Where(o => o.Kind == CodeOperationKind.Add && (o.CodeId is null || !ids.Contains(o.CodeId))
            && (!o.IsSettled || o.Status is CodeStatus.Failed or CodeStatus.Unknown)))
        {
            codes.Add(CodeView.Of(operation, options.ExposeCodes));
        }
        var document = new AccessCodesDocument(entry.TopicId, codes, operations.Count(o => !o.IsSettled), listed?.ReadAt);
        var text = JsonSerializer.Serialize(document, ContractJson.Default.AccessCodesDocument);
        lock (_published)
        {
            if (_published.TryGetValue(entry.DeviceId, out var last) && last == text)
            {
                return CodeView.Node(document);
            }
            _published[entry.DeviceId] = text;
        }
        publisher.Publish(topics.AccessCodes(entry.TopicId), text, retain: true);
        return CodeView.Node(document);
    }

    /// <summary>Forgets what was published for the lock, so the next publication goes out even if unchanged.</summary>
    public void Forget(string deviceId)
    {
        lock (_published)
        {
            _published.Remove(deviceId);
        }
    }

    /// <summary>Announces a settled operation: an activity event, and a <c>bridge/log</c> warning when it failed.</summary>
    public void Settled(LockEntry entry, CodeOperation settled)
    {
        var eventType = settled.Status switch
        {
            CodeStatus.Set when settled.Kind == CodeOperationKind.Add => ActivityEventTypes.CodeAdded,
            CodeStatus.Set => ActivityEventTypes.CodeUpdated,
            CodeStatus.Removed => ActivityEventTypes.CodeRemoved,
            _ => ActivityEventTypes.CodeFailed,
        };
        publisher.PublishJson(topics.Activity(entry.TopicId),
            new ActivityEvent(eventType, "bridge", User: null, settled.Name, time.GetUtcNow()) { OperationId = settled.Id, Error = settled.ErrorCode },
            ContractJson.Default.ActivityEvent, retain: false);
        if (settled.Status is CodeStatus.Failed or CodeStatus.Unknown)
        {
            var code = settled.ErrorCode!;
            log.Warning($"Access code {settled.Kind.ToString().ToLowerInvariant()} '{settled.Name}' on {entry.Name} {settled.Status.ToWire()}: {settled.ErrorMessage}", entry.TopicId,
                new BridgeError(code, settled.ErrorMessage ?? code, AccessCodeErrorCodes.Hint(code)));
        }
    }

    /// <summary>Says on <c>bridge/log</c> that a set code's notify-on-use could not be changed.</summary>
    public void NotifyNotChanged(LockEntry entry, CodeOperation settled, string reason) =>
        log.Warning($"The code '{settled.Name}' is set, but notify-on-use could not be changed: {reason}", entry.TopicId);

    /// <summary>The response to a request that came to <paramref name="outcome"/>.</summary>
    public RequestResult Answer(LockEntry entry, CodeRequestOutcome outcome, ListedCodes? listed) => outcome switch
    {
        CodeRequestOutcome.Refused refused => RequestResult.Fail(refused.Error),
        CodeRequestOutcome.CloudFailed failed => RequestResult.Fail(CloudErrors.ToBridgeError(failed.Failure, failed.Doing)),
        CodeRequestOutcome.NotifyChanged changed => RequestResult.Ok(NotifyView(entry, changed)),
        CodeRequestOutcome.Read read => ReadAnswer(entry, read, listed),
        CodeRequestOutcome.Accepted accepted => OperationAnswer(entry, accepted.Operation, listed),
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "not an access-code outcome"),
    };

    private RequestResult ReadAnswer(LockEntry entry, CodeRequestOutcome.Read read, ListedCodes? listed)
    {
        var view = PublishCodes(entry, listed);
        return read.Failure is null ? RequestResult.Ok(view) : RequestResult.Fail(CloudErrors.ToBridgeError(read.Failure, "Reading the codes"), view);
    }

    private JsonNode NotifyView(LockEntry entry, CodeRequestOutcome.NotifyChanged changed) =>
        CodeView.Node(CodeView.Of(changed.Code, null, options.ExposeCodes, store.TemporaryOffset(changed.Code.Id))
            with { NotifyOnUse = changed.NotifyOnUse, Lock = entry.TopicId });

    private RequestResult OperationAnswer(LockEntry entry, CodeOperation operation, ListedCodes? listed)
    {
        var code = operation.CodeId is null ? null : listed?.Codes.FirstOrDefault(c => c.Id == operation.CodeId);
        var record = code is null ? CodeView.Of(operation, options.ExposeCodes) : CodeView.Of(code, operation, options.ExposeCodes, store.TemporaryOffset(code.Id));
        var view = CodeView.Node(record with { Status = operation.Status.ToWire(), OperationId = operation.Id, Lock = entry.TopicId });
        return operation.Status == CodeStatus.Failed
            ? RequestResult.Fail(new BridgeError(operation.ErrorCode!, operation.ErrorMessage ?? operation.ErrorCode!, AccessCodeErrorCodes.Hint(operation.ErrorCode!)), view)
            : RequestResult.Ok(view);
    }
}
