namespace Schlage2Mqtt.Simulator.Faults;

/// <summary>The REST operations of the consumer cloud, as fault rules and the call log name them.</summary>
public enum ApiEndpoint
{
    /// <summary><c>GET users/@me</c>.</summary>
    GetCurrentUser,

    /// <summary><c>GET users</c>.</summary>
    GetUsers,

    /// <summary><c>GET devices?archetype=lock</c>.</summary>
    ListDevices,

    /// <summary><c>GET devices/{id}</c>.</summary>
    GetDevice,

    /// <summary><c>PUT devices/{id}</c> (lockState and settings).</summary>
    PutDevice,

    /// <summary><c>POST devices/{id}/commands</c>.</summary>
    PostCommand,

    /// <summary><c>POST devices/{id}/commands/{commandId}</c> (poll an async command).</summary>
    PollCommand,

    /// <summary><c>GET devices/{id}/logs</c>.</summary>
    GetLogs,

    /// <summary><c>GET devices/{id}/storage/accesscode</c>.</summary>
    GetAccessCodes,

    /// <summary><c>GET notifications</c>.</summary>
    GetNotifications,

    /// <summary><c>POST notifications?deviceId=</c>.</summary>
    PostNotification,

    /// <summary><c>PUT notifications</c> or <c>PUT notifications/{id}</c>.</summary>
    PutNotification,

    /// <summary><c>DELETE notifications/{id}</c>.</summary>
    DeleteNotification,

    /// <summary>Seed 004: <c>POST /partner/websocket/subscribers</c>.</summary>
    CreateSubscriber,

    /// <summary>Seed 004: <c>GET /partner/websocket/subscribers/{subID}</c>.</summary>
    GetSubscriber,

    /// <summary>Seed 004: <c>DELETE /partner/websocket/subscribers/{subID}</c>.</summary>
    DeleteSubscriber,

    /// <summary>Seed 004: the Socket.IO websocket <c>/partner/socket.io/</c> (call log only; faults do not apply).</summary>
    SubscriberSocket,

    /// <summary><c>GET users/wss</c> (the push channel's connection details).</summary>
    GetPushDetails,
}
