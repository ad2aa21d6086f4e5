using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Logging;
using Schlage2Mqtt.TestSupport;

namespace Schlage2Mqtt.Tests.Logging;

public sealed class RedactingConsoleLoggerProviderTests
{
    [Fact]
    public void Messages_and_exceptions_are_redacted_and_formatted_one_line_per_entry()
    {
        var redactor = new SecretRedactor();
        redactor.Add("pw-very-secret");
        var output = new StringWriter();
        using var provider = new RedactingConsoleLoggerProvider(redactor, new ManualTimeProvider(), output);
        var logger = provider.CreateLogger("Schlage2Mqtt.Bridge.Poller");

        logger.LogWarning("Login with {Password} failed", "pw-very-secret");
        logger.LogError(new InvalidOperationException("refused pw-very-secret"), "Refresh failed");

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("2026-11-22 10:00:00.000 warn  Bridge.Poller: Login with *** failed", lines[0]);
        Assert.Equal("2026-11-22 10:00:00.000 error Bridge.Poller: Refresh failed", lines[1]);
        Assert.Contains("InvalidOperationException: refused ***", lines[2], StringComparison.Ordinal);
        Assert.DoesNotContain("pw-very-secret", output.ToString(), StringComparison.Ordinal);
    }
}
