using System.Collections.Concurrent;
using Schlage2Mqtt.Simulator.Api;
using Schlage2Mqtt.Simulator.Internal;

namespace Schlage2Mqtt.Simulator.Cloud;

/// <summary>Async commands (<c>?async=true</c>) and their progress, pollable by id.</summary>
internal sealed class CommandTracker
{
    private readonly ConcurrentDictionary<string, TrackedCommand> _commands = new(StringComparer.Ordinal);

    /// <summary>How long a command stays pollable.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(1);

    public TrackedCommand Start(string id, string deviceId, string name, DateTimeOffset now)
    {
        foreach (var (oldId, old) in _commands)
        {
            if (old.Created < now - Retention)
            {
                _commands.TryRemove(oldId, out _);
            }
        }
        var command = new TrackedCommand(id, deviceId, name, now);
        _commands[id] = command;
        return command;
    }

    public TrackedCommand? Find(string deviceId, string id) =>
        _commands.TryGetValue(id, out var c) && c.DeviceId == deviceId ? c : null;

    public void Clear() => _commands.Clear();
}

/// <summary>One async command: Pending until the lock answers, then Successful or Failed.</summary>
internal sealed class TrackedCommand
{
    private readonly Lock _gate = new();
    private string _state = "Pending";
    private CommandOutcome? _outcome;
    private DateTimeOffset _updated;

    public TrackedCommand(string id, string deviceId, string name, DateTimeOffset created)
    {
        Id = id;
        DeviceId = deviceId;
        Name = name;
        Created = _updated = created;
    }

    public string Id { get; }

    public string DeviceId { get; }

    public string Name { get; }

    public DateTimeOffset Created { get; }

    public void Complete(CommandOutcome outcome, DateTimeOffset now)
    {
        lock (_gate)
        {
            _outcome = outcome;
            _state = outcome.Success ? "Successful" : "Failed";
            _updated = now;
        }
    }

    public CommandStatusDocument ToDocument()
    {
        lock (_gate)
        {
            var result = _outcome is { Success: true } ? new CommandResultDocument(_outcome.AccesscodeId) : null;
            var error = _outcome is { Success: false } ? new CommandErrorDocument(_outcome.StatusCode, _outcome.Message ?? "Failed") : null;
            return new CommandStatusDocument(Id, DeviceId, Name, _state, result, error, Iso8601.Format(Created), Iso8601.Format(_updated));
        }
    }
}
