using BenchmarkDotNet.Running;
using Schlage2Mqtt.Mqtt.Bench;

// "publish ..." measures a live publish run against a broker (used by bench/mqtt/run.sh);
// anything else runs the BenchmarkDotNet suite (allocations and time of the encode + publish path).
if (args.Length > 0 && args[0] == "publish")
{
    return await PublishRun.RunAsync(args[1..]);
}
// "publish-mqttnet ..." is the same run with MQTTnet as the client (the .NET peer in bench/mqtt/run.sh).
if (args.Length > 0 && args[0] == "publish-mqttnet")
{
    return await MqttNetPublishRun.RunAsync(args[1..]);
}
BenchmarkSwitcher.FromAssembly(typeof(PublishRun).Assembly).Run(args);
return 0;
