namespace Schlage2Mqtt.Bridge.Topics;

/// <summary>The topic names of the public MQTT contract, under <c>mqtt.base_topic</c>.</summary>
public sealed class BridgeTopics(string baseTopic)
{
    /// <summary>The base topic, e.g. <c>schlage2mqtt</c>.</summary>
    public string Base { get; } = baseTopic;

    /// <summary><c>online</c>/<c>offline</c>, retained; also the MQTT will.</summary>
    public string BridgeState => $"{Base}/bridge/state";

    /// <summary>Version, accounts, locks, push state, config summary; retained.</summary>
    public string BridgeInfo => $"{Base}/bridge/info";

    /// <summary>Periodic health figures; retained.</summary>
    public string BridgeHealth => $"{Base}/bridge/health";

    /// <summary>Warnings and errors for humans and flows; not retained.</summary>
    public string BridgeLog => $"{Base}/bridge/log";

    /// <summary>Filter matching every request topic.</summary>
    public string RequestFilter => $"{Base}/bridge/request/#";

    /// <summary>The response topic of operation <paramref name="op"/>.</summary>
    public string Response(string op) => $"{Base}/bridge/response/{op}";

    /// <summary>Prefix of request topics; the rest of the topic is the operation (<c>access_code/add</c>).</summary>
    public string RequestPrefix => $"{Base}/bridge/request/";

    /// <summary>A lock's full state, retained.</summary>
    public string Lock(string topicId) => $"{Base}/{topicId}";

    /// <summary>A lock's availability, retained.</summary>
    public string Availability(string topicId) => $"{Base}/{topicId}/availability";

    /// <summary>A lock's command topic.</summary>
    public string Set(string topicId) => $"{Base}/{topicId}/set";

    /// <summary>A lock's single-attribute command topic.</summary>
    public string SetAttribute(string topicId, string attribute) => $"{Base}/{topicId}/set/{attribute}";

    /// <summary>A lock's refresh topic.</summary>
    public string Get(string topicId) => $"{Base}/{topicId}/get";

    /// <summary>A lock's activity events, not retained.</summary>
    public string Activity(string topicId) => $"{Base}/{topicId}/activity";

    /// <summary>A lock's access codes with their sync status, retained.</summary>
    public string AccessCodes(string topicId) => $"{Base}/{topicId}/access_codes";

    /// <summary>Filters for the per-lock command topics (<c>set</c>, <c>set/attr</c>, <c>get</c>).</summary>
    public IReadOnlyList<string> CommandFilters => [$"{Base}/+/set", $"{Base}/+/set/+", $"{Base}/+/get"];

    /// <summary>Classifies an incoming topic: a request, a lock command, or neither.</summary>
    public IncomingTopic Classify(string topic)
    {
        if (topic.StartsWith(RequestPrefix, StringComparison.Ordinal))
        {
            var op = topic[RequestPrefix.Length..];
            return op.Length == 0 ? IncomingTopic.None : new IncomingTopic(IncomingKind.Request, null, op);
        }
        if (!topic.StartsWith(Base + "/", StringComparison.Ordinal))
        {
            return IncomingTopic.None;
        }
        var parts = topic[(Base.Length + 1)..].Split('/');
        return parts switch
        {
            ["bridge", ..] => IncomingTopic.None,
            [var id, "set"] => new IncomingTopic(IncomingKind.Set, id, null),
            [var id, "set", var attribute] when attribute.Length > 0 => new IncomingTopic(IncomingKind.SetAttribute, id, attribute),
            [var id, "get"] => new IncomingTopic(IncomingKind.Get, id, null),
            _ => IncomingTopic.None,
        };
    }
}

/// <summary>What an incoming topic addresses.</summary>
public enum IncomingKind
{
    /// <summary>Not ours.</summary>
    None,

    /// <summary><c>bridge/request/&lt;op&gt;</c>.</summary>
    Request,

    /// <summary><c>&lt;lock&gt;/set</c>.</summary>
    Set,

    /// <summary><c>&lt;lock&gt;/set/&lt;attr&gt;</c>.</summary>
    SetAttribute,

    /// <summary><c>&lt;lock&gt;/get</c>.</summary>
    Get,
}

/// <summary>A classified incoming topic: kind, lock topic id, and operation or attribute.</summary>
public sealed record IncomingTopic(IncomingKind Kind, string? TopicId, string? Detail)
{
    /// <summary>A topic the bridge does not handle.</summary>
    public static IncomingTopic None { get; } = new(IncomingKind.None, null, null);
}
