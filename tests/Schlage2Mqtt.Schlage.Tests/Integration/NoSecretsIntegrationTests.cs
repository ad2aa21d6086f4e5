using System.Text.RegularExpressions;
using Schlage2Mqtt.Cloud;
using Schlage2Mqtt.Schlage.Options;
using Schlage2Mqtt.Simulator;
using Schlage2Mqtt.Simulator.Faults;

namespace Schlage2Mqtt.Schlage.Tests.Integration;

/// <summary>
/// A full login + refresh + failure run against the simulator with every log line (client and
/// simulator, all levels, structured values and exceptions) and every result's text searched for secrets.
/// </summary>
public class NoSecretsIntegrationTests(SimulatorFixture fixture) : IntegrationTest(fixture, loggedIn: false)
{
    private const string WrongPassword = "Wrong-Horse-Battery-7";
    private const string WrongApiKey = "rotated-api-key-0f3a9c";

    // Eight digits on the Sense (its first code sets the length), so no timestamp or duration can contain them by chance.
    private const string GuestPin = "48151623";
    private const string NannyPin = "90210731";
    private const string LeadingZeroPin = "04261953";

    [Fact]
    public async Task No_password_token_api_key_client_secret_or_PIN_appears_in_any_log_line_message_or_ToString()
    {
        var texts = new List<string>();
        void Keep(object? value)
        {
            if (value?.ToString() is { } text)
            {
                texts.Add(text);
            }
        }

        // Logins: the CLI's, a wrong password, and the daemon's with a password in its configuration.
        var login = await Client.Login().LoginAsync("home", SimulatorFixture.Email, SimulatorFixture.Password, default);
        Keep(login);
        Keep(await Client.Login().LoginAsync("typo", SimulatorFixture.Email, WrongPassword, default));
        Keep(await Client.Store.LoadAsync("home", default));
        var options = SimulatorClient.OwnerAccount();
        Keep(options);
        Keep(Client.Options(options));
        // Some forty calls within a minute of the clock: room in the budget, so no call waits on a clock nobody moves.
        var account = Client.Account(options, o => o with { MaxCallsPerMinute = 600 });
        Keep(await account.ListLocksAsync(default));

        // Codes pass through in both directions.
        var guest = new NewAccessCode { Name = "Guest", Code = GuestPin, NotifyOnUse = true };
        Keep(guest);
        var added = await account.AddAccessCodeAsync(SimulatorFixture.SenseId, guest, default);
        Keep(added);
        Keep(await account.AddAccessCodeAsync(SimulatorFixture.SenseId, new NewAccessCode { Name = "Zero", Code = LeadingZeroPin }, default));
        Keep(await account.UpdateAccessCodeAsync(SimulatorFixture.SenseId, added.Value!, new NewAccessCode { Name = "Nanny", Code = NannyPin }, default));
        var codes = await account.ListAccessCodesAsync(SimulatorFixture.SenseId, default);
        Keep(codes);
        codes.Value!.ToList().ForEach(Keep);
        (await account.Api.GetAccessCodesAsync(SimulatorFixture.SenseId, default)).Value!.ToList().ForEach(Keep);
        Keep(await account.SetAccessCodeNotificationAsync(SimulatorFixture.SenseId, added.Value!, "Nanny", enabled: true, default));
        Fixture.Admin.EnterKeypadCode(SimulatorFixture.SenseId, NannyPin);
        Keep(await account.GetLogsAsync(SimulatorFixture.SenseId, 10, default));

        // Refresh before expiry, refresh after a 401, refresh refused then SRP again.
        Client.Time.Advance(TimeSpan.FromMinutes(56));
        Keep(await account.SetLockedAsync(SimulatorFixture.SenseId, locked: false, default));
        Fixture.Admin.ExpireAccessTokens();
        Keep(await account.SetLockedAsync(SimulatorFixture.EncodeId, locked: true, default));
        Fixture.Admin.RevokeRefreshTokens();
        Fixture.Admin.ExpireAccessTokens();
        Keep(await account.GetLockAsync(SimulatorFixture.EncodeId, default));
        Keep(account.AuthState);

        // Failures of every kind, code writes included; the 5xx run last, as they open the circuit.
        Fixture.Admin.AddFault(FaultRule.TooManyRequests(TimeSpan.FromSeconds(10), ApiEndpoint.ListDevices) with { Count = 1 });
        Keep(await Client.Drive(account.ListLocksAsync(default)));
        Fixture.Admin.AddFault(new AccessCodeFaultRule { Fault = AccessCodeFault.Nack, Count = 1 });
        Keep(await account.AddAccessCodeAsync(SimulatorFixture.SenseId, new NewAccessCode { Name = "Nacked", Code = GuestPin }, default));
        Fixture.Admin.AddFault(new AccessCodeFaultRule { Fault = AccessCodeFault.AlreadyInUse, Count = 1 });
        Keep(await account.AddAccessCodeAsync(SimulatorFixture.SenseId, new NewAccessCode { Name = "Clash", Code = GuestPin }, default));
        Fixture.Admin.GoOffline(SimulatorFixture.EncodeId);
        Keep(await account.SetLockedAsync(SimulatorFixture.EncodeId, locked: true, default));
        Keep(await account.AddAccessCodeAsync(SimulatorFixture.EncodeId, new NewAccessCode { Name = "Offline", Code = "5555" }, default));
        Fixture.Admin.AddFault(FaultRule.AppliedButError(TimeSpan.FromSeconds(5), ApiEndpoint.PutDevice) with { Count = 1 });
        Keep(await account.SetLockedAsync(SimulatorFixture.LeverId, locked: false, default));
        Fixture.Admin.AddFault(FaultRule.Error(500, ApiEndpoint.GetAccessCodes) with { Count = 4 });
        Keep(await Client.Drive(account.ListAccessCodesAsync(SimulatorFixture.SenseId, default)));
        Keep(await account.DeleteAccessCodeAsync(SimulatorFixture.SenseId, added.Value!, default));
        Keep(account.Statistics);
        Assert.Empty(Fixture.Admin.Faults());

        // A rotated api key, a Cognito that throttles, a pasted token that expires, a refresh token without a password that is revoked.
        Keep(await Client.Account(SimulatorClient.OwnerAccount("rotated"), o => o with { ApiKey = WrongApiKey }).ListLocksAsync(default));
        Fixture.Admin.SetCognitoError(SimulatorFixture.Email, CognitoUserError.TooManyRequests, count: 1);
        Keep(await Client.Login().LoginAsync("busy", SimulatorFixture.Email, SimulatorFixture.Password, default));
        var (access, _, refresh) = Client.Tap.LastTokens!.Value;
        var pastedOptions = new SchlageAccountOptions { Key = "pasted", AccessToken = access, RefreshToken = refresh };
        Keep(pastedOptions);
        var pasted = Client.Account(pastedOptions);
        Keep(await pasted.ListLocksAsync(default));
        Fixture.Admin.RevokeRefreshTokens();
        Client.Time.Advance(TimeSpan.FromMinutes(61));
        Keep(await pasted.ListLocksAsync(default));
        Keep(pasted.AuthState);
        Keep(await Client.Account(new SchlageAccountOptions { Key = "home", Username = SimulatorFixture.Email }).ListLocksAsync(default));

        Assert.True(login.Succeeded);
        var counters = Client.Calls.Counters();
        Assert.True(counters.SrpLogins >= 3 && counters.Refreshes >= 2 && counters.RefreshAttempts > counters.Refreshes,
            "the run covered logins, refreshes and a refused refresh");
        var lines = Client.Logs.Lines.Select(l => "client: " + l.Text)
            .Concat(Fixture.SimulatorLogs.Lines.Select(l => "simulator: " + l.Text))
            .Concat(texts)
            .ToList();
        Assert.Contains(Client.Logs.Lines, l => l.Text.Contains("refreshed", StringComparison.Ordinal));
        Assert.Contains(Client.Logs.Lines, l => l.Text.Contains("failed", StringComparison.Ordinal));

        var tokens = Client.Tap.IssuedTokens;
        Assert.True(tokens.Count >= 9, $"{tokens.Count} tokens issued");
        string[] secrets =
        [
            SimulatorFixture.Password,
            WrongPassword,
            SchlageCloudOptions.DefaultApiKey,
            WrongApiKey,
            new CognitoOptions().ClientSecret!,
            .. tokens,
            .. tokens.Select(t => t.Split('.')[^1]),
            .. Client.Tap.CognitoSecrets,
        ];
        foreach (var line in lines)
        {
            foreach (var secret in secrets)
            {
                Assert.False(line.Contains(secret, StringComparison.Ordinal), $"A secret leaked into: {line}");
            }
            foreach (var pin in (string[])[GuestPin, NannyPin, LeadingZeroPin, "5555", SimulatorFixture.FamilyPin, "4261953"])
            {
                Assert.False(Regex.IsMatch(line, $"(?<![0-9]){pin}(?![0-9])"), $"A PIN leaked into: {line}");
            }
        }
    }
}
