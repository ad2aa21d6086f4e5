using System.Text.Json;
using System.Text.Json.Nodes;
using Schlage2Mqtt.Bridge.Commands;
using Schlage2Mqtt.Bridge.Contract;
using Schlage2Mqtt.Bridge.Runtime;

namespace Schlage2Mqtt.Bridge.Requests;

/// <summary><c>lock</c>: <c>{lock, action: "lock"|"unlock"}</c>, answered when the cloud confirms the new state.</summary>
internal sealed class LockRequestHandler(LockRegistry registry, CommandExecutor commands) : IBridgeRequestHandler
{
    private const string Hint = "Send {\"lock\": \"front_door\", \"action\": \"unlock\"}.";

    public string Operation => "lock";

    public async Task<RequestResult> HandleAsync(BridgeRequest request, CancellationToken cancellationToken)
    {
        var (lockId, lockError) = request.RequiredString("lock", Hint);
        if (lockError is not null)
        {
            return RequestResult.Fail(lockError);
        }
        var (actionText, actionError) = request.RequiredString("action", Hint);
        if (actionError is not null)
        {
            return RequestResult.Fail(actionError);
        }
        var (action, parseError) = LockCommandParser.ParseAction(actionText!, "action");
        if (parseError is not null)
        {
            return RequestResult.Fail(parseError);
        }
        var entry = registry.Find(lockId!);
        if (entry is null)
        {
            return RequestResult.Fail(registry.UnknownLock(lockId!));
        }
        var outcome = await commands.LockAsync(entry, action!.Value, cancellationToken);
        var data = LockData.Of(entry, outcome.State);
        return outcome.Ok ? RequestResult.Ok(data) : RequestResult.Fail(outcome.Error!, data);
    }
}

/// <summary><c>refresh</c>: <c>{lock?}</c>; reads one lock (or polls every account) now and answers the fresh state.</summary>
internal sealed class RefreshRequestHandler(LockRegistry registry, CommandExecutor commands, IReadOnlyList<AccountRuntime> accounts) : IBridgeRequestHandler
{
    public string Operation => "refresh";

    public async Task<RequestResult> HandleAsync(BridgeRequest request, CancellationToken cancellationToken)
    {
        var (lockId, error) = request.OptionalString("lock", "Send {} to refresh every lock or {\"lock\": \"front_door\"} for one.");
        if (error is not null)
        {
            return RequestResult.Fail(error);
        }
        if (lockId is not null)
        {
            var entry = registry.Find(lockId);
            if (entry is null)
            {
                return RequestResult.Fail(registry.UnknownLock(lockId));
            }
            var outcome = await commands.RefreshAsync(entry, cancellationToken);
            var data = LockData.Of(entry, outcome.State);
            return outcome.Ok ? RequestResult.Ok(data) : RequestResult.Fail(outcome.Error!, data);
        }
        await Task.WhenAll(accounts.Select(a => a.RequestPollAsync(cancellationToken)));
        var failed = accounts.FirstOrDefault(a => a.LastPollOk == false);
        var all = LockData.All(registry);
        return failed is null
            ? RequestResult.Ok(all)
            : RequestResult.Fail(CloudErrors.ToBridgeError(failed.LastFailure!, $"Reading the locks of account {failed.Name}"), all);
    }
}

/// <summary><c>locks</c>: every lock the bridge publishes.</summary>
internal sealed class LocksRequestHandler(LockRegistry registry) : IBridgeRequestHandler
{
    public string Operation => "locks";

    public Task<RequestResult> HandleAsync(BridgeRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(RequestResult.Ok(LockData.All(registry)));
}

/// <summary>
/// <c>health_check</c>: <c>{healthy, ...}</c>, the same document as <c>bridge/health</c>. With <c>{"full_gc": true}</c>
/// a full collection runs first (at most one per <see cref="ProcessMemory.CollectionInterval"/>), so <c>process</c>
/// shows the live managed heap; <c>process.full_gc</c> says whether it ran (<c>collected</c>) or not (<c>rate_limited</c>).
/// </summary>
internal sealed class HealthCheckRequestHandler(BridgeStatus status) : IBridgeRequestHandler
{
    private const string Hint = "Send {} or, to measure the live managed heap, {\"full_gc\": true}.";

    public string Operation => "health_check";

    public Task<RequestResult> HandleAsync(BridgeRequest request, CancellationToken cancellationToken)
    {
        string? collection = null;
        if (request.Body.ValueKind == JsonValueKind.Object && request.Body.TryGetProperty("full_gc", out var flag) && flag.ValueKind != JsonValueKind.Null)
        {
            if (flag.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return Task.FromResult(RequestResult.Fail(BridgeErrors.InvalidRequest("full_gc", $"must be true or false, not {flag.ValueKind.ToString().ToLowerInvariant()}", Hint)));
            }
            if (flag.GetBoolean())
            {
                collection = status.Memory.TryCollect() ? "collected" : "rate_limited";
            }
        }
        var report = status.HealthReport();
        report = report with { Process = report.Process with { FullGc = collection } };
        return Task.FromResult(RequestResult.Ok(BridgeStatus.ToJson(report)));
    }
}

/// <summary>How a lock appears in responses: <see cref="LockListing"/>.</summary>
internal static class LockData
{
    public static JsonNode Of(LockEntry entry, LockStatePayload? state) =>
        JsonSerializer.SerializeToNode(Listing(entry, state), LockStateJson.ListingTypeInfo)!;

    /// <summary>Every lock with its published state, in registry order.</summary>
    public static JsonNode All(LockRegistry registry) =>
        JsonSerializer.SerializeToNode<IReadOnlyList<LockListing>>([.. registry.Entries.Select(e => Listing(e, e.Published))], LockStateJson.ListingsTypeInfo)!;

    private static LockListing Listing(LockEntry entry, LockStatePayload? state) =>
        new(entry.TopicId, entry.DeviceId, entry.Name, entry.Cloud.ModelName, entry.Account.Name, entry.PublishedAvailability == "online", state);
}
