using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Bridge.Commands;
using Schlage2Mqtt.Bridge.Contract;
using Schlage2Mqtt.Bridge.Requests;
using Schlage2Mqtt.Bridge.Topics;
using Schlage2Mqtt.Mqtt;

namespace Schlage2Mqtt.Bridge.Runtime;

/// <summary>
/// Routes every incoming message: lock commands, requests, Home Assistant's birth message, and retained discovery
/// configs for the stale-config sweep. A retained delivery on a command or request topic is never acted on (a
/// replayed retained UNLOCK must not open a door): it is dropped and counted. Commands run in the background so one
/// slow lock never holds up the next message.
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
    StaleDiscoveryCleaner? cleaner,
    Action homeAssistantOnline,
    ILogger logger)
{
    public ValueTask OnMessageAsync(MqttMessage message, CancellationToken cancellationToken)
    {
        if (options.HomeAssistantEnabled && message.Topic == options.HomeAssistantStatusTopic)
        {
            if (message.Payload.Span.SequenceEqual("online"u8))
            {
                homeAssistantOnline();
            }
            return ValueTask.CompletedTask;
        }

        var incoming = topics.Classify(message.Topic);
        if (incoming.Kind == IncomingKind.None)
        {
            cleaner?.Observe(message);
            return ValueTask.CompletedTask;
        }
        if (message.Retain)
        {
            counters.RetainedDrop();
            logger.LogWarning("Ignored a RETAINED message on {Topic}: commands and requests must not be retained (clear it with: mosquitto_pub -r -n -t '{Topic}')", message.Topic, message.Topic);
            return ValueTask.CompletedTask;
        }

        switch (incoming.Kind)
        {
            case IncomingKind.Request:
                counters.Request();
                work.Run($"request {incoming.Detail}", ct => requests.HandleAsync(incoming.Detail!, message, ct));
                break;
            case IncomingKind.Set:
            case IncomingKind.SetAttribute:
            case IncomingKind.Get:
                counters.Command();
                work.Run($"command on {message.Topic}", ct => HandleCommandAsync(incoming, message, ct));
                break;
        }
        return ValueTask.CompletedTask;
    }

    private async Task HandleCommandAsync(IncomingTopic incoming, MqttMessage message, CancellationToken cancellationToken)
    {
        var entry = registry.Find(incoming.TopicId!);
        if (entry is null)
        {
            Reject(message, BridgeErrors.UnknownLock(LockCommandParser.Shorten(incoming.TopicId!), registry.Entries.Select(e => e.TopicId)), null);
            return;
        }
        if (incoming.Kind == IncomingKind.Get)
        {
            var refreshed = await commands.RefreshAsync(entry, cancellationToken);
            Answer(message, entry, refreshed);
            return;
        }

        var (command, error) = incoming.Kind == IncomingKind.Set
            ? LockCommandParser.ParseSet(message.Payload.Span)
            : LockCommandParser.ParseAttribute(incoming.Detail!, message.Payload.Span);
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
        Respond(message, new JsonObject { ["status"] = "error", ["data"] = null, ["error"] = JsonSerializer.SerializeToNode(error, ContractJson.Default.BridgeError) });
    }

    // Plain command topics answer only when the sender asked for it with an MQTT 5 Response Topic.
    private void Answer(MqttMessage message, LockEntry entry, CommandOutcome outcome)
    {
        var envelope = new JsonObject
        {
            ["status"] = outcome.Ok ? "ok" : "error",
            ["data"] = LockData.Of(entry, outcome.State ?? entry.Published),
        };
        if (outcome.Error is { } error)
        {
            envelope["error"] = JsonSerializer.SerializeToNode(error, ContractJson.Default.BridgeError);
        }
        Respond(message, envelope);
    }

    private void Respond(MqttMessage request, JsonObject envelope)
    {
        if (string.IsNullOrEmpty(request.ResponseTopic) || !MqttTopic.IsValidTopicName(request.ResponseTopic))
        {
            return;
        }
        work.Run("command response", _ =>
        {
            requests.Publisher.Send(new MqttMessage(request.ResponseTopic, Encoding.UTF8.GetBytes(envelope.ToJsonString()), MqttQualityOfService.AtLeastOnce)
            {
                CorrelationData = request.CorrelationData,
                ContentType = "application/json",
            });
            return Task.CompletedTask;
        });
    }
}
