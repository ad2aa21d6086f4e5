namespace Schlage2Mqtt.Simulator;

/// <summary>A snapshot of one simulated lock, for tests, the demo and <c>GET /admin/locks</c>.</summary>
/// <param name="DeviceId">The cloud device id.</param>
/// <param name="Name">The lock's name.</param>
/// <param name="Model">The model.</param>
/// <param name="DevicetypeId">The cloud's type id, e.g. <c>be489wifi</c>.</param>
/// <param name="AccountEmail">The owning account.</param>
/// <param name="Connected">Whether it is online.</param>
/// <param name="LockState">Its current <c>lockState</c>.</param>
/// <param name="AccessCodeIds">Access code ids the cloud lists.</param>
/// <param name="CodesOnDevice">Access code ids the lock really holds (differs from the list under split brain).</param>
public sealed record SimulatedLockInfo(
    string DeviceId,
    string Name,
    LockModel Model,
    string DevicetypeId,
    string AccountEmail,
    bool Connected,
    int LockState,
    IReadOnlyList<string> AccessCodeIds,
    IReadOnlyList<string> CodesOnDevice);

/// <summary>An account's credentials and ids as the simulator resolved them (generated ids filled in).</summary>
/// <param name="Email">Login email (lower case).</param>
/// <param name="Password">Password.</param>
/// <param name="UserIdForSrp">Cognito's internal username (USER_ID_FOR_SRP, token <c>sub</c>).</param>
/// <param name="IdentityId">The cloud user id of <c>users/@me</c>.</param>
/// <param name="FriendlyName">Display name.</param>
public sealed record SimulatedAccount(string Email, string Password, string UserIdForSrp, string IdentityId, string FriendlyName);

/// <summary>An access code as the simulated cloud lists it.</summary>
/// <param name="Id">The accesscodeId.</param>
/// <param name="Name">Its friendly name.</param>
/// <param name="Pin">Its PIN, zero-padded to the code length.</param>
public sealed record SimulatedAccessCode(string Id, string Name, string Pin);
