using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Schlage2Mqtt.Simulator.Faults;

namespace Schlage2Mqtt.Simulator.Api;

/// <summary>The consumer cloud's REST routes under <c>/v1</c> (reference section 3).</summary>
internal static class RestApi
{
    public const string Prefix = "/v1";

    public static void Map(IEndpointRouteBuilder app, SimulatorRuntime runtime)
    {
        var pipeline = new RestPipeline(runtime);
        var users = new UserHandlers(runtime);
        var devices = new DeviceHandlers(runtime);
        var commands = new CommandHandlers(runtime);
        var notifications = new NotificationHandlers(runtime);
        var push = new PushHandlers(runtime);

        app.MapMethods(Prefix + "/users/@me", ["GET"], pipeline.Wrap(ApiEndpoint.GetCurrentUser, UserHandlers.CurrentUser));
        app.MapMethods(Prefix + "/users", ["GET"], pipeline.Wrap(ApiEndpoint.GetUsers, users.Users));
        app.MapMethods(Prefix + "/users/wss", ["GET"], pipeline.Wrap(ApiEndpoint.GetPushDetails, push.Details));
        app.MapMethods(Prefix + "/devices", ["GET"], pipeline.Wrap(ApiEndpoint.ListDevices, devices.List));
        app.MapMethods(Prefix + "/devices/{deviceId}", ["GET"], pipeline.Wrap(ApiEndpoint.GetDevice, devices.Get));
        app.MapMethods(Prefix + "/devices/{deviceId}", ["PUT"], pipeline.Wrap(ApiEndpoint.PutDevice, devices.Put));
        app.MapMethods(Prefix + "/devices/{deviceId}/commands", ["POST"], pipeline.Wrap(ApiEndpoint.PostCommand, commands.Post));
        app.MapMethods(Prefix + "/devices/{deviceId}/commands/{commandId}", ["POST"], pipeline.Wrap(ApiEndpoint.PollCommand, commands.Poll));
        app.MapMethods(Prefix + "/devices/{deviceId}/logs", ["GET"], pipeline.Wrap(ApiEndpoint.GetLogs, devices.Logs));
        // Routing ignores a trailing slash, so this also serves the app's "storage/accesscode/".
        app.MapMethods(Prefix + "/devices/{deviceId}/storage/accesscode", ["GET"], pipeline.Wrap(ApiEndpoint.GetAccessCodes, devices.AccessCodes));
        app.MapMethods(Prefix + "/notifications", ["GET"], pipeline.Wrap(ApiEndpoint.GetNotifications, NotificationHandlers.List));
        app.MapMethods(Prefix + "/notifications", ["POST"], pipeline.Wrap(ApiEndpoint.PostNotification, notifications.Create));
        app.MapMethods(Prefix + "/notifications", ["PUT"], pipeline.Wrap(ApiEndpoint.PutNotification, notifications.Update));
        app.MapMethods(Prefix + "/notifications/{notificationId}", ["PUT"], pipeline.Wrap(ApiEndpoint.PutNotification, notifications.Update));
        app.MapMethods(Prefix + "/notifications/{notificationId}", ["DELETE"], pipeline.Wrap(ApiEndpoint.DeleteNotification, NotificationHandlers.Delete));

        // API Gateway answers an unknown route with 403 "Missing Authentication Token", whatever the headers.
        app.Map(Prefix + "/{**rest}", context => RestPipeline.WriteAsync(context.Response,
            ApiResult.Error(403, "Missing Authentication Token"), context.RequestAborted));
    }
}
