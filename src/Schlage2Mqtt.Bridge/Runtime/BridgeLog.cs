using System.Text.Json;
using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Bridge.Contract;
using Schlage2Mqtt.Bridge.Topics;
using Schlage2Mqtt.Mqtt;

namespace Schlage2Mqtt.Bridge.Runtime;

/// <summary>Warnings and errors for users: to <c>bridge/log</c> (for flows and dashboards) and to the process log.</summary>
internal sealed class BridgeLog(BridgePublisher publisher, BridgeTopics topics, ILogger logger)
{
    public void Warning(string message, string? lockId = null, BridgeError? error = null) => Write("warning", LogLevel.Warning, message, lockId, error);

    public void Error(string message, string? lockId = null, BridgeError? error = null) => Write("error", LogLevel.Error, message, lockId, error);

    private void Write(string level, LogLevel logLevel, string message, string? lockId, BridgeError? error)
    {
        logger.Log(logLevel, "{Message}{Lock}{Hint}", message, lockId is null ? "" : $" [lock {lockId}]", error?.Hint is null ? "" : $" Hint: {error.Hint}");
        var payload = new BridgeLogPayload(level, message, lockId, error?.Code, error?.Hint);
        publisher.Send(new MqttMessage(topics.BridgeLog, JsonSerializer.SerializeToUtf8Bytes(payload, ContractJson.Default.BridgeLogPayload)));
    }
}
