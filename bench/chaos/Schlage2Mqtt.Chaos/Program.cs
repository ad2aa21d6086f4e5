using Schlage2Mqtt.Chaos;

// bench/chaos/run.sh [--quick] [--only a,b,...] [--hostile N] ...; prints the table, exits 0 (goals are reported, not enforced).
var options = ChaosOptions.Parse(args);
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
var suite = new ChaosSuite(options, ChaosDaemon.Locate(), Console.Error);
var report = await suite.RunAsync(cancel.Token);
Console.WriteLine(report.Render(options));
return args.Contains("--strict") && !report.AllMet ? 1 : 0;
