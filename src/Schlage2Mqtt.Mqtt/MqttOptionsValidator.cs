using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;

namespace Schlage2Mqtt.Mqtt;

/// <summary>
/// The ranges and rules a configuration may choose for <see cref="MqttClientOptions"/> and
/// <see cref="MqttReconnectOptions"/>. Problems name their key in config spelling (<c>keepalive</c>, <c>tls.cert</c>,
/// <c>reconnect_delay</c>) after an optional key prefix, and say what to do. It is stricter than the records' own
/// <c>Validate()</c>, which guards only what the protocol and the client cannot work without (tests use tiny delays).
/// </summary>
public sealed class MqttOptionsValidator : IValidateOptions<MqttClientOptions>, IValidateOptions<MqttReconnectOptions>
{
    private readonly string _prefix;

    /// <summary>A validator whose keys are relative to the <c>mqtt:</c> section (e.g. <c>keepalive</c>).</summary>
    public MqttOptionsValidator()
        : this("")
    {
    }

    /// <summary>A validator whose keys start with <paramref name="keyPrefix"/> (e.g. <c>mqtt.</c>).</summary>
    public MqttOptionsValidator(string keyPrefix)
    {
        ArgumentNullException.ThrowIfNull(keyPrefix);
        _prefix = keyPrefix;
    }

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, MqttClientOptions options) => Result(fail => Check(options, fail));

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, MqttReconnectOptions options) => Result(fail => Check(options, fail));

    /// <summary>Reports every problem of the connection settings to <paramref name="fail"/> as (key, message).</summary>
    public void Check(MqttClientOptions options, Action<string, string> fail)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(fail);
        void Fail(string key, string message) => fail(_prefix + key, message);

        MqttServerAddress? address = null;
        try
        {
            address = MqttServerAddress.Parse(options.Server);
        }
        catch (ArgumentException ex)
        {
            Fail("server", ex.Message);
        }
        // A persistent session is found again only by its client id.
        if (string.IsNullOrEmpty(options.ClientId) && !options.CleanStart)
        {
            Fail("client_id", "must not be empty (the broker keeps this client's session by its id); use 1-23 letters, digits, '-' or '_'");
        }
        else if (Encoding.UTF8.GetByteCount(options.ClientId ?? "") > ushort.MaxValue)
        {
            Fail("client_id", "is longer than 65535 bytes; use 1-23 letters, digits, '-' or '_'");
        }
        if (options.KeepAlive < TimeSpan.Zero || options.KeepAlive > TimeSpan.FromSeconds(ushort.MaxValue))
        {
            Fail("keepalive", $"'{Seconds(options.KeepAlive)}' is {(options.KeepAlive < TimeSpan.Zero ? "below the minimum of 0s" : "above the maximum of 65535s")}");
        }

        var tls = options.Tls;
        if ((tls.CertFile is null) != (tls.KeyFile is null))
        {
            Fail(tls.CertFile is null ? "tls.cert" : "tls.key", $"a client certificate needs both {_prefix}tls.cert and {_prefix}tls.key; set both or neither");
        }
        if (address is { IsSecure: false })
        {
            // Settings that only TLS reads would be silently ignored on a plain connection.
            var ignored = new (string Key, bool Set)[]
            {
                ("tls.ca", tls.CaFile is not null),
                ("tls.cert", tls.CertFile is not null),
                ("tls.key", tls.KeyFile is not null),
                ("tls.server_name", tls.ServerName is not null),
                ("tls.reject_unauthorized", !tls.RejectUnauthorized),
            };
            foreach (var (key, _) in ignored.Where(t => t.Set))
            {
                Fail(key, $"is set, but {_prefix}server '{options.Server}' is not encrypted; use mqtts:// or wss:// to enable TLS");
            }
        }
    }

    /// <summary>Reports every problem of the reconnection settings to <paramref name="fail"/> as (key, message).</summary>
    public void Check(MqttReconnectOptions options, Action<string, string> fail)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(fail);
        void Fail(string key, string message) => fail(_prefix + key, message);

        // Back within seconds of a broker's return (issue 19), without hammering one that stays away.
        var first = Range(Fail, "reconnect_delay", options.InitialDelay, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1));
        var max = Range(Fail, "reconnect_max_delay", options.MaxDelay, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
        if (first && max && options.MaxDelay < options.InitialDelay)
        {
            Fail("reconnect_max_delay", $"is {Seconds(options.MaxDelay)}, shorter than {_prefix}reconnect_delay ({Seconds(options.InitialDelay)}); make it at least as long");
        }
    }

    private static bool Range(Action<string, string> fail, string key, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            fail(key, $"'{Seconds(value)}' is {(value < min ? $"below the minimum of {Seconds(min)}" : $"above the maximum of {Seconds(max)}")}");
            return false;
        }
        return true;
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";

    private static ValidateOptionsResult Result(Action<Action<string, string>> check)
    {
        var failures = new List<string>();
        check((key, message) => failures.Add($"{key}: {message}"));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
