namespace Schlage2Mqtt.Bridge.Contract;

/// <summary>
/// A lock as requests answer it (<c>locks</c>, <c>lock</c>, <c>refresh</c>, a command's MQTT 5 response):
/// who it is and, when known, the state document of <c>&lt;base&gt;/&lt;lock&gt;</c>.
/// </summary>
/// <param name="Lock">The topic id.</param>
/// <param name="DeviceId">The cloud's device id.</param>
/// <param name="Name">The lock's name.</param>
/// <param name="Model">The model name, when the cloud gives one.</param>
/// <param name="Account">The account's name.</param>
/// <param name="Available">True when the lock's availability is <c>online</c>.</param>
/// <param name="State">The last published state, or null before the first.</param>
public sealed record LockListing(string Lock, string DeviceId, string Name, string? Model, string Account, bool Available, LockStatePayload? State);
