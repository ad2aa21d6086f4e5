using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;

namespace Schlage2Mqtt.Bridge.State;

/// <summary>
/// A small durable store of JSON documents in <c>data_dir</c> (tokens, topic ids, pending operations), one file each.
/// Writes are atomic (temp file, fsync, rename, fsync of the directory), so a crash leaves either the old or the new
/// document, never a torn one. The directory is created 0700 and files 0600 because they hold refresh tokens.
/// A document that cannot be parsed is kept as <c>name.json.corrupt-*</c>, reported, and read as absent: a bad file
/// never stops the daemon.
/// </summary>
public sealed partial class StateStore : IDisposable
{
    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const string TempMarker = ".tmp-";

    private readonly ILogger<StateStore> _logger;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    /// <summary>Opens (creating if needed) the store in <paramref name="directory"/> and removes temp files a crash left behind.</summary>
    public StateStore(string directory, ILogger<StateStore> logger, TimeProvider? time = null)
    {
        Directory = Path.GetFullPath(directory);
        _logger = logger;
        _time = time ?? TimeProvider.System;
        Open();
    }

    /// <summary>The store's directory.</summary>
    public string Directory { get; }

    /// <summary>Test seam: runs after the temp file is durable and before the rename (a crash there must lose nothing).</summary>
    internal Func<string, ValueTask>? BeforeRename { get; set; }

    /// <summary>Reads document <paramref name="name"/>; null when absent or corrupt (a corrupt file is set aside and reported).</summary>
    public T? Read<T>(string name, JsonTypeInfo<T> typeInfo)
    {
        var path = PathOf(name);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            return default;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _logger.LogError("Cannot read state file {Path}: {Reason}. Check its owner and permissions; continuing without it", path, ex.Message);
            return default;
        }

        try
        {
            return JsonSerializer.Deserialize(bytes, typeInfo);
        }
        catch (JsonException ex)
        {
            var kept = $"{path}.corrupt-{_time.GetUtcNow():yyyyMMddTHHmmssZ}";
            try
            {
                File.Move(path, kept, overwrite: true);
                _logger.LogWarning("State file {Path} is corrupt ({Reason}); kept a copy as {Kept} and starting without it", path, ex.Message, kept);
            }
            catch (Exception moveEx) when (moveEx is IOException or UnauthorizedAccessException)
            {
                _logger.LogWarning("State file {Path} is corrupt ({Reason}) and could not be set aside ({MoveReason}); ignoring it", path, ex.Message, moveEx.Message);
            }
            return default;
        }
    }

    /// <summary>Replaces document <paramref name="name"/> atomically and durably.</summary>
    public Task WriteAsync<T>(string name, T value, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default) =>
        WriteSnapshotAsync(name, () => value, typeInfo, cancellationToken);

    /// <summary>
    /// Replaces document <paramref name="name"/> with what <paramref name="snapshot"/> returns, taken inside the write
    /// gate: of two writers racing, the one that writes last also snapshotted last, so an older snapshot never lands
    /// over a newer one and callers need no gate of their own.
    /// </summary>
    public async Task WriteSnapshotAsync<T>(string name, Func<T> snapshot, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default)
    {
        var path = PathOf(name);
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            var bytes = JsonSerializer.SerializeToUtf8Bytes(snapshot(), typeInfo);
            var temp = path + TempMarker + Guid.NewGuid().ToString("N")[..8];
            var options = new FileStreamOptions
            {
                Mode = System.IO.FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
            };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = FileMode;
            }
            try
            {
                await using (var stream = new FileStream(temp, options))
                {
                    await stream.WriteAsync(bytes, cancellationToken);
                    await stream.FlushAsync(cancellationToken);
                    stream.Flush(flushToDisk: true);
                }
                if (BeforeRename is { } hook)
                {
                    await hook(temp);
                }
                if (System.IO.Directory.Exists(path))
                {
                    // Something made a directory where the file belongs: set it aside, or no write would ever land.
                    var kept = $"{path}.corrupt-{_time.GetUtcNow():yyyyMMddTHHmmssZ}";
                    System.IO.Directory.Move(path, kept);
                    _logger.LogWarning("State file {Path} was a directory; moved it to {Kept} so the file can be written", path, kept);
                }
                File.Move(temp, path, overwrite: true);
            }
            catch
            {
                TryDelete(temp);
                throw;
            }
            SyncDirectory();
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _writeGate.Dispose();

    /// <summary>Deletes document <paramref name="name"/> if present.</summary>
    public void Delete(string name)
    {
        TryDelete(PathOf(name));
        SyncDirectory();
    }

    private string PathOf(string name)
    {
        if (name.Length == 0 || name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
        {
            throw new ArgumentException($"State document name '{name}' must be letters, digits, '-' or '_'", nameof(name));
        }
        return Path.Combine(Directory, name + ".json");
    }

    private void Open()
    {
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(Directory);
        }
        else
        {
            System.IO.Directory.CreateDirectory(Directory, DirectoryMode);
            var mode = File.GetUnixFileMode(Directory);
            if ((mode & ~DirectoryMode) != 0)
            {
                // Tokens live here: other users must not list or read it, whoever created it.
                File.SetUnixFileMode(Directory, DirectoryMode);
                _logger.LogInformation("Restricted the state directory {Directory} to its owner (mode 0700)", Directory);
            }
        }

        foreach (var file in System.IO.Directory.EnumerateFiles(Directory, "*.json*"))
        {
            if (Path.GetFileName(file).Contains(TempMarker, StringComparison.Ordinal))
            {
                // A write interrupted before its rename: the previous document is intact, the temp is garbage.
                TryDelete(file);
                _logger.LogDebug("Removed {File}, left by an interrupted write", file);
            }
            else if (!OperatingSystem.IsWindows() && file.EndsWith(".json", StringComparison.Ordinal)
                && (File.GetUnixFileMode(file) & ~FileMode) != 0)
            {
                File.SetUnixFileMode(file, FileMode);
            }
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover temp is removed at the next start.
        }
    }

    private void SyncDirectory()
    {
        // The rename is durable only once the directory entry is on disk; .NET has no API for a directory fsync.
        DirectorySync.Fsync(Directory);
    }
}
