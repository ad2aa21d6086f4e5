using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Schlage.Api;
using Schlage2Mqtt.Schlage.Auth;
using Schlage2Mqtt.Cloud;
using Schlage2Mqtt.Schlage.Resilience;

namespace Schlage2Mqtt.Schlage.Subscribers;

/// <summary>
/// The subscriber endpoints of the August/Yale-style API (seed 004): create, read and delete a websocket subscriber.
/// Calls carry the account's bearer token and <c>X-Api-Key</c> (a simplification: the real API's partner credentials
/// are not public) through a pipeline of their own, so this API's failures never open the consumer cloud's breaker.
/// The subscriber id is a credential for the websocket: paths holding it are never logged.
/// </summary>
internal sealed class SubscriberApiClient(SchlageHttpPipeline pipeline, ITokenSource tokens, Uri baseUrl, string apiKey, ILogger logger)
{
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };
    private readonly Uri _baseUrl = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");

    public Task<CloudResult<SubscriberDocument>> CreateAsync(CancellationToken cancellationToken) =>
        CallAsync(HttpMethod.Post, "websocket/subscribers", JsonSerializer.Serialize(new SubscriberRequest(["lock"]), SchlageJsonContext.Default.SubscriberRequest),
            CallKind.Write, cancellationToken);

    public Task<CloudResult<SubscriberDocument>> GetAsync(string subscriberId, CancellationToken cancellationToken) =>
        CallAsync(HttpMethod.Get, "websocket/subscribers/" + Uri.EscapeDataString(subscriberId), null, CallKind.Read, cancellationToken);

    public async Task<CloudResult> DeleteAsync(string subscriberId, CancellationToken cancellationToken)
    {
        var result = await CallAsync(HttpMethod.Delete, "websocket/subscribers/" + Uri.EscapeDataString(subscriberId), null, CallKind.Write, cancellationToken, expectBody: false);
        return result.IsSuccess ? CloudResult.Ok() : CloudResult.Fail(result.Failure);
    }

    private async Task<CloudResult<SubscriberDocument>> CallAsync(
        HttpMethod method, string path, string? body, CallKind kind, CancellationToken cancellationToken, bool expectBody = true)
    {
        var what = $"{method} {(path.Length > "websocket/subscribers".Length ? "websocket/subscribers/{id}" : path)}";
        var token = await tokens.GetTokenAsync(cancellationToken);
        if (!token.IsSuccess)
        {
            return CloudResult.Fail<SubscriberDocument>(new CloudFailure(CloudFailureKind.ReauthRequired, token.Failure.Message));
        }
        var outcome = await pipeline.SendAsync(() => Build(method, path, body, token.Token.Value, what), kind, cancellationToken);
        if (outcome.Response is { Status: 401 })
        {
            var renewed = await tokens.RenewAsync(token.Token.Value, cancellationToken);
            if (!renewed.IsSuccess)
            {
                return CloudResult.Fail<SubscriberDocument>(new CloudFailure(CloudFailureKind.ReauthRequired, renewed.Failure.Message));
            }
            outcome = await pipeline.SendAsync(() => Build(method, path, body, renewed.Token.Value, what), kind, cancellationToken);
        }
        if (outcome.Failure is { } failure)
        {
            return CloudResult.Fail<SubscriberDocument>(failure);
        }
        var response = outcome.Response!;
        if (!response.IsSuccess)
        {
            var kindOf = response.Status switch
            {
                401 or 403 => CloudFailureKind.Unauthorized,
                404 => CloudFailureKind.NotFound,
                429 => CloudFailureKind.Throttled,
                >= 500 => CloudFailureKind.ServerError,
                _ => CloudFailureKind.Rejected,
            };
            logger.LogDebug("{What} answered {Status}", what, response.Status);
            return CloudResult.Fail<SubscriberDocument>(new CloudFailure(kindOf, $"{what} answered {response.Status}.", response.Status, null, response.RetryAfter));
        }
        if (!expectBody)
        {
            return CloudResult.Ok(new SubscriberDocument());
        }
        try
        {
            if (JsonSerializer.Deserialize(response.Body, SchlageJsonContext.Default.SubscriberDocument) is { } document)
            {
                return CloudResult.Ok(document);
            }
        }
        catch (JsonException)
        {
            // Reported below.
        }
        return CloudResult.Fail<SubscriberDocument>(new CloudFailure(CloudFailureKind.BadResponse, $"{what} answered {response.Status} with a body that is not a subscriber.", response.Status));
    }

    private HttpRequestMessage Build(HttpMethod method, string path, string? body, string token, string what)
    {
        var request = new HttpRequestMessage(method, new Uri(_baseUrl, path));
        request.Options.Set(SchlageHttpPipeline.LogPath, what[(what.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.TryAddWithoutValidation("X-Api-Key", apiKey);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = Json;
        }
        return request;
    }
}
