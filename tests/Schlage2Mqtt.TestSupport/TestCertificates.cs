using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Schlage2Mqtt.TestSupport;

/// <summary>
/// A throw-away PKI written as PEM files: a CA, a server certificate for localhost/127.0.0.1 and a client
/// certificate, all signed by the CA; plus an unrelated CA and a client certificate it signed, for negative tests.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private TestCertificates(string directory)
    {
        Directory = directory;
    }

    /// <summary>Where the files are.</summary>
    public string Directory { get; }

    /// <summary>The CA certificate (PEM).</summary>
    public string CaCertFile => Path.Combine(Directory, "ca.crt");

    /// <summary>The server certificate (PEM), SAN localhost and 127.0.0.1.</summary>
    public string ServerCertFile => Path.Combine(Directory, "server.crt");

    /// <summary>The server key (PEM, PKCS#8).</summary>
    public string ServerKeyFile => Path.Combine(Directory, "server.key");

    /// <summary>A client certificate signed by the CA (PEM).</summary>
    public string ClientCertFile => Path.Combine(Directory, "client.crt");

    /// <summary>The client key (PEM, PKCS#8).</summary>
    public string ClientKeyFile => Path.Combine(Directory, "client.key");

    /// <summary>A different CA, unrelated to the broker's (for "wrong CA" tests).</summary>
    public string OtherCaCertFile => Path.Combine(Directory, "other-ca.crt");

    /// <summary>A client certificate signed by the other CA (PEM): well-formed, but not trusted by the broker.</summary>
    public string OtherClientCertFile => Path.Combine(Directory, "other-client.crt");

    /// <summary>The key of <see cref="OtherClientCertFile"/> (PEM, PKCS#8).</summary>
    public string OtherClientKeyFile => Path.Combine(Directory, "other-client.key");

    /// <summary>Generates the files in a new temporary directory.</summary>
    public static TestCertificates Create()
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("s2m-certs-").FullName;
        // A broker that drops root privileges must still read these throw-away files.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(directory, (UnixFileMode)0x1ED);
        }
        var certs = new TestCertificates(directory);
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=schlage2mqtt test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
        File.WriteAllText(certs.CaCertFile, ca.ExportCertificatePem());

        Issue(ca, "CN=localhost", serverAuth: true, certs.ServerCertFile, certs.ServerKeyFile, now, serial: 2);
        Issue(ca, "CN=schlage2mqtt test client", serverAuth: false, certs.ClientCertFile, certs.ClientKeyFile, now, serial: 3);

        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var otherRequest = new CertificateRequest("CN=unrelated CA", otherKey, HashAlgorithmName.SHA256);
        otherRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        otherRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        otherRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(otherRequest.PublicKey, false));
        using var other = otherRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
        File.WriteAllText(certs.OtherCaCertFile, other.ExportCertificatePem());
        // Same subject as the trusted client certificate: only the issuer differs.
        Issue(other, "CN=schlage2mqtt test client", serverAuth: false, certs.OtherClientCertFile, certs.OtherClientKeyFile, now, serial: 4);
        return certs;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Leftover temp files are harmless.
        }
    }

    private static void Issue(X509Certificate2 ca, string subject, bool serverAuth, string certFile, string keyFile, DateTimeOffset now, byte serial)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [serverAuth ? new Oid("1.3.6.1.5.5.7.3.1") : new Oid("1.3.6.1.5.5.7.3.2")], false));
        if (serverAuth)
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName("localhost");
            san.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(san.Build());
        }
        using var cert = request.Create(ca, now.AddDays(-1), now.AddMonths(6), [serial, 0x42]);
        File.WriteAllText(certFile, cert.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
    }
}
