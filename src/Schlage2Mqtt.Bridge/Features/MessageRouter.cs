using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Bridge.Commands;
using Schlage2Mqtt.Bridge.Contract;
using Schlage2Mqtt.Bridge.Requests;
using Schlage2Mqtt.Bridge.Runtime;
using Schlage2Mqtt.Bridge.Topics;
using Schlage2Mqtt.Mqtt;

namespace Schlage2Mqtt.Bridge.Features;

/// <summary>
/// Routes every incoming message: lock commands, requests, Home Assistant's birth message, and retained discovery
/// configs for the stale-config sweep. A retained delivery on a command or request topic is never acted on (a
/// replayed retained UNLOCK must not open a door): it is dropped, counted and reported with the fix. Under MQTT 5 the
/// bridge subscribes with Retain As Published, so a retained command keeps its flag on live delivery and from the
/// session queue; under 3.1.1 brokers clear the flag on live delivery, so only replays at subscribe are caught.
/// Commands run in the background so one slow lock never holds up the next message; those that arrive before the
/// locks are known wait in the <see cref="StartupHold"/>.
/// </summary>
internal sealed class MessageRouter(
    BridgeOptions options,
    BridgeTopics topics,
    LockRegistry registry,
    CommandExecutor commands,
    RequestDispatcher requests,
    BackgroundWork work,
    BridgeCounters counters,
    BridgeLog log,
    StaleDiscoveryCleaner cleaner,
    StartupHold hold,
    AccessCodes.RequestJournal? journal,
    BridgeEvents events,
    TimeProvider time,
    ILogger logger)
{
    public ValueTask OnMessageAsync(MqttMessage message, CancellationToken cancellationToken)
    {
        if (options.HomeAssistantEnabled && message.Topic == options.HomeAssistantStatusTopic)
        {
            if (message.Payload.Span.SequenceEqual("online"u8))
            {
                events.Raise(new HomeAssistantOnline());
            }
            return ValueTask.CompletedTask;
        }

        var incoming = topics.Classify(message.Topic);
        if (incoming.Kind == IncomingKind.None)
        {
            if (options.HomeAssistantEnabled)
            {
                cleaner.Observe(message);
            }
            return ValueTask.CompletedTask;
        }
        if (message.Payload.IsEmpty && (message.Retain || (!options.MqttV5 && incoming.Kind is IncomingKind.Set or IncomingKind.SetAttribute)))
        {
            // `mosquitto_pub -r -n -t <topic>` clears a retained command: the fix the README gives, not a command.
            logger.LogDebug("Ignored an empty message on {Topic} (clearing a retained message)", message.Topic);
            return ValueTask.CompletedTask;
        }
        if (message.Retain)
        {
            counters.RetainedDrop();
            log.Warning($"Ignored a RETAINED message on {message.Topic}: commands and requests must not be retained, or the broker replays them.",
                incoming.TopicId is { } id && registry.Find(id) is { } retainedLock ? retainedLock.TopicId : null,
                new BridgeError("retained_command", "A retained command or request is never acted on.",
                    $"Publish without retain, and clear the retained one: mosquitto_pub -r -n -t '{message.Topic}'"));
            return ValueTask.CompletedTask;
        }

        switch (incoming.Kind)
        {
            case IncomingKind.Request:
                counters.Request();
                var operation = incoming.Detail!;
                // An oversize request is refused unread (payload_too_large): nothing to keep, and no megabyte written to disk.
                if (journal is not null && Journalled.Contains(operation) && message.Payload.Length <= RequestDispatcher.MaxPayloadBytes)
                {
                    return JournalAsync(operation, message, cancellationToken);
                }
                DispatchRequest(operation, message, null);
                break;
            case IncomingKind.Set:
            case IncomingKind.SetAttribute:
            case IncomingKind.Get:
                counters.Command();
                Func<CancellationToken, Task> command = ct => HandleCommandAsync(incoming, message, ct);
                if (!hold.TryHold($"command on {message.Topic}", registry.Find(incoming.TopicId!) is null, command, e => Reject(message, e, null)))
                {
                    work.Run($"command on {message.Topic}", command);
                }
                break;
        }
        return ValueTask.CompletedTask;
    }

    // Access-code writes: a lost one is a guest locked out or a code that should be gone.
    private static readonly HashSet<string> Journalled = new(StringComparer.Ordinal) { "access_code/add", "access_code/update", "access_code/delete" };

    /// <summary>Carries out the requests the journal holds from before a restart (received, never answered).</summary>
    public void ReplayJournal()
    {
        foreach (var entry in journal?.Pending ?? [])
        {
            logger.LogInformation("Carrying out request {Operation} ({Id}) received before the restart", entry.Operation, entry.Id);
            DispatchRequest(entry.Operation, entry.ToMessage(topics.RequestPrefix + entry.Operation), entry.Id);
        }
    }

    // Completes once the request is stored: the MQTT client acknowledges it only then (the handler returning is the
    // acknowledgement), so a crash can never lose a request the broker already considers delivered.
    private async ValueTask JournalAsync(string operation, MqttMessage message, CancellationToken cancellationToken)
    {
        string? id = null;
        try
        {
            id = await journal!.AppendAsync(operation, message, time.GetUtcNow(), cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Better carried out without the journal than refused: the operation store is written before anything is sent.
            log.Error($"Cannot store the {operation} request in the data directory: {ex.Message}; carrying it out anyway (a crash now could lose it)");
        }
        DispatchRequest(operation, message, id);
    }

    private void DispatchRequest(string operation, MqttMessage message, string? journalId)
    {
        Func<CancellationToken, Task> request = journalId is null
            ? ct => requests.HandleAsync(operation, message, ct)
            : async ct =>
            {
                await requests.HandleAsync(operation, message, ct, journalId);
                // Stopped before the answer: keep it, the next start answers it (and finds its operation, if it was stored).
                if (!ct.IsCancellationRequested)
                {
                    await journal!.RemoveAsync(journalId, CancellationToken.None);
                }
            };
        if (!hold.TryHold($"request {operation}", RequestNeedsLocks(operation, message.Payload.Span), request, e => requests.Reject(operation, message, e)))
        {
            work.Run($"request {operation}", request);
        }
    }

    // Requests that name a lock the bridge does not know yet, or that answer about all locks, wait for the first list.
    private bool RequestNeedsLocks(string operation, ReadOnlySpan<byte> payload)
    {
        if (operation == "health_check")
        {
            return false;
        }
        var lockId = LockField(payload);
        return lockId is null ? operation is "locks" or "refresh" : registry.Find(lockId) is null;
    }

    /// <summary>The top-level <c>lock</c> string of a JSON request, or null (the request's own parsing reports what is wrong).</summary>
    internal static string? LockField(ReadOnlySpan<byte> payload)
    {
        try
        {
            var reader = new Utf8JsonReader(payload, new JsonReaderOptions { MaxDepth = 16 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isLock = reader.ValueTextEquals("lock"u8);
                if (!reader.Read())
                {
                    return null;
                }
                if (isLock)
                {
                    return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }
                reader.Skip();
            }
        }
        catch (JsonException)
        {
        }
        catch (InvalidOperationException)
        {
        }
        return null;
    }

    private async Task HandleCommandAsync(IncomingTopic incoming, MqttMessage message, CancellationToken cancellationToken)
    {
        var entry = registry.Find(incoming.TopicId!);
        if (entry is null)
        {
            Reject(message, registry.UnknownLock(LockCommandParser.Shorten(incoming.TopicId!)), null);
            return;
        }
        if (incoming.Kind == IncomingKind.Get)
        {
            var refreshed = await commands.RefreshAsync(entry, cancellationToken);
            Answer(message, entry, refreshed);
            return;
        }

        var (command, error) = incoming.Kind == IncomingKind.Set
            ? LockCommandParser.ParseSet(message.Payload.Span, entry.Facts.Capabilities.Features)
            : LockCommandParser.ParseAttribute(incoming.Detail!, message.Payload.Span, entry.Facts.Capabilities.Features);
        if (error is not null)
        {
            Reject(message, error, entry.TopicId);
            return;
        }
        CommandOutcome? outcome = null;
        if (command!.Settings is { } settings)
        {
            outcome = await commands.ChangeSettingsAsync(entry, settings, cancellationToken);
        }
        if (command.Action is { } action && outcome?.Ok != false)
        {
            outcome = await commands.LockAsync(entry, action, cancellationToken);
        }
        Answer(message, entry, outcome!);
    }

    private void Reject(MqttMessage message, BridgeError error, string? lockId)
    {
        counters.Reject();
        log.Warning($"Ignored the message on {message.Topic}: {error.Message}", lockId, error);
        Respond(message, ResponseEnvelope.Failure(error));
    }

    // Plain command topics answer only when the sender asked for it with an MQTT 5 Response Topic.
    private void Answer(MqttMessage message, LockEntry entry, CommandOutcome outcome)
    {
        Respond(message, new ResponseEnvelope(outcome.Ok ? ResponseStatus.Ok : ResponseStatus.Error, LockData.Of(entry, outcome.State ?? entry.Published)) { Error = outcome.Error });
    }

    private void Respond(MqttMessage request, ResponseEnvelope envelope)
    {
        if (string.IsNullOrEmpty(request.ResponseTopic) || !MqttTopic.IsValidTopicName(request.ResponseTopic))
        {
            return;
        }
        work.Run("command response", _ =>
        {
            requests.Publisher.Send(new MqttMessage(request.ResponseTopic, JsonSerializer.SerializeToUtf8Bytes(envelope, ContractJson.Default.ResponseEnvelope), MqttQualityOfService.AtLeastOnce)
            {
                CorrelationData = request.CorrelationData,
                ContentType = "application/json",
            });
            return Task.CompletedTask;
        });
    }
}
