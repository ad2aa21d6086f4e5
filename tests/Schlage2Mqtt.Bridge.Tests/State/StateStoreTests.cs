using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Schlage2Mqtt.Bridge.State;
using Schlage2Mqtt.TestSupport;

namespace Schlage2Mqtt.Bridge.Tests.State;

public sealed record SampleDocument(string Name, int Count);

[JsonSerializable(typeof(SampleDocument))]
internal sealed partial class SampleJson : JsonSerializerContext;

public sealed class StateStoreTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "s2m-state-" + Guid.NewGuid().ToString("N"), "data");
    private readonly ListLogger<StateStore> _log = new();

    public void Dispose()
    {
        Directory.Delete(Path.GetDirectoryName(_dir)!, recursive: true);
    }

    private StateStore Open() => new(_dir, _log, new ManualTimeProvider());

    [Fact]
    public async Task Written_document_reads_back_after_reopening()
    {
        using (var store = Open())
        {
            await store.WriteAsync("tokens", new SampleDocument("a", 1), SampleJson.Default.SampleDocument);
        }
        using var reopened = Open();
        Assert.Equal(new SampleDocument("a", 1), reopened.Read("tokens", SampleJson.Default.SampleDocument));
    }

    [Fact]
    public async Task A_directory_where_a_state_file_belongs_is_set_aside_so_the_file_can_be_written()
    {
        using var store = Open();
        Directory.CreateDirectory(Path.Combine(_dir, "doc.json"));

        Assert.Null(store.Read("doc", SampleJson.Default.SampleDocument));
        await store.WriteAsync("doc", new SampleDocument("v", 1), SampleJson.Default.SampleDocument);

        Assert.Equal("v", store.Read("doc", SampleJson.Default.SampleDocument)!.Name);
        Assert.Single(Directory.GetDirectories(_dir, "doc.json.corrupt-*"));
    }

    [Fact]
    public void Absent_document_reads_as_null()
    {
        using var store = Open();
        Assert.Null(store.Read("nothing", SampleJson.Default.SampleDocument));
    }

    [Fact]
    public async Task Directory_is_0700_and_files_are_0600()
    {
        using var store = Open();
        await store.WriteAsync("tokens", new SampleDocument("a", 1), SampleJson.Default.SampleDocument);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_dir));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_dir, "tokens.json")));
    }

    [Fact]
    public async Task Too_open_permissions_are_tightened_at_open()
    {
        Directory.CreateDirectory(_dir);
        File.SetUnixFileMode(_dir, (UnixFileMode)0b111_101_101);
        var file = Path.Combine(_dir, "tokens.json");
        await File.WriteAllTextAsync(file, "{\"Name\":\"a\",\"Count\":1}");
        File.SetUnixFileMode(file, (UnixFileMode)0b110_100_100);

        using var store = Open();

        Assert.Equal((UnixFileMode)0b111_000_000, File.GetUnixFileMode(_dir));
        Assert.Equal((UnixFileMode)0b110_000_000, File.GetUnixFileMode(file));
    }

    [Fact]
    public async Task Crash_between_write_and_rename_keeps_the_old_document_and_the_temp_is_cleaned_up()
    {
        using (var store = Open())
        {
            await store.WriteAsync("ops", new SampleDocument("old", 1), SampleJson.Default.SampleDocument);
            store.BeforeRename = _ => throw new IOException("simulated crash before rename");
            await Assert.ThrowsAsync<IOException>(() => store.WriteAsync("ops", new SampleDocument("new", 2), SampleJson.Default.SampleDocument));
            Assert.Equal(new SampleDocument("old", 1), store.Read("ops", SampleJson.Default.SampleDocument));
        }

        // A real crash leaves the temp file behind (the catch block never runs): recreate that exactly.
        File.WriteAllText(Path.Combine(_dir, "ops.json.tmp-deadbeef"), "{\"Name\":\"new\",\"Cou");
        using var reopened = Open();
        Assert.Equal(new SampleDocument("old", 1), reopened.Read("ops", SampleJson.Default.SampleDocument));
        Assert.Equal(["ops.json"], Directory.GetFiles(_dir).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Corrupt_document_is_kept_aside_reported_and_read_as_absent()
    {
        Directory.CreateDirectory(_dir);
        await File.WriteAllTextAsync(Path.Combine(_dir, "topics.json"), "{ not json");
        using var store = Open();

        Assert.Null(store.Read("topics", SampleJson.Default.SampleDocument));

        var kept = Assert.Single(Directory.GetFiles(_dir, "topics.json.corrupt-*"));
        Assert.Equal("{ not json", await File.ReadAllTextAsync(kept));
        Assert.False(File.Exists(Path.Combine(_dir, "topics.json")));
        var warning = Assert.Single(_log.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains("is corrupt", warning.Message, StringComparison.Ordinal);
        Assert.Contains(kept, warning.Message, StringComparison.Ordinal);

        // The store keeps working: the next write replaces the corrupt document.
        await store.WriteAsync("topics", new SampleDocument("b", 2), SampleJson.Default.SampleDocument);
        Assert.Equal(new SampleDocument("b", 2), store.Read("topics", SampleJson.Default.SampleDocument));
    }

    [Fact]
    public async Task Concurrent_writes_leave_one_complete_document()
    {
        using var store = Open();
        await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            store.WriteAsync("ops", new SampleDocument("n" + i, i), SampleJson.Default.SampleDocument)));
        var read = store.Read("ops", SampleJson.Default.SampleDocument);
        Assert.NotNull(read);
        Assert.Equal("n" + read.Count, read.Name);
        Assert.Single(Directory.GetFiles(_dir));
    }

    [Fact]
    public async Task Delete_removes_the_document()
    {
        using var store = Open();
        await store.WriteAsync("x", new SampleDocument("a", 1), SampleJson.Default.SampleDocument);
        store.Delete("x");
        Assert.Null(store.Read("x", SampleJson.Default.SampleDocument));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("a/b")]
    [InlineData("")]
    public void Document_names_cannot_escape_the_directory(string name)
    {
        using var store = Open();
        Assert.Throws<ArgumentException>(() => store.Read(name, SampleJson.Default.SampleDocument));
    }
}
