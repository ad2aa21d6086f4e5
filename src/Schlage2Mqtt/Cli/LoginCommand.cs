using System.CommandLine;
using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Bridge.State;
using Schlage2Mqtt.Configuration;
using Schlage2Mqtt.Hosting;
using Schlage2Mqtt.Logging;
using Schlage2Mqtt.Schlage.Provider;

namespace Schlage2Mqtt.Cli;

/// <summary>
/// <c>login</c>: signs in to a Schlage account once, stores the refresh token (never the password) in the state
/// directory, and lists the locks the account sees. After it, the config needs only the account's username.
/// </summary>
internal static class LoginCommand
{
    public const string EmailVariable = "S2M_LOGIN_EMAIL";
    public const string PasswordVariable = "S2M_LOGIN_PASSWORD";

    public static Command Create(CliContext context)
    {
        var config = CommandLine.ConfigOption();
        var account = new Option<string?>("--account") { Description = "Name of the account in the config (default: the first one)" };
        var email = new Option<string?>("--email") { Description = $"Sign-in email (default: the account's username, ${EmailVariable}, or a prompt)" };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = $"Read the password from standard input (else ${PasswordVariable}, else a prompt)" };
        var command = new Command("login", "Sign in to a Schlage Home account, store its refresh token in data_dir, and list its locks.");
        command.Options.Add(config);
        command.Options.Add(account);
        command.Options.Add(email);
        command.Options.Add(passwordStdin);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(config)!;
            var loaded = ConfigLoader.Load(path, context.Environment);
            if (!loaded.IsValid)
            {
                ConfigErrorPrinter.Print(context.Error, path, loaded.Errors);
                return 1;
            }
            var appConfig = loaded.Config!;
            var name = parse.GetValue(account);
            var target = name is null ? appConfig.Schlage.Accounts[0] : appConfig.Schlage.Accounts.FirstOrDefault(a => a.Key == name);
            if (target is null)
            {
                context.Error.WriteLine($"login: no account named '{name}' in {path}; known: {string.Join(", ", appConfig.Schlage.Accounts.Select(a => a.Key))}");
                return 1;
            }

            var address = parse.GetValue(email) ?? context.Environment[EmailVariable] as string ?? target.NormalizedUsername
                ?? Prompt(context, "Schlage Home email: ", secret: false);
            if (string.IsNullOrWhiteSpace(address))
            {
                context.Error.WriteLine($"login: no email; pass --email, set {EmailVariable}, or run it in a terminal");
                return 1;
            }
            var password = parse.GetValue(passwordStdin)
                ? (await context.In.ReadLineAsync(cancellationToken))?.TrimEnd('\r', '\n')
                : context.Environment[PasswordVariable] as string ?? Prompt(context, $"Password for {address}: ", secret: true);
            if (string.IsNullOrEmpty(password))
            {
                context.Error.WriteLine($"login: no password; use --password-stdin, set {PasswordVariable}, or run it in a terminal");
                return 1;
            }

            var redactor = new SecretRedactor();
            redactor.Add(password);
            using var loggers = LoggerFactory.Create(b => b
                .AddProvider(new RedactingConsoleLoggerProvider(redactor, TimeProvider.System, context.Error))
                .SetMinimumLevel(LogLevel.Warning));
            using var store = new StateStore(appConfig.DataDir, loggers.CreateLogger<StateStore>());
            using var tokens = new FileRefreshTokenStore(store);
            using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
            var login = new SchlageLogin(appConfig.Schlage, tokens, http, TimeProvider.System, loggers);
            var result = await login.LoginAsync(target.Key, address.Trim(), password, cancellationToken);
            if (!result.Succeeded)
            {
                context.Error.WriteLine($"login failed: {result.Failure!.Message}");
                return 1;
            }
            context.Out.WriteLine($"Signed in as {address.Trim().ToLowerInvariant()} (account '{target.Key}'). The refresh token is stored in {Path.Combine(appConfig.DataDir, "tokens.json")} (mode 0600); the password was not saved.");
            if (result.LocksFailure is { } failure)
            {
                context.Error.WriteLine($"Could not list the locks: {failure.Message}");
                return 1;
            }
            context.Out.WriteLine($"The account sees {result.Locks.Count} lock(s):");
            foreach (var l in result.Locks)
            {
                context.Out.WriteLine($"  {l.Name ?? "(no name)"}  {l.ModelName ?? l.DeviceType ?? "unknown model"}  {l.DeviceId}  {(l.Connected == false ? "offline" : "online")}");
            }
            if (target.Username is null)
            {
                context.Out.WriteLine($"Add `username: {address.Trim().ToLowerInvariant()}` to account '{target.Key}' in {path} so the bridge uses this login.");
            }
            return 0;
        });
        return command;
    }

    private static string? Prompt(CliContext context, string question, bool secret)
    {
        if (!context.Interactive)
        {
            return null;
        }
        context.Out.Write(question);
        if (!secret)
        {
            return Console.ReadLine();
        }
        var text = new System.Text.StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                context.Out.WriteLine();
                return text.ToString();
            }
            if (key.Key == ConsoleKey.Backspace)
            {
                if (text.Length > 0)
                {
                    text.Length--;
                }
            }
            else if (!char.IsControl(key.KeyChar))
            {
                text.Append(key.KeyChar);
            }
        }
    }
}
