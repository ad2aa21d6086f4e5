using Schlage2Mqtt.Cloud;
using Schlage2Mqtt.Schlage.Options;
using Schlage2Mqtt.Schlage.Tests.Fakes;
using Schlage2Mqtt.Schlage.Tests.Support;

namespace Schlage2Mqtt.Schlage.Tests.Auth;

/// <summary>A full login + refresh + failure run, with every log line and message searched for secrets.</summary>
public class NoSecretsInLogsTests
{
    [Fact]
    public async Task No_password_token_api_key_client_secret_or_PIN_appears_in_logs_messages_or_ToString()
    {
        using var h = new CloudHarness();
        h.Cloud.AddWiFiLock("lock-1");
        h.Cloud.AddBridgeLock("sense-1");
        var texts = new List<string>();
        void Keep(object? value)
        {
            if (value is not null)
            {
                texts.Add(value.ToString()!);
            }
        }

        // Login, then everything that renews tokens or fails, with results kept as text too.
        var login = await h.Login().LoginAsync("home", CloudHarness.Email, CloudHarness.Password, default);
        Keep(login);
        Keep(login.Failure);
        var wrong = await h.Login().LoginAsync("home2", CloudHarness.Email, "Wrong-Password-123", default);
        Keep(wrong.Failure);
        var options = CloudHarness.PasswordAccount();
        Keep(options);
        Keep(h.Cloud.Options(options));
        var account = h.Account(options);
        Keep(await account.ListLocksAsync(default));
        var add = await account.AddAccessCodeAsync("lock-1", new NewAccessCode { Name = "Guest", Code = "8642" }, default);
        Keep(add);
        Keep(await account.ListAccessCodesAsync("lock-1", default));
        Keep(new NewAccessCode { Name = "Guest", Code = "8642" });
        h.Time.Advance(TimeSpan.FromMinutes(56));
        Keep(await account.SetLockedAsync("lock-1", false, default));
        h.Cloud.ExpireAllTokens();
        Keep(await account.SetLockedAsync("sense-1", true, default));
        h.Cloud.RevokeRefreshTokens();
        h.Cloud.ExpireAllTokens();
        Keep(await account.GetLockAsync("lock-1", default));
        h.Cloud.Inject("PUT", "devices/lock-1", Fault.Http(504, "timeout", applyAnyway: true));
        Keep(await h.Drive(account.SetLockedAsync("lock-1", true, default)));
        h.Cloud.Inject("GET", "devices/lock-1/storage", Fault.Http(500, "boom"), times: 4);
        Keep(await h.Drive(account.ListAccessCodesAsync("lock-1", default)));
        var (pasted, pastedRefresh) = h.Cloud.MintPastedTokens(h.User, TimeSpan.FromMinutes(1));
        h.Time.Advance(TimeSpan.FromMinutes(2));
        var pastedOptions = new SchlageAccountOptions { Key = "pasted", AccessToken = pasted };
        Keep(pastedOptions);
        var pastedAccount = h.Account(pastedOptions);
        Keep(await pastedAccount.ListLocksAsync(default));
        Keep(pastedAccount.AuthState);
        var revoked = h.Account(new SchlageAccountOptions { Key = "revoked", AccessToken = pasted, RefreshToken = pastedRefresh });
        Keep(await revoked.ListLocksAsync(default));
        Keep(revoked.AuthState);
        Keep(await h.Store.LoadAsync("home", default));

        Assert.True(login.Succeeded);
        Assert.True(h.Cloud.SrpLogins >= 2 && h.Cloud.Refreshes >= 1 && h.Cloud.RefusedRefreshes >= 1, "the run covered login, refresh and refusal");
        var lines = h.Logs.Lines.Select(l => l.Text).Concat(texts).ToList();
        Assert.NotEmpty(h.Logs.Lines);
        string[] secrets =
        [
            CloudHarness.Password,
            "Wrong-Password-123",
            FakeSchlageCloud.ApiKey,
            "fake-client-secret",
            "8642",
            .. h.Cloud.IssuedSecrets,
        ];
        Assert.True(h.Cloud.IssuedSecrets.Count > 6);
        foreach (var line in lines)
        {
            foreach (var secret in secrets)
            {
                Assert.False(line.Contains(secret, StringComparison.Ordinal), $"A secret leaked into: {line}");
            }
        }
    }
}
