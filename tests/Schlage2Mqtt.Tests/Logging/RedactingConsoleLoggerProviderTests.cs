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

public sealed class LogInjectionTests
{
    private static (StringWriter Output, ILogger Logger, RedactingConsoleLoggerProvider Provider) Create(SecretRedactor? redactor = null)
    {
        var output = new StringWriter();
        var provider = new RedactingConsoleLoggerProvider(redactor ?? new SecretRedactor(), new ManualTimeProvider(), output);
        return (output, provider.CreateLogger("Schlage2Mqtt.Bridge.AccessCodes"), provider);
    }

    [Theory]
    [InlineData("Guest\n2026-11-22 10:00:00.000 error Bridge: forged", "Guest\\n2026-11-22 10:00:00.000 error Bridge: forged")]
    [InlineData("a\r\nb", "a\\r\\nb")]
    [InlineData("red\u001b[31mcode", "red\\u001b[31mcode")]
    [InlineData("tab\tbell\u0007nul\u0000", "tab\\tbell\\u0007nul\\u0000")]
    [InlineData("c1\u0085\u009bdel\u007f", "c1\\u0085\\u009bdel\\u007f")]
    [InlineData("ls\u2028ps\u2029", "ls\\u2028ps\\u2029")]
    [InlineData("Café Ünïcode 🔒 C:\\path", "Café Ünïcode 🔒 C:\\path")]
    public void Arguments_with_controls_and_line_breaks_stay_on_one_escaped_line(string name, string shown)
    {
        var (output, logger, provider) = Create();
        using (provider)
        {
            logger.LogInformation("Code {Name} set on {Lock}", name, "Front\nDoor");
        }

        var text = output.ToString();
        Assert.Equal($"2026-11-22 10:00:00.000 info  Bridge.AccessCodes: Code {shown} set on Front\\nDoor{Environment.NewLine}", text);
    }

    [Fact]
    public void A_message_template_with_a_line_break_is_escaped_too()
    {
        var (output, logger, provider) = Create();
        using (provider)
        {
            logger.LogWarning("first\nsecond");
        }

        Assert.Single(output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Exception_lines_after_the_first_are_indented_and_secrets_with_controls_still_redacted()
    {
        var redactor = new SecretRedactor();
        redactor.Add("pw\nsecret");
        var (output, logger, provider) = Create(redactor);
        using (provider)
        {
            logger.LogError(new InvalidOperationException("lock 'x\n2026-11-22 10:00:00.000 info  Bridge: forged' pw\nsecret"), "Failed {Arg}", "pw\nsecret");
        }

        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries).SelectMany(l => l.Split('\n')).ToList();
        Assert.Equal("2026-11-22 10:00:00.000 error Bridge.AccessCodes: Failed ***", lines[0]);
        Assert.All(lines.Skip(1), l => Assert.StartsWith("    ", l, StringComparison.Ordinal));
        Assert.DoesNotContain("secret", output.ToString(), StringComparison.Ordinal);
    }
}
