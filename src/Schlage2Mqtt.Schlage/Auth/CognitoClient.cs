using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Schlage.Options;

namespace Schlage2Mqtt.Schlage.Auth;

/// <summary>
/// Cognito Identity Provider over plain JSON (no AWS SDK, no request signing): InitiateAuth and
/// RespondToAuthChallenge. Every failure comes back typed; nothing here logs a secret.
/// </summary>
internal sealed class CognitoClient(
    HttpClient http, CognitoOptions options, TimeSpan timeout, TimeProvider time, ILogger logger)
{
    private static readonly MediaTypeHeaderValue AmzJson = new("application/x-amz-json-1.1");

    public CognitoOptions Options => options;

    public Task<CognitoCallResult> InitiateSrpAsync(string username, string srpA, CancellationToken cancellationToken)
    {
        var parameters = new Dictionary<string, string> { ["USERNAME"] = username, ["SRP_A"] = srpA };
        AddSecretHash(parameters, username);
        var request = new InitiateAuthRequest("USER_SRP_AUTH", options.ClientId, parameters);
        return SendAsync("InitiateAuth", request, CognitoJsonContext.Default.InitiateAuthRequest, duringRefresh: false, cancellationToken);
    }

    public Task<CognitoCallResult> RespondToPasswordVerifierAsync(
        string username, string timestamp, string secretBlock, string signature, string? session, CancellationToken cancellationToken)
    {
        var responses = new Dictionary<string, string>
        {
            ["USERNAME"] = username,
            ["TIMESTAMP"] = timestamp,
            ["PASSWORD_CLAIM_SECRET_BLOCK"] = secretBlock,
            ["PASSWORD_CLAIM_SIGNATURE"] = signature,
        };
        AddSecretHash(responses, username);
        var request = new RespondToAuthChallengeRequest("PASSWORD_VERIFIER", options.ClientId, responses, session);
        return SendAsync("RespondToAuthChallenge", request, CognitoJsonContext.Default.RespondToAuthChallengeRequest, duringRefresh: false, cancellationToken);
    }

    /// <param name="refreshToken">The refresh token.</param>
    /// <param name="secretHashUsername">The username the SECRET_HASH is computed over: the internal username (USER_ID_FOR_SRP) or the lower-cased email.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<CognitoCallResult> RefreshAsync(string refreshToken, string? secretHashUsername, CancellationToken cancellationToken)
    {
        var parameters = new Dictionary<string, string> { ["REFRESH_TOKEN"] = refreshToken };
        if (secretHashUsername is not null)
        {
            AddSecretHash(parameters, secretHashUsername);
        }
        var request = new InitiateAuthRequest("REFRESH_TOKEN_AUTH", options.ClientId, parameters);
        return SendAsync("InitiateAuth", request, CognitoJsonContext.Default.InitiateAuthRequest, duringRefresh: true, cancellationToken);
    }

    private void AddSecretHash(Dictionary<string, string> parameters, string username)
    {
        if (CognitoSecretHash.Compute(username, options.ClientId, options.ClientSecret) is { } hash)
        {
            parameters["SECRET_HASH"] = hash;
        }
    }

    private async Task<CognitoCallResult> SendAsync<TRequest>(
        string operation, TRequest body, JsonTypeInfo<TRequest> typeInfo, bool duringRefresh, CancellationToken cancellationToken)
    {
        using var timeoutSource = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        using var request = new HttpRequestMessage(HttpMethod.Post, options.EffectiveEndpoint);
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "AWSCognitoIdentityProviderService." + operation);
        request.Content = new StringContent(JsonSerializer.Serialize(body, typeInfo), Encoding.UTF8);
        request.Content.Headers.ContentType = AmzJson;
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token);
            var text = await response.Content.ReadAsStringAsync(linked.Token);
            if (response.IsSuccessStatusCode)
            {
                return ParseSuccess(operation, text);
            }
            var failure = ParseError(response, text, duringRefresh);
            logger.LogWarning("Cognito {Operation} failed: HTTP {Status} {ErrorType}", operation, (int)response.StatusCode, failure.CognitoErrorType);
            return CognitoCallResult.Fail(failure);
        }
        catch (OperationCanceledException) when (timeoutSource.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Cognito {Operation} timed out after {Timeout}", operation, timeout);
            return CognitoCallResult.Fail(new AuthFailure(AuthFailureKind.Unavailable, $"Cognito did not answer {operation} within {timeout.TotalSeconds:0} s."));
        }
        catch (HttpRequestException e)
        {
            logger.LogWarning("Cognito {Operation} unreachable: {Error}", operation, e.HttpRequestError);
            return CognitoCallResult.Fail(new AuthFailure(AuthFailureKind.Unavailable, $"Cognito is unreachable ({e.HttpRequestError}); check the network or cognito.endpoint."));
        }
    }

    private static CognitoCallResult ParseSuccess(string operation, string text)
    {
        try
        {
            var parsed = JsonSerializer.Deserialize(text, CognitoJsonContext.Default.CognitoAuthResponse);
            if (parsed is not null)
            {
                return CognitoCallResult.Ok(parsed);
            }
        }
        catch (JsonException)
        {
            // Reported below without echoing the body: it may hold tokens.
        }
        return CognitoCallResult.Fail(new AuthFailure(AuthFailureKind.InvalidResponse, $"Cognito's answer to {operation} is not the expected JSON."));
    }

    private static AuthFailure ParseError(HttpResponseMessage response, string text, bool duringRefresh)
    {
        string? type = null;
        string? message = null;
        try
        {
            var body = JsonSerializer.Deserialize(text, CognitoJsonContext.Default.CognitoErrorBody);
            type = body?.Type;
            message = body?.Message;
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's HTML page, say): the header or the status still tells.
        }
        if (string.IsNullOrEmpty(type) && response.Headers.TryGetValues("x-amzn-ErrorType", out var values))
        {
            type = values.FirstOrDefault();
        }
        return CognitoErrors.Map(CognitoErrors.NormalizeType(type ?? ""), message, (int)response.StatusCode, duringRefresh);
    }
}
