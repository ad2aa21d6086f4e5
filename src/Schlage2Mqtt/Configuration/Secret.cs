namespace Schlage2Mqtt.Configuration;

/// <summary>
/// A secret value from configuration (password, token, api key). Its <see cref="ToString"/> never reveals it,
/// so a secret that slips into a log message or an exception renders as <c>***</c>.
/// </summary>
public sealed class Secret(string value)
{
    /// <summary>The secret itself; read it only where it is sent to its destination.</summary>
    public string Reveal() => value;

    /// <inheritdoc />
    public override string ToString() => "***";
}
