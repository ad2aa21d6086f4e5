using Microsoft.Extensions.Logging.Abstractions;
using Schlage2Mqtt.Bridge.AccessCodes;
using Schlage2Mqtt.Bridge.State;

namespace Schlage2Mqtt.Bridge.Tests.AccessCodes;

/// <summary><c>access_codes.json</c> keeps the contract's status spellings now that the status is an enum.</summary>
public sealed class CodeOperationStoreFormatTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "s2m-codefmt-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Theory]
    [InlineData(CodeStatus.Setting, "setting")]
    [InlineData(CodeStatus.Set, "set")]
    [InlineData(CodeStatus.Removing, "removing")]
    [InlineData(CodeStatus.Removed, "removed")]
    [InlineData(CodeStatus.Failed, "failed")]
    [InlineData(CodeStatus.Unknown, "unknown")]
    public async Task Each_status_is_written_with_its_contract_spelling_and_read_back(CodeStatus status, string wire)
    {
        Assert.Equal(wire, status.ToWire());
        using var state = new StateStore(_dir, NullLogger<StateStore>.Instance);
        var operation = new CodeOperation
        {
            Id = "op-1",
            Kind = CodeOperationKind.Delete,
            DeviceId = "dev-1",
            CodeId = "code-1",
            Status = status,
            Phase = CodeOperationPhase.Settled,
            CreatedAt = DateTimeOffset.UnixEpoch,
        };
        await new CodeOperationStore(state).SaveAsync(operation, CancellationToken.None);

        Assert.Contains($"\"status\": \"{wire}\"", await File.ReadAllTextAsync(Path.Combine(_dir, "access_codes.json")), StringComparison.Ordinal);
        Assert.Equal(operation, new CodeOperationStore(state).Get("op-1"));
    }

    [Fact]
    public async Task Saves_racing_from_many_threads_all_land_in_the_file()
    {
        using var state = new StateStore(_dir, NullLogger<StateStore>.Instance);
        var store = new CodeOperationStore(state);
        // Each save writes a snapshot taken inside the store's write gate: the last write holds every operation.
        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => store.SaveAsync(new CodeOperation
        {
            Id = $"op-{i:00}",
            Kind = CodeOperationKind.Delete,
            DeviceId = "dev-1",
            Status = CodeStatus.Removed,
            Phase = CodeOperationPhase.Settled,
            CreatedAt = DateTimeOffset.UnixEpoch.AddSeconds(i),
        }, CancellationToken.None))));

        Assert.Equal(20, new CodeOperationStore(state).All.Count);
    }
}
