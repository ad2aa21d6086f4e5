using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Schlage2Mqtt.Schlage.Options;
using Schlage2Mqtt.TestSupport;

namespace Schlage2Mqtt.Schlage.Tests.Fakes;

/// <summary>
/// An in-process fake of the Schlage cloud speaking the wire shapes of the reference: Cognito's JSON
/// protocol with a real server-side SRP check, and the REST endpoints. Answers synchronously, so the
/// only waiting in a test is on the <see cref="ManualTimeProvider"/>.
/// </summary>
internal sealed partial class FakeSchlageCloud : HttpMessageHandler
{
    public const string PoolId = "us-west-2_fakePool1";
    public const string ClientId = "fakeclientid";
    public const string ApiKey = "fake-api-key-0123456789";
    public static readonly Uri CognitoEndpoint = new("http://127.0.0.1/cognito/");
    public static readonly Uri ApiBase = new("http://127.0.0.1/v1/");

    private readonly object _gate = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly ConcurrentDictionary<string, Queue<Fault>> _faults = new(StringComparer.Ordinal);

    public FakeSchlageCloud(ManualTimeProvider time, string? clientSecret = "fake-client-secret")
    {
        Time = time;
        ClientSecret = clientSecret;
    }

    public ManualTimeProvider Time { get; }

    public string? ClientSecret { get; }

    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Options pointing at this fake, with one account unless told otherwise.</summary>
    public SchlageCloudOptions Options(params SchlageAccountOptions[] accounts) => new()
    {
        ApiBaseUrl = ApiBase,
        ApiKey = ApiKey,
        Cognito = new CognitoOptions { UserPoolId = PoolId, ClientId = ClientId, ClientSecret = ClientSecret, Endpoint = CognitoEndpoint },
        Accounts = accounts,
    };

    public IReadOnlyList<RecordedRequest> Requests
    {
        get { lock (_gate) { return [.. _requests]; } }
    }

    /// <summary>Makes the next <paramref name="times"/> requests matching method and path prefix misbehave.</summary>
    public void Inject(string method, string pathPrefix, Fault fault, int times = 1)
    {
        var queue = _faults.GetOrAdd($"{method} {pathPrefix}", _ => new Queue<Fault>());
        lock (queue)
        {
            for (var i = 0; i < times; i++)
            {
                queue.Enqueue(fault);
            }
        }
    }

    /// <summary>The largest number of REST requests that fell into any window of the given length.</summary>
    public int MaxRequestsInAnyWindow(TimeSpan window)
    {
        var times = Requests.Select(r => r.At).Order().ToList();
        var max = 0;
        for (var i = 0; i < times.Count; i++)
        {
            var count = times.Skip(i).TakeWhile(t => t < times[i] + window).Count();
            max = Math.Max(max, count);
        }
        return max;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri!;
        var body = request.Content?.ReadAsStringAsync(cancellationToken).GetAwaiter().GetResult();
        if (uri.AbsolutePath.StartsWith(CognitoEndpoint.AbsolutePath, StringComparison.Ordinal))
        {
            return Task.FromResult(HandleCognito(request, body));
        }
        return HandleRestAsync(request, body, cancellationToken);
    }

    private async Task<HttpResponseMessage> HandleRestAsync(HttpRequestMessage request, string? body, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.PathAndQuery[ApiBase.AbsolutePath.Length..];
        var method = request.Method.Method;
        var fault = TakeFault(method, path);
        if (fault is { Hang: true })
        {
            Record(request, path, body, 0);
            await Task.Delay(Timeout.InfiniteTimeSpan, Time, cancellationToken);
        }
        if (fault?.TransportError is { } error)
        {
            Record(request, path, body, 0);
            throw new HttpRequestException(error, "fake transport failure");
        }
        HttpResponseMessage response;
        var auth = Authorize(request);
        if (auth.Failure is { } denied)
        {
            response = denied;
        }
        else if (fault is { Status: > 0 } scripted)
        {
            if (scripted.ApplyAnyway)
            {
                Rest(method, path, body, auth.User!).Dispose();
            }
            response = Error((HttpStatusCode)scripted.Status, scripted.Message ?? $"fault {scripted.Status}");
            if (scripted.RetryAfter is { } after)
            {
                response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(after);
            }
        }
        else
        {
            response = Rest(method, path, body, auth.User!);
        }
        Record(request, path, body, (int)response.StatusCode);
        return response;
    }

    private Fault? TakeFault(string method, string path)
    {
        foreach (var (key, queue) in _faults)
        {
            var space = key.IndexOf(' ', StringComparison.Ordinal);
            if (key[..space] == method && path.StartsWith(key[(space + 1)..], StringComparison.Ordinal))
            {
                lock (queue)
                {
                    if (queue.Count > 0)
                    {
                        return queue.Dequeue();
                    }
                }
            }
        }
        return null;
    }

    private void Record(HttpRequestMessage request, string path, string? body, int status)
    {
        lock (_gate)
        {
            _requests.Add(new RecordedRequest(
                Time.GetUtcNow(), request.Method.Method, path, body, status,
                request.Headers.Authorization?.Parameter,
                request.Headers.TryGetValues("X-Api-Key", out var keys) ? keys.FirstOrDefault() : null));
        }
    }

    private static HttpResponseMessage Json(HttpStatusCode status, JsonNode? node) => new(status)
    {
        Content = new StringContent(node?.ToJsonString() ?? "", Encoding.UTF8, "application/json"),
    };

    private static HttpResponseMessage Error(HttpStatusCode status, string message) =>
        Json(status, new JsonObject { ["message"] = message });
}
