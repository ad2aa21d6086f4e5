using Schlage2Mqtt.Simulator.Cloud;
using Schlage2Mqtt.Simulator.Cognito;

namespace Schlage2Mqtt.Simulator.Api;

/// <summary>
/// <c>GET users/wss</c>: the push channel's details (reference section 8). Besides the bearer token it needs the
/// caller's id token as <c>X-Web-Identity-Token</c>: missing or not one the pool issued, 401 "Unauthorized"; expired,
/// 401 "The incoming token has expired"; another user's, 403 "Forbidden". An account without push (no broker
/// configured, or disabled by the admin) gets 404 "Not Found", as the real cloud answers such accounts.
/// </summary>
internal sealed class PushHandlers(SimulatorRuntime runtime)
{
    public ValueTask<ApiResult> Details(ApiCall call, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(call.WebIdentityToken))
        {
            return Answer(ApiResult.Error(401, "Unauthorized"));
        }
        var (status, sub) = runtime.Pool.Tokens.Validate(call.WebIdentityToken.Trim());
        if (status == TokenStatus.Expired)
        {
            return Answer(ApiResult.Error(401, "The incoming token has expired"));
        }
        if (status != TokenStatus.Valid || sub is null)
        {
            return Answer(ApiResult.Error(401, "Unauthorized"));
        }
        if (!string.Equals(sub, call.Account.Definition.UserIdForSrp, StringComparison.Ordinal))
        {
            return Answer(ApiResult.Error(403, "Forbidden"));
        }
        var details = runtime.Push.Details(call.Account);
        return Answer(details is null
            ? ApiResult.Error(404, ApiResult.StockMessage(404))
            : ApiResult.Json(details, ApiJsonContext.Default.PushDetailsDocument));
    }

    private static ValueTask<ApiResult> Answer(ApiResult result) => ValueTask.FromResult(result);
}
