using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Schlage2Mqtt.Simulator.Admin;

/// <summary>
/// The admin surface over HTTP (JSON, no auth: loopback only), mirroring <see cref="SimulatorAdmin"/>
/// so the demo and a user with curl can drive the world.
/// </summary>
internal static class AdminApi
{
    public const string Prefix = "/admin";

    public static void Map(IEndpointRouteBuilder app, SimulatorAdmin admin, IReadOnlyList<SimulatedAccount> accounts)
    {
        var ctx = AdminJsonContext.Default;
        Get(app, "/accounts", _ => Ok(accounts, ctx.IReadOnlyListSimulatedAccount));
        Get(app, "/locks", _ => Ok(admin.Locks(), ctx.IReadOnlyListSimulatedLockInfo));
        Get(app, "/locks/{deviceId}", c => Ok(admin.Lock(Id(c)), ctx.SimulatedLockInfo));
        Post(app, "/locks", async c =>
        {
            var definition = await ReadAsync(c, ctx.LockDefinition)
                ?? throw new ArgumentException("Send a lock, e.g. {\"name\": \"Shed\", \"model\": \"Encode\"}.");
            var id = admin.AddLock(definition, c.Request.Query["account"].FirstOrDefault());
            return Ok(new AdminResult(DeviceId: id), ctx.AdminResult, 201);
        });
        Delete(app, "/locks/{deviceId}", c => Ok(new AdminResult(Done: admin.RemoveLock(Id(c))), ctx.AdminResult));
        Post(app, "/locks/{deviceId}/thumbturn", async c =>
        {
            var r = await RequestAsync(c);
            admin.TurnThumbturn(Id(c), r.Locked ?? throw new ArgumentException("Send {\"locked\": true|false}."));
            return Done();
        });
        Post(app, "/locks/{deviceId}/keypad", async c =>
        {
            var r = await RequestAsync(c);
            var result = admin.EnterKeypadCode(Id(c), r.Code ?? throw new ArgumentException("Send {\"code\": \"1234\"}."));
            return Ok(new AdminResult(Result: result.ToString()), ctx.AdminResult);
        });
        Post(app, "/locks/{deviceId}/one-touch-lock", c => Ok(new AdminResult(Done: admin.OneTouchLock(Id(c))), ctx.AdminResult));
        Post(app, "/locks/{deviceId}/auto-lock", c => Ok(new AdminResult(Done: admin.AutoLock(Id(c))), ctx.AdminResult));
        Post(app, "/locks/{deviceId}/battery", async c =>
        {
            var r = await RequestAsync(c);
            admin.SetBatteryLevel(Id(c), r.Level ?? throw new ArgumentException("Send {\"level\": 0-100}."));
            return Done();
        });
        Post(app, "/locks/{deviceId}/replace-batteries", c => { admin.ReplaceBatteries(Id(c)); return Done(); });
        Post(app, "/locks/{deviceId}/offline", async c =>
        {
            var r = await RequestAsync(c);
            admin.GoOffline(Id(c), r.StatusCode ?? 409);
            return Done();
        });
        Post(app, "/locks/{deviceId}/online", c => { admin.GoOnline(Id(c)); return Done(); });
        Post(app, "/locks/{deviceId}/jam", async c =>
        {
            var r = await RequestAsync(c);
            admin.Jam(Id(c), r.Motor ?? false);
            return Done();
        });
        Post(app, "/locks/{deviceId}/door", async c =>
        {
            var r = await RequestAsync(c);
            admin.SetDoorState(Id(c), r.DoorState ?? throw new ArgumentException("Send {\"doorState\": 0-3}."));
            return Done();
        });
        Post(app, "/locks/{deviceId}/split-brain/add-on-device", async c =>
        {
            var r = await RequestAsync(c);
            var id = admin.AddCodeOnDeviceOnly(Id(c), r.Name ?? "Phantom", r.Code ?? throw new ArgumentException("Send {\"name\": ..., \"code\": \"1234\"}."));
            return Ok(new AdminResult(Id: id), ctx.AdminResult);
        });
        Post(app, "/locks/{deviceId}/split-brain/forget-on-device", async c =>
        {
            var r = await RequestAsync(c);
            var done = admin.ForgetCodeOnDevice(Id(c), r.AccesscodeId ?? throw new ArgumentException("Send {\"accesscodeId\": ...}."));
            return Ok(new AdminResult(Done: done), ctx.AdminResult);
        });
        Get(app, "/faults", _ => Ok(admin.Faults(), ctx.IReadOnlyListActiveFault));
        Post(app, "/faults", async c =>
        {
            var rule = await ReadAsync(c, ctx.FaultRule)
                ?? throw new ArgumentException("Send a fault rule, e.g. {\"action\": \"Error\", \"endpoint\": \"GetDevice\", \"statusCode\": 503}.");
            return Ok(new AdminResult(Id: admin.AddFault(rule)), ctx.AdminResult, 201);
        });
        Post(app, "/faults/access-codes", async c =>
        {
            var rule = await ReadAsync(c, ctx.AccessCodeFaultRule)
                ?? throw new ArgumentException("Send an access-code fault rule, e.g. {\"fault\": \"Nack\", \"count\": 1}.");
            return Ok(new AdminResult(Id: admin.AddFault(rule)), ctx.AdminResult, 201);
        });
        Delete(app, "/faults", _ => { admin.ClearFaults(); return Done(); });
        Delete(app, "/faults/{id}", c => Ok(new AdminResult(Done: admin.RemoveFault((string)c.Request.RouteValues["id"]!)), ctx.AdminResult));
        Post(app, "/cognito/error", async c =>
        {
            var r = await RequestAsync(c);
            admin.SetCognitoError(r.Email ?? throw new ArgumentException("Send {\"email\": ..., \"error\": \"TooManyRequests\"|null, \"count\": n}."), r.Error, r.Count);
            return Done();
        });
        Post(app, "/cognito/expire-access-tokens", async c =>
        {
            var r = await RequestAsync(c);
            return Ok(new AdminResult(Count: admin.ExpireAccessTokens(r.Email)), ctx.AdminResult);
        });
        Post(app, "/cognito/revoke-refresh-tokens", async c =>
        {
            var r = await RequestAsync(c);
            return Ok(new AdminResult(Count: admin.RevokeRefreshTokens(r.Email)), ctx.AdminResult);
        });
        Get(app, "/push", _ => Ok(admin.PushCounters(), ctx.PushCounters));
        Post(app, "/push/enabled", async c =>
        {
            var r = await RequestAsync(c);
            admin.SetPushEnabled(r.Email ?? throw new ArgumentException("Send {\"email\": ..., \"enabled\": true|false}."),
                r.Enabled ?? throw new ArgumentException("Send {\"email\": ..., \"enabled\": true|false}."));
            return Done();
        });
        Post(app, "/push/evict", async c =>
        {
            var r = await RequestAsync(c);
            admin.EvictPush(r.Email ?? throw new ArgumentException("Send {\"email\": ..., \"persistent\": false|true}."), r.Persistent ?? false);
            return Done();
        });
        Delete(app, "/push/evict", c => Ok(new AdminResult(Done: admin.StopEviction(c.Request.Query["email"].FirstOrDefault())), ctx.AdminResult));
        Post(app, "/push/drop", async c =>
        {
            var r = await RequestAsync(c);
            admin.DropPush(r.Email ?? throw new ArgumentException("Send {\"email\": ...}."));
            return Done();
        });
        Post(app, "/push/details-fault", async c =>
        {
            var r = await RequestAsync(c);
            var id = admin.FailPushDetails(r.Count ?? (r.Probability is null ? 1 : null), r.Probability, r.StatusCode ?? 400);
            return Ok(new AdminResult(Id: id), ctx.AdminResult, 201);
        });
        Get(app, "/calls", c =>
        {
            var after = long.TryParse(c.Request.Query["after"].FirstOrDefault(), out var n) ? n : 0;
            return Ok(new CallsDocument(admin.Calls.Counters(), admin.Calls.RecordsAfter(after)), ctx.CallsDocument);
        });
        Get(app, "/counters", _ => Ok(admin.Calls.Counters(), ctx.CallCounters));
        Delete(app, "/calls", _ => { admin.Calls.Clear(); return Done(); });
        Post(app, "/reset", _ => { admin.Reset(); return Done(); });
    }

    private static void Get(IEndpointRouteBuilder app, string pattern, Func<HttpContext, IResult> handler) =>
        app.MapMethods(Prefix + pattern, ["GET"], Wrap(c => Task.FromResult(handler(c))));

    private static void Post(IEndpointRouteBuilder app, string pattern, Func<HttpContext, IResult> handler) =>
        app.MapMethods(Prefix + pattern, ["POST"], Wrap(c => Task.FromResult(handler(c))));

    private static void Post(IEndpointRouteBuilder app, string pattern, Func<HttpContext, Task<IResult>> handler) =>
        app.MapMethods(Prefix + pattern, ["POST"], Wrap(handler));

    private static void Delete(IEndpointRouteBuilder app, string pattern, Func<HttpContext, IResult> handler) =>
        app.MapMethods(Prefix + pattern, ["DELETE"], Wrap(c => Task.FromResult(handler(c))));

    private static RequestDelegate Wrap(Func<HttpContext, Task<IResult>> handler) => async context =>
    {
        IResult result;
        try
        {
            result = await handler(context);
        }
        catch (KeyNotFoundException ex)
        {
            result = Fail(404, ex.Message);
        }
        catch (Exception ex) when (ex is ArgumentException or JsonException or InvalidOperationException)
        {
            result = Fail(400, ex.Message);
        }
        await result.ExecuteAsync(context);
    };

    private static string Id(HttpContext c) => (string)c.Request.RouteValues["deviceId"]!;

    private static IResult Ok<T>(T value, JsonTypeInfo<T> typeInfo, int status = 200) =>
        Results.Json(value, typeInfo, statusCode: status);

    private static IResult Done() => Ok(new AdminResult(Done: true), AdminJsonContext.Default.AdminResult);

    private static IResult Fail(int status, string message) =>
        Results.Json(new AdminError(message), AdminJsonContext.Default.AdminError, statusCode: status);

    private static async Task<T?> ReadAsync<T>(HttpContext c, JsonTypeInfo<T> typeInfo)
    {
        using var buffer = new MemoryStream();
        await c.Request.Body.CopyToAsync(buffer, c.RequestAborted);
        return buffer.Length == 0 ? default : JsonSerializer.Deserialize(buffer.ToArray(), typeInfo);
    }

    private static async Task<AdminRequest> RequestAsync(HttpContext c) =>
        await ReadAsync(c, AdminJsonContext.Default.AdminRequest) ?? new AdminRequest();
}
