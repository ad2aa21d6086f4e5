using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace Schlage2Mqtt.Simulator.Tests;

/// <summary>
/// AWS's own JavaScript Cognito client (amazon-cognito-identity-js, run by node) logs in to the
/// simulator and refreshes: proof that the server-side SRP is the real protocol, not a private dialect.
/// The client reads the wall clock for its TIMESTAMP, so this simulator runs on the system clock.
/// </summary>
public sealed class NodeInteropTests
{
    [Fact]
    public async Task Aws_javascript_client_logs_in_refreshes_and_its_token_opens_the_api()
    {
        await using var simulator = new SchlageCloudSimulator(TestCloud.DefaultOptions(), TimeProvider.System);
        await simulator.StartAsync();

        var lines = await RunAsync(simulator, TestCloud.Email, TestCloud.Password);

        var login = lines[0];
        Assert.True(login.GetProperty("ok").GetBoolean(), login.ToString());
        Assert.Equal(simulator.Accounts[0].UserIdForSrp, login.GetProperty("sub").GetString());
        var refresh = lines[1];
        Assert.True(refresh.GetProperty("ok").GetBoolean(), refresh.ToString());
        Assert.Equal(1, simulator.Calls.SrpLogins);
        Assert.Equal(1, simulator.Calls.Refreshes);

        using var http = new HttpClient { BaseAddress = simulator.BaseUrl };
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/users/@me");
        request.Headers.Add("X-Api-Key", SimulatorDefaults.ApiKey);
        request.Headers.Authorization = new("Bearer", refresh.GetProperty("accessToken").GetString());
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Aws_javascript_client_sees_NotAuthorizedException_for_a_wrong_password()
    {
        await using var simulator = new SchlageCloudSimulator(TestCloud.DefaultOptions(), TimeProvider.System);
        await simulator.StartAsync();

        var lines = await RunAsync(simulator, TestCloud.Email, "not-the-password");

        Assert.False(lines[0].GetProperty("ok").GetBoolean());
        Assert.Equal("NotAuthorizedException", lines[0].GetProperty("code").GetString());
        Assert.Equal("Incorrect username or password.", lines[0].GetProperty("message").GetString());
    }

    private static async Task<IReadOnlyList<JsonElement>> RunAsync(SchlageCloudSimulator simulator, string username, string password)
    {
        var dir = InteropDirectory();
        if (!Directory.Exists(Path.Combine(dir, "node_modules", "amazon-cognito-identity-js")))
        {
            // test.sh runs `npm ci` in every interop folder; this covers a bare `dotnet test`.
            var (code, output) = await ExecAsync("npm", dir, "ci", "--no-audit", "--no-fund");
            Assert.True(code == 0, "npm ci failed: " + output);
        }
        var (exit, stdout) = await ExecAsync("node", dir, "login.js", simulator.CognitoUrl.ToString(), simulator.Options.UserPoolId,
            SimulatorDefaults.PublicClientId, username, password);
        Assert.True(exit == 0, "node failed: " + stdout);
        return [.. stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.StartsWith('{'))
            .Select(l => JsonDocument.Parse(l).RootElement.Clone())];
    }

    private static string InteropDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Schlage2Mqtt.Simulator.Tests", "cognito-interop");
            if (File.Exists(Path.Combine(candidate, "package.json")))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException("tests/Schlage2Mqtt.Simulator.Tests/cognito-interop not found above " + AppContext.BaseDirectory);
    }

    private static async Task<(int ExitCode, string Output)> ExecAsync(string file, string workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start " + file);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
