using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Bridge.Contract;
using Schlage2Mqtt.Bridge.Runtime;
using Schlage2Mqtt.Bridge.Topics;
using Schlage2Mqtt.Mqtt;

namespace Schlage2Mqtt.Bridge.Requests;

/// <summary>
/// Answers <c>bridge/request/&lt;op&gt;</c>: parses the JSON body, runs the operation's handler and publishes
/// <c>{status, data, error?, transaction?}</c> on <c>bridge/response/&lt;op&gt;</c>, or, under MQTT 5, on the request's
/// Response Topic with its Correlation Data. Every failure has a code, a message and a hint.
/// </summary>
internal sealed class RequestDispatcher
{
    /// <summary>Bytes read from a request payload.</summary>
    public const int MaxPayloadBytes = 64 * 1024;

    private const int MaxDepth = 16;

    private readonly Dictionary<string, IBridgeRequestHandler> _handlers;
    private readonly BridgeTopics _topics;
    private readonly BridgePublisher _publisher;
    private readonly BridgeLog _log;
    private readonly ILogger _logger;

    private readonly TimeSpan _deadline;
    private readonly TimeProvider _time;

    public RequestDispatcher(IEnumerable<IBridgeRequestHandler> handlers, BridgeTopics topics, BridgePublisher publisher, BridgeLog log, ILogger logger,
        TimeSpan? deadline = null, TimeProvider? time = null)
    {
        _deadline = deadline ?? TimeSpan.FromSeconds(65);
        _time = time ?? TimeProvider.System;
        _handlers = handlers.ToDictionary(h => h.Operation, StringComparer.Ordinal);
        _topics = topics;
        _publisher = publisher;
        _log = log;
        _logger = logger;
    }

    public BridgePublisher Publisher => _publisher;

    public IEnumerable<string> Operations => _handlers.Keys.Order(StringComparer.Ordinal);

    public async Task HandleAsync(string operation, MqttMessage message, CancellationToken cancellationToken, string? requestId = null)
    {
        var (body, transaction, parseError) = Parse(message.Payload);
        RequestResult result;
        if (parseError is not null)
        {
            result = RequestResult.Fail(parseError);
        }
        else if (!_handlers.TryGetValue(operation, out var handler))
        {
            result = RequestResult.Fail(BridgeErrors.UnknownOperation(LockCommandText(operation), Operations));
        }
        else
        {
            // Every request is answered by its deadline whatever the cloud does; the handler is cancelled then.
            using var deadline = new CancellationTokenSource(_deadline, _time);
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
            try
            {
                result = await handler.HandleAsync(new BridgeRequest(operation, body) { RequestId = requestId }, bounded.Token).WaitAsync(bounded.Token);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                result = RequestResult.Fail(new BridgeError("shutting_down", "The bridge is stopping.", "Send the request again once it is back online."));
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                result = RequestResult.Fail(new BridgeError("timeout", $"The request was not finished within {_deadline.TotalSeconds:0} s: the Schlage cloud is slow or unreachable.",
                    "Watch the lock's state topic: a change may still apply. See <base>/bridge/log and bridge/health for the cloud's latency."));
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                _logger.LogError(ex, "Request {Operation} failed unexpectedly", operation);
                result = RequestResult.Fail(new BridgeError("internal_error", "The bridge failed to handle the request.", "See the bridge log; please report it."));
            }
        }
        if (result.Error is not null)
        {
            _log.Warning($"Request {LockCommandText(operation)} failed: {result.Error.Message}", null, result.Error);
        }
        Respond(operation, message, result, transaction);
    }

    /// <summary>Answers a request with an error without running it (e.g. the start-up queue is full).</summary>
    public void Reject(string operation, MqttMessage message, BridgeError error)
    {
        var (_, transaction, _) = Parse(message.Payload);
        _log.Warning($"Request {LockCommandText(operation)} failed: {error.Message}", null, error);
        Respond(operation, message, RequestResult.Fail(error), transaction);
    }

    private void Respond(string operation, MqttMessage request, RequestResult result, JsonNode? transaction)
    {
        var envelope = ResponseEnvelope.Of(result.Data, result.Error, transaction);
        var topic = !string.IsNullOrEmpty(request.ResponseTopic) && MqttTopic.IsValidTopicName(request.ResponseTopic)
            ? request.ResponseTopic
            : _topics.Response(operation);
        _publisher.Send(new MqttMessage(topic, JsonSerializer.SerializeToUtf8Bytes(envelope, ContractJson.Default.ResponseEnvelope), MqttQualityOfService.AtLeastOnce)
        {
            CorrelationData = request.CorrelationData,
            ContentType = "application/json",
        }, tooLarge =>
        {
            // The answer does not fit the broker's Maximum Packet Size: say so in an answer that does, never stay silent.
            var error = ResponseEnvelope.Failure(new BridgeError("response_too_large",
                $"The answer is {tooLarge.Size} bytes; the broker accepts at most {tooLarge.Limit}.",
                "Raise the broker's maximum packet size (mosquitto: max_packet_size), or ask for less (e.g. one lock)."),
                transaction is not null && transaction.ToJsonString().Length <= 256 ? transaction.DeepClone() : null);
            return new MqttMessage(topic, JsonSerializer.SerializeToUtf8Bytes(error, ContractJson.Default.ResponseEnvelope), MqttQualityOfService.AtLeastOnce) { CorrelationData = request.CorrelationData };
        });
    }

    private static (JsonElement Body, JsonNode? Transaction, BridgeError? Error) Parse(ReadOnlyMemory<byte> payload)
    {
        var empty = JsonDocument.Parse("{}").RootElement.Clone();
        if (payload.Length > MaxPayloadBytes)
        {
            return (empty, null, BridgeErrors.PayloadTooLarge(payload.Length, MaxPayloadBytes));
        }
        if (payload.IsEmpty || payload.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            return (empty, null, null);
        }
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(payload, new JsonDocumentOptions { MaxDepth = MaxDepth });
            root = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            return (empty, null, BridgeErrors.InvalidJson(ex.Message));
        }
        catch (ArgumentException ex)
        {
            return (empty, null, BridgeErrors.InvalidJson(ex.Message));
        }
        if (JsonInputGuard.Check(payload.Span, MaxDepth) is { } guardError)
        {
            return (empty, null, guardError);
        }
        if (root.ValueKind != JsonValueKind.Object)
        {
            return (empty, null, BridgeErrors.InvalidRequest("payload", $"must be a JSON object, not {root.ValueKind.ToString().ToLowerInvariant()}", "Send e.g. {\"lock\": \"front_door\", \"action\": \"unlock\"}."));
        }
        var transaction = root.TryGetProperty("transaction", out var t) ? JsonNode.Parse(t.GetRawText()) : null;
        return (root, transaction, null);
    }

    private static string LockCommandText(string operation) => Commands.LockCommandParser.Shorten(operation);
}
