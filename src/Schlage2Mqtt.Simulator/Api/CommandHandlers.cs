using System.Text.Json;
using Schlage2Mqtt.Simulator.Cloud;
using Schlage2Mqtt.Simulator.Faults;

namespace Schlage2Mqtt.Simulator.Api;

/// <summary><c>POST devices/{id}/commands</c> (sync and <c>?async=true</c>) and polling of async commands.</summary>
internal sealed class CommandHandlers(SimulatorRuntime runtime)
{
    private static readonly CommandResultDocument Empty = new(null);

    public async ValueTask<ApiResult> Post(ApiCall call, CancellationToken ct)
    {
        var device = Device(call);
        var body = call.JsonBody();
        if (body.ValueKind != JsonValueKind.Object
            || !body.TryGetProperty("name", out var nameElement) || nameElement.ValueKind != JsonValueKind.String)
        {
            throw CloudException.BadRequest("The body must be {\"name\": <command>, \"data\": {...}}");
        }
        var name = nameElement.GetString()!;
        var data = body.TryGetProperty("data", out var d) ? d : default;
        var async = string.Equals(call.Query.GetValueOrDefault("async"), "true", StringComparison.OrdinalIgnoreCase);
        return name switch
        {
            CommandNames.ChangeLockState => ChangeLockState(call, device, data, async),
            CommandNames.DeleteAllAccessCodes => DeleteAll(device, async),
            _ when CommandNames.IsAccessCode(name) => await AccessCodeAsync(call, device, name, data, async, ct),
            _ => throw CloudException.BadRequest($"Unknown command: {name}"),
        };
    }

    public ValueTask<ApiResult> Poll(ApiCall call, CancellationToken ct)
    {
        var device = Device(call);
        var command = runtime.World.Commands.Find(device.DeviceId, call.Route.GetValueOrDefault("commandId") ?? string.Empty)
            ?? throw CloudException.NotFound("Command not found");
        return ValueTask.FromResult(ApiResult.Json(command.ToDocument(), ApiJsonContext.Default.CommandStatusDocument));
    }

    private ApiResult ChangeLockState(ApiCall call, LockDevice device, JsonElement data, bool async)
    {
        if (data.ValueKind != JsonValueKind.Object
            || !data.TryGetProperty("state", out var stateElement) || !stateElement.TryGetInt32(out var state) || state is not (0 or 1))
        {
            throw CloudException.BadRequest("data.state must be 0 (unlock) or 1 (lock)");
        }
        if (data.TryGetProperty("CAT", out var cat) && cat.ValueKind == JsonValueKind.String && cat.GetString() != device.Cat)
        {
            throw CloudException.BadRequest("Invalid CAT for this device");
        }
        if (!async)
        {
            device.RequestLockState(state, call.Account);
            return ApiResult.Json(Empty, ApiJsonContext.Default.CommandResultDocument);
        }
        var command = runtime.World.Commands.Start(runtime.World.Context.Ids.NextUuid(), device.DeviceId, CommandNames.ChangeLockState, runtime.Time.GetUtcNow());
        device.RequestLockState(state, call.Account, acted => command.Complete(
            acted ? CommandOutcome.Ok(null) : CommandOutcome.Fail(409, "Device is offline"), runtime.Time.GetUtcNow()));
        return ApiResult.Json(new AsyncCommandDocument(command.Id), ApiJsonContext.Default.AsyncCommandDocument);
    }

    private ApiResult DeleteAll(LockDevice device, bool async)
    {
        if (!async)
        {
            device.DeleteAllAccessCodes();
            return ApiResult.Json(Empty, ApiJsonContext.Default.CommandResultDocument);
        }
        device.EnsureReachable();
        var command = runtime.World.Commands.Start(runtime.World.Context.Ids.NextUuid(), device.DeviceId, CommandNames.DeleteAllAccessCodes, runtime.Time.GetUtcNow());
        runtime.Scheduler.After(runtime.Options.CommandLatency, () =>
        {
            CommandOutcome outcome;
            try
            {
                outcome = device.DeleteAllAccessCodes();
            }
            catch (CloudException ex)
            {
                outcome = CommandOutcome.Fail(ex.StatusCode, ex.Message);
            }
            command.Complete(outcome, runtime.Time.GetUtcNow());
        });
        return ApiResult.Json(new AsyncCommandDocument(command.Id), ApiJsonContext.Default.AsyncCommandDocument);
    }

    private async ValueTask<ApiResult> AccessCodeAsync(ApiCall call, LockDevice device, string name, JsonElement data, bool async, CancellationToken ct)
    {
        var draft = AccessCodeDraft.Parse(data);
        var ids = runtime.World.Context.Ids;
        var newId = name == CommandNames.AddAccessCode ? ids.NextUuid() : string.Empty;
        var fault = device.PrepareAccessCodeCommand(name, draft, newId);
        if (!async)
        {
            var outcome = device.ExecuteAccessCodeCommand(name, draft, newId, fault, call.Account, async: false);
            if (runtime.Options.SyncCommandLatency > TimeSpan.Zero)
            {
                // The synchronous command holds the line while the cloud talks to the lock.
                await Task.Delay(runtime.Options.SyncCommandLatency, runtime.Time, ct);
            }
            return outcome.Success
                ? ApiResult.Json(new CommandResultDocument(outcome.AccesscodeId), ApiJsonContext.Default.CommandResultDocument)
                : ApiResult.Error(outcome.StatusCode, outcome.Message ?? ApiResult.StockMessage(outcome.StatusCode));
        }
        if (fault?.Fault == AccessCodeFault.ServerError)
        {
            return ApiResult.Error(500, ApiResult.StockMessage(500));
        }
        var command = runtime.World.Commands.Start(ids.NextUuid(), device.DeviceId, name, runtime.Time.GetUtcNow());
        var delay = fault?.Fault == AccessCodeFault.Timeout ? runtime.Options.CommandTimeout : runtime.Options.CommandLatency;
        runtime.Scheduler.After(delay, () => command.Complete(
            device.ExecuteAccessCodeCommand(name, draft, newId, fault, call.Account, async: true), runtime.Time.GetUtcNow()));
        return ApiResult.Json(new AsyncCommandDocument(command.Id), ApiJsonContext.Default.AsyncCommandDocument);
    }

    private LockDevice Device(ApiCall call) =>
        runtime.World.DeviceOf(call.Account, call.DeviceId ?? string.Empty) ?? throw CloudException.NotFound("Device not found");
}
