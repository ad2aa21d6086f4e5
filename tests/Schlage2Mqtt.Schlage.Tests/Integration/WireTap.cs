using System.Collections.Concurrent;
using System.Text.Json;

namespace Schlage2Mqtt.Schlage.Tests.Integration;

/// <summary>
/// Sits between the client and the socket: counts requests in flight (so the clock driver moves
/// time only while the client waits on it, never while the simulator is answering) and keeps every
/// token Cognito issued (so the secret search knows what to look for).
/// </summary>
public sealed class WireTap : DelegatingHandler
{
    private readonly ConcurrentDictionary<string, byte> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _sent = new();
    private readonly ConcurrentDictionary<string, byte> _cognitoSecrets = new(StringComparer.Ordinal);
    private TaskCompletionSource _idle = NewSignal();
    private int _inFlight;

    public WireTap()
        : base(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
    {
    }

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Access, id and refresh tokens Cognito answered with, in no order.</summary>
    public IReadOnlyCollection<string> IssuedTokens => [.. _tokens.Keys];

    /// <summary>The SRP and SECRET_HASH values the client and Cognito exchanged (SRP_A, SRP_B, SECRET_BLOCK, signatures, hashes).</summary>
    public IReadOnlyCollection<string> CognitoSecrets => [.. _cognitoSecrets.Keys];

    /// <summary>The tokens of Cognito's most recent answer that carried an access token.</summary>
    public (string AccessToken, string IdToken, string? RefreshToken)? LastTokens { get; private set; }

    /// <summary>Every request sent, as "METHOD path" (REST) or the Cognito target, in order: what the client tried, answered or not.</summary>
    public IReadOnlyList<string> Sent => [.. _sent];

    /// <summary>Completes when no request is in flight (at once if none is).</summary>
    public Task WhenIdleAsync()
    {
        var signal = Volatile.Read(ref _idle);
        return InFlight == 0 ? Task.CompletedTask : signal.Task;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _inFlight);
        _sent.Enqueue(request.Headers.TryGetValues("X-Amz-Target", out var target)
            ? string.Join(",", target)
            : $"{request.Method} {request.RequestUri?.AbsolutePath}");
        try
        {
            if (request.Headers.Contains("X-Amz-Target") && request.Content is not null)
            {
                RememberSecrets(await request.Content.ReadAsStringAsync(cancellationToken));
            }
            var response = await base.SendAsync(request, cancellationToken);
            // Read the body here, so "in flight" covers the whole exchange and the client never reads from the socket later.
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            if (request.Headers.Contains("X-Amz-Target"))
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                Remember(body);
                RememberSecrets(body);
            }
            return response;
        }
        finally
        {
            if (Interlocked.Decrement(ref _inFlight) == 0)
            {
                Interlocked.Exchange(ref _idle, NewSignal()).TrySetResult();
            }
        }
    }

    private void Remember(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.TryGetProperty("AuthenticationResult", out var result) && result.ValueKind == JsonValueKind.Object)
            {
                LastTokens = (result.GetProperty("AccessToken").GetString()!, result.GetProperty("IdToken").GetString()!,
                    result.TryGetProperty("RefreshToken", out var refresh) ? refresh.GetString() : null);
                foreach (var name in (string[])["AccessToken", "IdToken", "RefreshToken"])
                {
                    if (result.TryGetProperty(name, out var token) && token.GetString() is { Length: > 0 } value)
                    {
                        _tokens[value] = 0;
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not a token answer.
        }
    }

    private void RememberSecrets(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            foreach (var container in (string[])["AuthParameters", "ChallengeResponses", "ChallengeParameters"])
            {
                if (!document.RootElement.TryGetProperty(container, out var map) || map.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }
                foreach (var name in (string[])["SECRET_HASH", "SRP_A", "SRP_B", "SECRET_BLOCK", "PASSWORD_CLAIM_SECRET_BLOCK", "PASSWORD_CLAIM_SIGNATURE", "REFRESH_TOKEN"])
                {
                    if (map.TryGetProperty(name, out var value) && value.GetString() is { Length: > 0 } secret)
                    {
                        _cognitoSecrets[secret] = 0;
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: nothing to remember.
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
