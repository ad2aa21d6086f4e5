using Schlage2Mqtt.Simulator.Internal;

namespace Schlage2Mqtt.Simulator.Api;

/// <summary><c>users/@me</c> and <c>users</c>.</summary>
internal sealed class UserHandlers(SimulatorRuntime runtime)
{
    public static ValueTask<ApiResult> CurrentUser(ApiCall call, CancellationToken ct)
    {
        var a = call.Account;
        var created = Iso8601.Format(a.Created);
        return ValueTask.FromResult(ApiResult.Json(new CurrentUserDocument(a.IdentityId, a.Email, a.FriendlyName, created, created),
            ApiJsonContext.Default.CurrentUserDocument));
    }

    /// <summary>Users of all the account's locks: the owner, once (the simulator has no shared users).</summary>
    public ValueTask<ApiResult> Users(ApiCall call, CancellationToken ct)
    {
        var users = runtime.World.DevicesOf(call.Account)
            .SelectMany(d => d.ToDocument().Users)
            .DistinctBy(u => u.IdentityId)
            .ToList();
        if (users.Count == 0)
        {
            var a = call.Account;
            var created = Iso8601.Format(a.Created);
            users.Add(new UserDocument([], created, a.Email, a.FriendlyName, a.IdentityId, "owner", created));
        }
        return ValueTask.FromResult(ApiResult.Json<IReadOnlyList<UserDocument>>(users, ApiJsonContext.Default.IReadOnlyListUserDocument));
    }
}
