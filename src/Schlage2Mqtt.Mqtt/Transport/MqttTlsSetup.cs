using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Schlage2Mqtt.Mqtt.Transport;

/// <summary>Builds TLS client settings from the PEM files and switches of <see cref="MqttTlsOptions"/>.</summary>
internal static class MqttTlsSetup
{
    public static SslClientAuthenticationOptions ClientOptions(MqttServerAddress address, MqttTlsOptions tls)
    {
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = tls.ServerName ?? address.Host,
            ApplicationProtocols = address.Kind == MqttTransportKind.Tls ? [new SslApplicationProtocol("mqtt")] : null,
        };
        if (tls.CertFile is not null && tls.KeyFile is not null)
        {
            using var pem = X509Certificate2.CreateFromPemFile(tls.CertFile, tls.KeyFile);
            // An ephemeral PEM key is not usable by every platform's TLS stack; a PKCS#12 round trip gives a persisted one.
            options.ClientCertificates = [X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null)];
        }
        if (!tls.RejectUnauthorized)
        {
            // The explicit reject_unauthorized: false escape hatch: the user asked not to verify the broker.
#pragma warning disable CA5359
            options.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
#pragma warning restore CA5359
        }
        else if (tls.CaFile is not null)
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(tls.CaFile);
            if (roots.Count == 0)
            {
                throw new MqttException($"TLS CA file '{tls.CaFile}' holds no PEM certificate.");
            }
            var policy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
            };
            policy.CustomTrustStore.AddRange(roots);
            options.CertificateChainPolicy = policy;
        }
        return options;
    }
}
