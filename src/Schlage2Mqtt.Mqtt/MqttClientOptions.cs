namespace Schlage2Mqtt.Mqtt;

/// <summary>
/// How to reach and talk to one broker. <see cref="Server"/> is a URL: <c>mqtt://host[:1883]</c>,
/// <c>mqtts://host[:8883]</c>, <c>ws://host[:80][/mqtt]</c> or <c>wss://host[:443][/mqtt]</c>; a WebSocket URL keeps
/// its path and query (for example a presigned URL). Call <see cref="Validate"/> to get errors naming the field.
/// </summary>
public sealed record MqttClientOptions
{
    /// <summary>Broker URL (see the type summary for the schemes and default ports).</summary>
    public required string Server { get; init; }

    /// <summary>Client identifier; empty asks the broker to assign one (requires <see cref="CleanStart"/> under 3.1.1).</summary>
    public string ClientId { get; init; } = "";

    /// <summary>Protocol version; MQTT 5 by default.</summary>
    public MqttProtocolVersion ProtocolVersion { get; init; } = MqttProtocolVersion.V500;

    /// <summary>Keepalive interval (whole seconds, at most 65535 s); <see cref="TimeSpan.Zero"/> turns keepalive off.</summary>
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Start a new session (3.1.1: clean session). When false the broker resumes a stored session if it has one.</summary>
    public bool CleanStart { get; init; } = true;

    /// <summary>MQTT 5 Session Expiry Interval: how long the broker keeps the session after the connection closes (0 = ends with it).</summary>
    public TimeSpan SessionExpiryInterval { get; init; } = TimeSpan.Zero;

    /// <summary>User name, or <see langword="null"/>.</summary>
    public string? Username { get; init; }

    /// <summary>Password, or <see langword="null"/>. Never logged.</summary>
    public string? Password { get; init; }

    /// <summary>Will message the broker publishes when this client vanishes without a normal DISCONNECT.</summary>
    public MqttMessage? Will { get; init; }

    /// <summary>MQTT 5 Will Delay Interval: how long the broker waits before publishing the will.</summary>
    public TimeSpan WillDelayInterval { get; init; } = TimeSpan.Zero;

    /// <summary>TLS settings, used for <c>mqtts://</c> and <c>wss://</c>.</summary>
    public MqttTlsOptions Tls { get; init; } = new();

    /// <summary>Extra HTTP headers of the WebSocket upgrade request (<c>ws://</c>, <c>wss://</c>).</summary>
    public IReadOnlyDictionary<string, string> WebSocketHeaders { get; init; } = new Dictionary<string, string>();

    /// <summary>Time allowed for the transport to open and the CONNACK to arrive.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>MQTT 5 Receive Maximum this client announces (QoS 1/2 deliveries the broker may have in flight to us).</summary>
    public ushort ReceiveMaximum { get; init; } = ushort.MaxValue;

    /// <summary>Largest packet this client accepts (also announced under MQTT 5); 0 means the protocol maximum.</summary>
    public uint MaximumPacketSize { get; init; }

    /// <summary>MQTT 5 Topic Alias Maximum this client accepts from the broker (inbound topic aliases); 0 disables.</summary>
    public ushort TopicAliasMaximum { get; init; } = 32;

    /// <summary>Upper bound on this client's own in-flight QoS 1/2 publishes (the broker's Receive Maximum also applies).</summary>
    public ushort MaximumInflight { get; init; } = ushort.MaxValue;

    /// <summary>Received messages waiting for the message handler before the receive loop stops reading (back-pressure).</summary>
    public int IncomingQueueCapacity { get; init; } = 10_000;

    /// <summary>MQTT 5 User Properties sent in CONNECT.</summary>
    public IReadOnlyList<MqttUserProperty> UserProperties { get; init; } = [];

    /// <summary>Throws <see cref="ArgumentException"/> with a message naming the offending field and the fix.</summary>
    public void Validate()
    {
        _ = MqttServerAddress.Parse(Server);
        if (!Enum.IsDefined(ProtocolVersion))
        {
            throw Invalid(nameof(ProtocolVersion), "must be V311 or V500");
        }
        if (MqttTopic.CheckUtf8(ClientId ?? "", "ClientId") is { } clientIdError)
        {
            throw Invalid(nameof(ClientId), clientIdError);
        }
        if (string.IsNullOrEmpty(ClientId) && !CleanStart && ProtocolVersion == MqttProtocolVersion.V311)
        {
            throw Invalid(nameof(ClientId), "must be set when CleanStart is false under MQTT 3.1.1 (a broker only resumes a named session)");
        }
        if (KeepAlive < TimeSpan.Zero || KeepAlive > TimeSpan.FromSeconds(ushort.MaxValue))
        {
            throw Invalid(nameof(KeepAlive), "must be between 0 and 65535 seconds");
        }
        if (SessionExpiryInterval < TimeSpan.Zero || SessionExpiryInterval.TotalSeconds > uint.MaxValue)
        {
            throw Invalid(nameof(SessionExpiryInterval), "must be between 0 and 4294967295 seconds");
        }
        if (Username is not null && MqttTopic.CheckUtf8(Username, "Username") is { } userError)
        {
            throw Invalid(nameof(Username), userError);
        }
        if (Password is not null && System.Text.Encoding.UTF8.GetByteCount(Password) > ushort.MaxValue)
        {
            throw Invalid(nameof(Password), "is longer than 65535 bytes");
        }
        if (Password is not null && Username is null && ProtocolVersion == MqttProtocolVersion.V311)
        {
            throw Invalid(nameof(Password), "needs a Username under MQTT 3.1.1");
        }
        if (Will is not null)
        {
            if (MqttTopic.CheckTopicName(Will.Topic) is { } willError)
            {
                throw Invalid("Will.Topic", willError);
            }
            if (!Enum.IsDefined(Will.QualityOfService))
            {
                throw Invalid("Will.QualityOfService", "must be 0, 1 or 2");
            }
            if (MqttValidation.CheckMessage(Will) is { } willPropertyError)
            {
                throw Invalid(nameof(Will), willPropertyError);
            }
        }
        if (WillDelayInterval < TimeSpan.Zero || WillDelayInterval.TotalSeconds > uint.MaxValue)
        {
            throw Invalid(nameof(WillDelayInterval), "must be between 0 and 4294967295 seconds");
        }
        if (ConnectTimeout <= TimeSpan.Zero)
        {
            throw Invalid(nameof(ConnectTimeout), "must be positive");
        }
        if (ReceiveMaximum == 0)
        {
            throw Invalid(nameof(ReceiveMaximum), "must be at least 1");
        }
        if (MaximumInflight == 0)
        {
            throw Invalid(nameof(MaximumInflight), "must be at least 1");
        }
        if (MaximumPacketSize is > 0 and < 64)
        {
            throw Invalid(nameof(MaximumPacketSize), "must be 0 (no limit) or at least 64 bytes");
        }
        if (IncomingQueueCapacity < 1)
        {
            throw Invalid(nameof(IncomingQueueCapacity), "must be at least 1");
        }
        if ((Tls.CertFile is null) != (Tls.KeyFile is null))
        {
            throw Invalid(Tls.CertFile is null ? "Tls.CertFile" : "Tls.KeyFile", "client certificate and key must be given together");
        }
        foreach (var (field, path) in new[] { ("Tls.CaFile", Tls.CaFile), ("Tls.CertFile", Tls.CertFile), ("Tls.KeyFile", Tls.KeyFile) })
        {
            if (path is not null && !File.Exists(path))
            {
                throw Invalid(field, $"file '{path}' does not exist");
            }
        }
        foreach (var header in WebSocketHeaders)
        {
            if (string.IsNullOrWhiteSpace(header.Key))
            {
                throw Invalid(nameof(WebSocketHeaders), "header names must not be empty");
            }
        }
    }

    private static ArgumentException Invalid(string field, string problem) => new($"MQTT option {field}: {problem}.", field);
}
