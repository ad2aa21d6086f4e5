using System.Collections;
using Schlage2Mqtt.Cli;

namespace Schlage2Mqtt.Tests.Cli;

public sealed class CheckConfigCommandTests
{
    private static async Task<(int Exit, string Out, string Err)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await CommandLine.InvokeAsync(args, new CliContext(stdout, stderr, new Hashtable()));
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task The_example_config_passes_with_exit_0_and_prints_the_effective_config_redacted()
    {
        var (exit, stdout, stderr) = await Run("check-config", "--config", RepoPaths.File("config.example.yaml"));
        Assert.Equal(0, exit);
        Assert.Contains("server: mqtt://localhost:1883", stdout, StringComparison.Ordinal);
        Assert.Contains("api_key: '***'", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("change-me", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("hnuu9jbbJr7MssFDWm5nU2Z7nG5Q5rxsaqWsE7e9", stdout, StringComparison.Ordinal);
        Assert.Contains("configuration is valid", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_broken_config_exits_1_with_one_line_per_problem_naming_the_keys()
    {
        var path = Path.Combine(Path.GetTempPath(), $"s2m-broken-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, "mqtt:\n  sever: x\nschlage:\n  poll_interval: 5\n  accounts:\n    - username: a@b.c\n");
        try
        {
            var (exit, stdout, stderr) = await Run("check-config", "--config", path);
            Assert.Equal(1, exit);
            Assert.Empty(stdout);
            Assert.Contains("2 problems", stderr, StringComparison.Ordinal);
            Assert.Contains("mqtt.sever: unknown key; did you mean mqtt.server?", stderr, StringComparison.Ordinal);
            Assert.Contains("schlage.poll_interval: '5' is below the minimum of 15s", stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Run_with_an_invalid_config_fails_fast_with_exit_1()
    {
        var (exit, _, stderr) = await Run("run", "--config", "/nonexistent/config.yaml");
        Assert.Equal(1, exit);
        Assert.Contains("cannot read", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_lists_the_commands_with_examples()
    {
        var (exit, stdout, _) = await Run("--help");
        Assert.Equal(0, exit);
        Assert.Contains("Examples:", stdout, StringComparison.Ordinal);
        Assert.Contains("check-config", stdout, StringComparison.Ordinal);
        Assert.Contains("run", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_prints_the_version()
    {
        var (exit, stdout, _) = await Run("--version");
        Assert.Equal(0, exit);
        Assert.Matches(@"^\d+\.\d+\.\d+", stdout);
    }

    [Fact]
    public async Task Health_against_nothing_listening_exits_1_with_a_hint()
    {
        var port = TestSupport.FreePort.Next();
        var (exit, _, stderr) = await Run("health", "--url", $"http://127.0.0.1:{port}/health");
        Assert.Equal(1, exit);
        Assert.Contains("Is the bridge running with http.listen set?", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_with_an_unusable_data_dir_exits_1_naming_data_dir()
    {
        var path = Path.Combine(Path.GetTempPath(), $"s2m-datadir-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, "schlage:\n  accounts:\n    - username: a@b.c\ndata_dir: /proc/s2m-cannot-exist\n");
        try
        {
            var (exit, _, stderr) = await Run("run", "--config", path);
            Assert.Equal(1, exit);
            Assert.Contains("data_dir: cannot use /proc/s2m-cannot-exist", stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
