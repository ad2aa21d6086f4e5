using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;
using Schlage2Mqtt.Cloud;
using Schlage2Mqtt.Schlage.Options;

namespace Schlage2Mqtt.Schlage.Resilience;

/// <summary>
/// One account's way to the REST API: call budget, then (reads only) retries with jitter, a circuit
/// breaker shared by every call of the account, and a per-attempt timeout. A write is retried only
/// after an answer that proves it was not applied (429); a write that timed out or got a 5xx is
/// reported as outcome unknown.
/// </summary>
internal sealed class SchlageHttpPipeline
{
    private readonly HttpClient _http;
    private readonly SchlageCloudOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CircuitBreakerStateProvider _breakerState = new();
    private readonly ResiliencePipeline<ApiResponse> _guard;
    private readonly ResiliencePipeline<ApiResponse> _readRetry;
    private readonly ResiliencePipeline<ApiResponse> _writeRetry;
    private long _openUntilTicks;

    public SchlageHttpPipeline(HttpClient http, SchlageCloudOptions options, TimeProvider time, ILogger logger, Func<double>? randomizer = null)
    {
        _http = http;
        _options = options;
        _time = time;
        _logger = logger;
        Budget = new CallBudget(options.MaxCallsPerMinute, TimeSpan.FromMinutes(1), time);
        Statistics = new CallStatisticsRecorder(time);

        _guard = new ResiliencePipelineBuilder<ApiResponse> { TimeProvider = time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<ApiResponse>
            {
                FailureRatio = options.BreakerFailureRatio,
                MinimumThroughput = options.BreakerMinimumThroughput,
                SamplingDuration = options.BreakerSamplingDuration,
                BreakDuration = options.BreakerBreakDuration,
                StateProvider = _breakerState,
                ShouldHandle = args => ValueTask.FromResult(CountsAgainstBreaker(args.Outcome)),
                OnOpened = args =>
                {
                    Volatile.Write(ref _openUntilTicks, (_time.GetUtcNow() + args.BreakDuration).UtcTicks);
                    _logger.LogWarning("Schlage cloud failing: circuit opened, calls paused for {BreakDuration}", args.BreakDuration);
                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    _logger.LogInformation("Schlage cloud answering again: circuit closed");
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(options.RequestTimeout)
            .Build();

        var readBuilder = new ResiliencePipelineBuilder<ApiResponse> { TimeProvider = time };
        if (options.ReadRetries > 0)
        {
            var read = new RetryStrategyOptions<ApiResponse>
            {
                MaxRetryAttempts = options.ReadRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = TimeSpan.FromSeconds(30),
                ShouldHandle = args => ValueTask.FromResult(ReadShouldRetry(args.Outcome)),
                DelayGenerator = args => ValueTask.FromResult(RetryAfterOf(args.Outcome)),
                OnRetry = args =>
                {
                    _logger.LogInformation("Schlage read retry {Attempt} after {Delay}: {Reason}", args.AttemptNumber + 1, args.RetryDelay, Describe(args.Outcome));
                    return ValueTask.CompletedTask;
                },
            };
            if (randomizer is not null)
            {
                read.Randomizer = randomizer;
            }
            readBuilder.AddRetry(read);
        }
        _readRetry = readBuilder.Build();

        _writeRetry = new ResiliencePipelineBuilder<ApiResponse> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<ApiResponse>
            {
                // Only a 429 proves the write was not applied; nothing else is retried.
                MaxRetryAttempts = 1,
                Delay = options.RetryBaseDelay,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is { Status: 429 } r && WaitableRetryAfter(r)),
                DelayGenerator = args => ValueTask.FromResult(RetryAfterOf(args.Outcome)),
            })
            .Build();
    }

    /// <summary>A request option naming the path to log instead of the request's own (when the path holds an id that acts as a credential).</summary>
    public static readonly HttpRequestOptionsKey<string> LogPath = new("Schlage2Mqtt.LogPath");

    public CallBudget Budget { get; }

    /// <summary>Raised when the cloud asked for a longer <c>Retry-After</c> than the cap: (asked, applied).</summary>
    public event Action<TimeSpan, TimeSpan>? RetryAfterCapped;

    public CallStatisticsRecorder Statistics { get; }

    /// <summary>True while the breaker refuses calls (open and its break not yet over).</summary>
    public bool CircuitOpen => _breakerState.CircuitState == CircuitState.Isolated
        || (_breakerState.CircuitState == CircuitState.Open && _time.GetUtcNow().UtcTicks < Volatile.Read(ref _openUntilTicks));

    public async Task<PipelineResult> SendAsync(Func<HttpRequestMessage> build, CallKind kind, CancellationToken cancellationToken)
    {
        var retry = kind == CallKind.Read ? _readRetry : _writeRetry;
        try
        {
            var response = await retry.ExecuteAsync(token => AttemptAsync(build, kind, token), cancellationToken);
            return new PipelineResult(response, null);
        }
        catch (BudgetExhaustedException e)
        {
            Statistics.RefusedByBudget();
            if (Budget.PausedUntil > _time.GetUtcNow())
            {
                // Not our budget: the cloud's Retry-After (capped) is holding the account's calls back.
                return Failed(CloudFailureKind.Throttled,
                    $"The Schlage cloud asked this account to slow down (429 Retry-After); try again in {Math.Ceiling(e.RetryAfter.TotalSeconds):0} s.",
                    retryAfter: e.RetryAfter);
            }
            _logger.LogWarning("Schlage call refused by the client-side budget ({Max}/min); room again in {RetryAfter}", _options.MaxCallsPerMinute, e.RetryAfter);
            return Failed(CloudFailureKind.Throttled,
                $"The client-side budget of {_options.MaxCallsPerMinute} cloud calls per minute is used up; try again in {e.RetryAfter.TotalSeconds:0} s.",
                retryAfter: e.RetryAfter);
        }
        catch (BrokenCircuitException e)
        {
            return Failed(CloudFailureKind.Unavailable,
                "The Schlage cloud kept failing, so calls are paused for a while (circuit breaker open).", retryAfter: e.RetryAfter);
        }
        catch (TimeoutRejectedException)
        {
            return kind == CallKind.Read
                ? Failed(CloudFailureKind.Unavailable, $"The Schlage cloud did not answer within {_options.RequestTimeout.TotalSeconds:0} s.")
                : Failed(CloudFailureKind.OutcomeUnknown,
                    $"The Schlage cloud did not answer the change within {_options.RequestTimeout.TotalSeconds:0} s; it may still be applied. Read the state to find out.");
        }
        catch (HttpRequestException e)
        {
            var notSent = e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError;
            return kind == CallKind.Read || notSent
                ? Failed(CloudFailureKind.Unavailable, $"The Schlage cloud is unreachable ({e.HttpRequestError}).")
                : Failed(CloudFailureKind.OutcomeUnknown, $"The connection broke while sending the change ({e.HttpRequestError}); it may still be applied. Read the state to find out.");
        }
    }

    private async ValueTask<ApiResponse> AttemptAsync(Func<HttpRequestMessage> build, CallKind kind, CancellationToken cancellationToken)
    {
        if (CircuitOpen)
        {
            // Fail fast without spending budget on a call the breaker would refuse. Once the break is
            // over the call goes on, and the breaker lets it through as the half-open trial.
            throw new BrokenCircuitException("circuit open", TimeSpan.FromTicks(Volatile.Read(ref _openUntilTicks) - _time.GetUtcNow().UtcTicks));
        }
        var (slot, retryAfter) = await Budget.AcquireAsync(_options.BudgetWait, cancellationToken, priority: kind != CallKind.Read);
        if (slot is null)
        {
            throw new BudgetExhaustedException(retryAfter ?? TimeSpan.FromMinutes(1));
        }
        try
        {
            return await _guard.ExecuteAsync(token => SendOnceAsync(build, kind, token), cancellationToken);
        }
        finally
        {
            Budget.Release(slot);
        }
    }

    private async ValueTask<ApiResponse> SendOnceAsync(Func<HttpRequestMessage> build, CallKind kind, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        try
        {
            using var request = build();
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var status = (int)response.StatusCode;
            var asked = ParseRetryAfter(response.Headers.RetryAfter);
            var retryAfter = asked > _options.RetryAfterCap ? _options.RetryAfterCap : asked;
            Statistics.Answered(_time.GetElapsedTime(started), status);
            if (status == (int)HttpStatusCode.TooManyRequests)
            {
                Budget.PauseUntil(_time.GetUtcNow() + (retryAfter ?? _options.RetryBaseDelay));
                if (asked != retryAfter)
                {
                    RetryAfterCapped?.Invoke(asked!.Value, retryAfter!.Value);
                }
            }
            var path = request.Options.TryGetValue(LogPath, out var logPath) ? logPath : request.RequestUri?.AbsolutePath;
            _logger.LogDebug("{Method} {Path} -> {Status} in {Latency}", request.Method, path, status, _time.GetElapsedTime(started));
            return new ApiResponse(status, body, retryAfter, kind, asked);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            Statistics.NoAnswer();
            throw;
        }
    }

    private TimeSpan? ParseRetryAfter(RetryConditionHeaderValue? header)
    {
        if (header?.Delta is { } delta)
        {
            return delta;
        }
        if (header?.Date is { } date)
        {
            var wait = date - _time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        return null;
    }

    // Judged on what the cloud asked: a long Retry-After, even cut to the cap, is reported as throttled, not waited out.
    private bool WaitableRetryAfter(ApiResponse response) => (response.AskedRetryAfter ?? TimeSpan.Zero) <= _options.MaxRetryAfter;

    private bool ReadShouldRetry(Outcome<ApiResponse> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result: { Status: 429 } r } => WaitableRetryAfter(r),
        { Result: { Status: >= 500 or 408 } } => true,
        _ => false,
    };

    private static TimeSpan? RetryAfterOf(Outcome<ApiResponse> outcome) =>
        outcome.Result is { Status: 429, RetryAfter: { } after } ? after : null;

    private static bool CountsAgainstBreaker(Outcome<ApiResponse> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        // A 503 to lock/unlock means the lock is offline, not that the cloud is failing.
        { Result: { Status: 503, Kind: CallKind.LockWrite } } => false,
        { Result: { Status: >= 500 } } => true,
        _ => false,
    };

    private static string Describe(Outcome<ApiResponse> outcome) =>
        outcome.Exception is { } e ? e.GetType().Name : $"HTTP {outcome.Result?.Status}";

    private static PipelineResult Failed(CloudFailureKind kind, string message, TimeSpan? retryAfter = null) =>
        new(null, new CloudFailure(kind, message, RetryAfter: retryAfter));
}
