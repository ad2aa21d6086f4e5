namespace Schlage2Mqtt.Mqtt;

/// <summary>TLS settings for <c>mqtts://</c> and <c>wss://</c> servers. All files are PEM.</summary>
public sealed record MqttTlsOptions
{
    /// <summary>CA certificate(s) to trust instead of the system store (PEM file, may hold several certificates).</summary>
    public string? CaFile { get; init; }

    /// <summary>Client certificate for mutual TLS (PEM); needs <see cref="KeyFile"/>.</summary>
    public string? CertFile { get; init; }

    /// <summary>Private key of <see cref="CertFile"/> (PEM, unencrypted PKCS#8, PKCS#1 or SEC1).</summary>
    public string? KeyFile { get; init; }

    /// <summary>
    /// When <see langword="false"/>, the server certificate is NOT verified (any certificate, any name). Only for
    /// testing against self-signed brokers; it defeats TLS's protection against impostors.
    /// </summary>
    public bool RejectUnauthorized { get; init; } = true;

    /// <summary>Name sent as SNI and checked against the certificate; defaults to the host of the server URL.</summary>
    public string? ServerName { get; init; }
}
