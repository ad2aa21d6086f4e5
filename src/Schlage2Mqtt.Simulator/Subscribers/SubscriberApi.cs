using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Schlage2Mqtt.Simulator.Admin;
using Schlage2Mqtt.Simulator.Api;
using Schlage2Mqtt.Simulator.Calls;
using Schlage2Mqtt.Simulator.Cloud;
using Schlage2Mqtt.Simulator.Faults;

namespace Schlage2Mqtt.Simulator.Subscribers;

/// <summary>
/// The websocket subscriber API of seed 004 (reference section 9) under <c>/partner</c>: <c>POST/GET/DELETE
/// websocket/subscribers[/{subID}]</c> through the same key, token and fault checks as <c>/v1</c>, and the Socket.IO
/// endpoint <c>/partner/socket.io/?EIO=4&amp;transport=websocket&amp;subscriberID=</c>. Admin routes under
/// <c>/admin/subscribers</c>.
/// </summary>
internal static class SubscriberApi
{
    public const string Prefix = "/partner";

    public const string SocketPath = Prefix + "/socket.io";

    public static void Map(WebApplication app, SimulatorRuntime runtime, SubscriberAdmin admin)
    {
        var hub = runtime.Subscribers;
        var pipeline = new RestPipeline(runtime);
        app.UseWebSockets();
        app.MapMethods(Prefix + "/websocket/subscribers", ["POST"], pipeline.Wrap(ApiEndpoint.CreateSubscriber, (call, _) => Create(hub, call)));
        app.MapMethods(Prefix + "/websocket/subscribers/{subId}", ["GET"], pipeline.Wrap(ApiEndpoint.GetSubscriber, (call, _) => Get(hub, call)));
        app.MapMethods(Prefix + "/websocket/subscribers/{subId}", ["DELETE"], pipeline.Wrap(ApiEndpoint.DeleteSubscriber, (call, _) => Delete(hub, call)));
        app.Map(SocketPath, context => SocketAsync(context, runtime));
        MapAdmin(app, admin);
    }

    private static ValueTask<ApiResult> Create(SubscriberHub hub, ApiCall call)
    {
        if (!hub.Enabled)
        {
            return ValueTask.FromResult(NotFound());
        }
        var request = Read(call);
        var scopes = request.Scopes;
        if (scopes is null || scopes.Count == 0 || scopes.Distinct(StringComparer.Ordinal).Count() != scopes.Count || scopes.Any(s => s != "lock"))
        {
            throw CloudException.BadRequest("scopes must be a non-empty array of unique values, each \"lock\"");
        }
        var subscriber = hub.Create(call.Account, scopes);
        return ValueTask.FromResult(ApiResult.Json(subscriber.ToDocument(), SubscriberJsonContext.Default.SubscriberDocument));
    }

    private static ValueTask<ApiResult> Get(SubscriberHub hub, ApiCall call)
    {
        var subscriber = hub.Enabled ? hub.Get(call.Route["subId"], call.Account) : null;
        return ValueTask.FromResult(subscriber is null
            ? NotFound()
            : ApiResult.Json(subscriber.ToDocument(), SubscriberJsonContext.Default.SubscriberDocument));
    }

    private static ValueTask<ApiResult> Delete(SubscriberHub hub, ApiCall call)
    {
        var deleted = hub.Enabled && hub.Delete(call.Route["subId"], call.Account);
        return ValueTask.FromResult(deleted
            ? ApiResult.Json(new SubscriberMessage("success"), SubscriberJsonContext.Default.SubscriberMessage)
            : NotFound());
    }

    private static ApiResult NotFound() => ApiResult.Error(404, "Not Found");

    private static SubscriberRequest Read(ApiCall call)
    {
        var body = call.JsonBody();
        try
        {
            return body.Deserialize(SubscriberJsonContext.Default.SubscriberRequest) ?? new SubscriberRequest(null);
        }
        catch (JsonException)
        {
            throw CloudException.BadRequest("scopes must be an array of strings");
        }
    }

    private static async Task SocketAsync(HttpContext context, SimulatorRuntime runtime)
    {
        var hub = runtime.Subscribers;
        var arrived = runtime.Time.GetUtcNow();
        var query = context.Request.Query;
        var subscriberId = query["subscriberID"].FirstOrDefault();
        var owner = subscriberId is null ? null : hub.Get(subscriberId)?.Owner.Email;
        int status;
        object? refusal = null;
        if (!hub.Enabled)
        {
            (status, refusal) = (404, new SubscriberMessage("Not Found"));
        }
        else if (query["EIO"].FirstOrDefault() != "4")
        {
            (status, refusal) = (400, new EngineIoError(5, "Unsupported protocol version"));
        }
        else if (query["transport"].FirstOrDefault() != "websocket" || !context.WebSockets.IsWebSocketRequest)
        {
            // Only the websocket transport is served (a socket.io server with transports: ["websocket"]).
            (status, refusal) = (400, new EngineIoError(0, "Transport unknown"));
        }
        else
        {
            status = 101;
        }
        // The subscriber id opens the socket: the call log keeps the path without it.
        runtime.Calls.Add(arrived, CallSurface.Api, nameof(ApiEndpoint.SubscriberSocket), context.Request.Method,
            context.Request.Path + (subscriberId is null ? "" : "?subscriberID=***"), null, owner, status, null, null);
        switch (refusal)
        {
            case SubscriberMessage m:
                context.Response.StatusCode = status;
                await context.Response.WriteAsJsonAsync(m, SubscriberJsonContext.Default.SubscriberMessage, cancellationToken: context.RequestAborted);
                return;
            case EngineIoError e:
                context.Response.StatusCode = status;
                await context.Response.WriteAsJsonAsync(e, SubscriberJsonContext.Default.EngineIoError, cancellationToken: context.RequestAborted);
                return;
        }
        using var ws = await context.WebSockets.AcceptWebSocketAsync();
        using var session = new SocketIoSession(context, ws, hub, runtime, subscriberId);
        hub.Attach(session);
        try
        {
            await session.RunAsync(context.RequestAborted);
        }
        finally
        {
            hub.Detach(session);
        }
    }

    private static void MapAdmin(IEndpointRouteBuilder app, SubscriberAdmin admin)
    {
        const string prefix = AdminApi.Prefix + "/subscribers";
        app.MapMethods(prefix, ["GET"], c => Results.Json(admin.List(), SubscriberJsonContext.Default.IReadOnlyListSimulatedSubscriber).ExecuteAsync(c));
        app.MapMethods(prefix + "/{subId}", ["DELETE"], c => Answer(c, new AdminResult(Done: admin.Expire((string)c.Request.RouteValues["subId"]!))));
        app.MapMethods(prefix + "/expire", ["POST"], c => Answer(c, new AdminResult(Count: admin.ExpireAll(c.Request.Query["email"].FirstOrDefault()))));
        app.MapMethods(prefix + "/drop-connections", ["POST"], c => Answer(c, new AdminResult(Count: admin.DropConnections(c.Request.Query["email"].FirstOrDefault()))));
        app.MapMethods(prefix + "/disable", ["POST"], c =>
        {
            admin.Enabled = false;
            return Answer(c, new AdminResult(Done: true));
        });
        app.MapMethods(prefix + "/enable", ["POST"], c =>
        {
            admin.Enabled = true;
            return Answer(c, new AdminResult(Done: true));
        });
    }

    private static Task Answer(HttpContext context, AdminResult result) =>
        Results.Json(result, AdminJsonContext.Default.AdminResult).ExecuteAsync(context);
}
