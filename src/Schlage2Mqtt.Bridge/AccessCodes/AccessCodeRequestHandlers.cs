using System.Text.Json;
using Schlage2Mqtt.Bridge.Contract;
using Schlage2Mqtt.Bridge.Requests;
using Schlage2Mqtt.Bridge.Runtime;

namespace Schlage2Mqtt.Bridge.AccessCodes;

/// <summary>The <c>access_code/*</c> requests: list, add, update, delete, sync; codes addressed by id or name.</summary>
internal sealed class AccessCodeRequestHandler(string operation, LockRegistry registry, AccessCodeManager codes, TimeProvider time) : IBridgeRequestHandler
{
    private static readonly string[] Operations = ["list", "add", "update", "delete", "sync"];
    private static readonly string[] TargetFields = ["id", "name"];

    public string Operation { get; } = "access_code/" + operation;

    public static IEnumerable<IBridgeRequestHandler> All(LockRegistry registry, AccessCodeManager codes, TimeProvider time) =>
        Operations.Select(op => new AccessCodeRequestHandler(op, registry, codes, time));

    public async Task<RequestResult> HandleAsync(BridgeRequest request, CancellationToken cancellationToken)
    {
        var (lockId, lockError) = request.RequiredString("lock", $"Send {{\"lock\": \"front_door\", ...}} to {Operation}.");
        if (lockError is not null)
        {
            return RequestResult.Fail(lockError);
        }
        var entry = registry.Find(lockId!);
        if (entry is null)
        {
            return RequestResult.Fail(registry.UnknownLock(lockId!));
        }
        if (entry.Cloud.Capabilities.AccessCodes is null)
        {
            // Before any cloud call: a provider without access codes has no endpoint to try.
            return RequestResult.Fail(BridgeErrors.UnsupportedOperation(Operation, entry.TopicId, "access codes its cloud manages"));
        }
        switch (operation)
        {
            case "list":
                return await codes.ListAsync(entry, cancellationToken);
            case "sync":
                return await codes.SyncAsync(entry, cancellationToken);
            case "add":
            {
                var (changes, error) = CodeRequest.Parse(request, time.GetUtcNow());
                if (error is not null)
                {
                    return RequestResult.Fail(error);
                }
                if (changes!.Pin is null)
                {
                    return RequestResult.Fail(AccessCodeErrorCodes.Error(AccessCodeErrorCodes.InvalidCode, "code is missing: give the PIN as a string of 4-8 digits."));
                }
                return await codes.SubmitAsync(entry, CodeOperationKind.Add, null, changes, cancellationToken, request.RequestId);
            }
            case "update":
            {
                var (target, targetError) = Target(request);
                if (targetError is not null)
                {
                    return RequestResult.Fail(targetError);
                }
                var (changes, error) = CodeRequest.Parse(request, time.GetUtcNow());
                if (error is not null)
                {
                    return RequestResult.Fail(error);
                }
                // Addressed by id, "name" is the new name; addressed by name, "new_name" renames.
                var addressedById = request.Body.TryGetProperty("id", out _);
                var newName = addressedById ? changes!.Name : request.OptionalString("new_name", "").Value;
                changes = changes! with { Name = newName };
                if (changes is { Name: null, Pin: null, Schedule: null, NotifyOnUse: null })
                {
                    return RequestResult.Fail(BridgeErrors.InvalidRequest("update", "changes nothing",
                        "Give at least one of name (or new_name), code, schedule, notify_on_use."));
                }
                return await codes.SubmitAsync(entry, CodeOperationKind.Update, target, changes, cancellationToken, request.RequestId);
            }
            default:
            {
                var (target, targetError) = Target(request);
                return targetError is not null
                    ? RequestResult.Fail(targetError)
                    : await codes.SubmitAsync(entry, CodeOperationKind.Delete, target, null, cancellationToken, request.RequestId);
            }
        }
    }

    private static (string? Target, BridgeError? Error) Target(BridgeRequest request)
    {
        foreach (var field in TargetFields)
        {
            if (request.Body.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String && value.GetString()!.Length > 0)
            {
                return (value.GetString(), null);
            }
        }
        return (null, BridgeErrors.InvalidRequest("id", "or name is missing", "Address the code with \"id\" (from access_code/list) or \"name\"."));
    }
}
