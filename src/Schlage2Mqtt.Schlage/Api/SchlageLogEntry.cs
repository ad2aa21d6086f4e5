using System.Text.Json.Serialization;
using Schlage2Mqtt.Schlage.Json;

namespace Schlage2Mqtt.Schlage.Api;

/// <summary>One activity-log entry.</summary>
public sealed record SchlageLogEntry
{
    /// <summary>Entry id.</summary>
    public string? LogId { get; init; }

    /// <summary>The device.</summary>
    public string? DeviceId { get; init; }

    /// <summary>When the cloud stored the entry.</summary>
    [JsonConverter(typeof(LenientDateTimeOffsetConverter))]
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>When the event happened, as the cloud reports it.</summary>
    [JsonConverter(typeof(LenientDateTimeOffsetConverter))]
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>The event; null when the cloud sent no object (e.g. the literal <c>"RESET_LOGS"</c> of a cleared history).</summary>
    [JsonConverter(typeof(LenientLogMessageConverter))]
    public SchlageLogMessage? Message { get; init; }
}

/// <summary>The event of a log entry.</summary>
public sealed record SchlageLogMessage
{
    /// <summary>Event code (1/2 keypad lock/unlock, 3/4 thumbturn, ... see the reference).</summary>
    [JsonConverter(typeof(LenientInt32Converter))]
    public int? EventCode { get; init; }

    /// <summary>
    /// Action as sent; the cloud sends a number (-1 unknown, 0 read, 1 action, 4 cleared), kept here as its text
    /// so a string from other firmware reads too.
    /// </summary>
    [JsonConverter(typeof(LenientStringConverter))]
    public string? Action { get; init; }

    /// <summary>The user id behind the event; the all-f UUID means none.</summary>
    [JsonConverter(typeof(LenientStringConverter))]
    public string? AccessorUuid { get; init; }

    /// <summary>The access code id behind the event; the all-f UUID means none.</summary>
    [JsonConverter(typeof(LenientStringConverter))]
    public string? KeypadUuid { get; init; }

    /// <summary>Event time in epoch seconds, as the lock reports it.</summary>
    [JsonConverter(typeof(LenientInt64Converter))]
    public long? SecondsSinceEpoch { get; init; }
}
