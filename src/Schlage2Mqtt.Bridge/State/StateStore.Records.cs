using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;

namespace Schlage2Mqtt.Bridge.State;

public sealed partial class StateStore
{
    // Deep enough for any document the bridge writes; deeper input is rejected per record by the serializer's own limit.
    private const int DocumentMaxDepth = 256;

    /// <summary>
    /// Reads the records of document <paramref name="name"/> kept as an object under <paramref name="property"/>
    /// (<c>{"locks": {"key": record}}</c>), one by one: a record that is null, does not deserialize, fails
    /// <paramref name="validate"/> or repeats a key is dropped and reported; the others are kept. A file with dropped
    /// records is copied to <c>name.json.corrupt-*</c> and rewritten without them. Never throws for bad content.
    /// </summary>
    /// <param name="name">The document (file name without <c>.json</c>).</param>
    /// <param name="property">The root property holding the records.</param>
    /// <param name="typeInfo">How to deserialize one record.</param>
    /// <param name="validate">Returns why a record (given its key) is unusable, or null when it is fine.</param>
    public Dictionary<string, T> ReadRecordMap<T>(string name, string property, JsonTypeInfo<T> typeInfo, Func<string, T, string?>? validate = null)
        where T : class
    {
        var records = new Dictionary<string, T>(StringComparer.Ordinal);
        ReadRecords(name, property, JsonValueKind.Object, typeInfo, (label, key, value) =>
        {
            if (key.Length == 0)
            {
                return "the key is empty";
            }
            if (records.ContainsKey(key))
            {
                return $"'{key}' appears more than once; the first is kept";
            }
            if (validate?.Invoke(key, value) is { } reason)
            {
                return reason;
            }
            records[key] = value;
            return null;
        });
        return records;
    }

    /// <summary>
    /// Reads the records of document <paramref name="name"/> kept as an array under <paramref name="property"/>
    /// (<c>{"operations": [record]}</c>), one by one, like <see cref="ReadRecordMap{T}"/>; records are unique by
    /// <paramref name="keyOf"/> (a repeated key is dropped, the first is kept).
    /// </summary>
    public List<T> ReadRecordList<T>(string name, string property, JsonTypeInfo<T> typeInfo, Func<T, string?> keyOf, Func<T, string?>? validate = null)
        where T : class
    {
        var records = new List<T>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        ReadRecords(name, property, JsonValueKind.Array, typeInfo, (label, _, value) =>
        {
            if (keyOf(value) is not { Length: > 0 } key)
            {
                return "its id is missing or empty";
            }
            if (keys.Contains(key))
            {
                return $"id '{key}' appears more than once; the first is kept";
            }
            if (validate?.Invoke(value) is { } reason)
            {
                return reason;
            }
            keys.Add(key);
            records.Add(value);
            return null;
        });
        return records;
    }

    private void ReadRecords<T>(string name, string property, JsonValueKind container, JsonTypeInfo<T> typeInfo, Func<string, string, T, string?> accept)
        where T : class
    {
        var path = PathOf(name);
        if (ReadBytes(path) is not { } bytes)
        {
            return;
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = DocumentMaxDepth });
        }
        catch (JsonException ex)
        {
            SetAside(path, ex.Message);
            return;
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(property, out var all) || all.ValueKind != container)
            {
                var shape = container == JsonValueKind.Object ? "an object of records" : "an array of records";
                SetAside(path, $"it must be a JSON object whose \"{property}\" is {shape}");
                return;
            }

            var dropped = new List<string>();
            var kept = new List<JsonElement>();
            var keptNames = new List<string>();
            var index = 0;
            IEnumerable<(string Label, string Key, JsonElement Value)> items = container == JsonValueKind.Object
                ? all.EnumerateObject().Select(p => ($"\"{p.Name}\"", p.Name, p.Value))
                : all.EnumerateArray().Select(e => ($"#{index++}", "", e));
            foreach (var (label, key, element) in items)
            {
                string? reason;
                try
                {
                    reason = element.Deserialize(typeInfo) is { } value ? accept(label, key, value) : "the record is null";
                }
                catch (Exception ex) when (ex is JsonException or InvalidOperationException or NotSupportedException or FormatException or OverflowException or ArgumentException)
                {
                    // The serializer's messages name the property and position, never the value (tokens live here).
                    reason = ex.Message;
                }
                if (reason is null)
                {
                    kept.Add(element);
                    keptNames.Add(key);
                }
                else
                {
                    dropped.Add($"{label}: {reason}");
                }
            }
            if (dropped.Count > 0)
            {
                Repair(path, root, property, container, kept, keptNames, dropped);
            }
        }
    }

    private byte[]? ReadBytes(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _logger.LogError("Cannot read state file {Path}: {Reason}. Check its owner and permissions; continuing without it", path, ex.Message);
            return null;
        }
    }

    private void SetAside(string path, string reason)
    {
        var kept = CorruptPath(path);
        try
        {
            File.Move(path, kept, overwrite: true);
            _logger.LogWarning("State file {Path} is corrupt ({Reason}); kept a copy as {Kept} and starting without it", path, reason, kept);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning("State file {Path} is corrupt ({Reason}) and could not be set aside ({MoveReason}); ignoring it", path, reason, ex.Message);
        }
    }

    private string CorruptPath(string path) => $"{path}.corrupt-{_time.GetUtcNow():yyyyMMddTHHmmssZ}";

    /// <summary>Keeps the original for the user and rewrites the file with the good records only, so the next start is clean.</summary>
    private void Repair(string path, JsonElement root, string property, JsonValueKind container, List<JsonElement> kept, List<string> keptNames, List<string> dropped)
    {
        var copy = CorruptPath(path);
        foreach (var record in dropped)
        {
            _logger.LogWarning("State file {Path}: dropped record {Record}; the other records are kept", path, record);
        }
        try
        {
            File.Copy(path, copy, overwrite: true);
            WriteDurably(path, Rewrite(root, property, container, kept, keptNames));
            _logger.LogWarning(
                "State file {Path}: dropped {Count} bad record(s), kept {Kept}; the original is saved as {Copy}. Nothing to do unless a dropped record mattered (fix it there and copy it back while the bridge is stopped)",
                path, dropped.Count, kept.Count, copy);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning("State file {Path}: dropped {Count} bad record(s) but could not rewrite the file ({Reason}); they are ignored until it is next written", path, dropped.Count, ex.Message);
        }
    }

    private static byte[] Rewrite(JsonElement root, string property, JsonValueKind container, List<JsonElement> kept, List<string> keptNames)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, MaxDepth = DocumentMaxDepth }))
        {
            writer.WriteStartObject();
            foreach (var other in root.EnumerateObject())
            {
                if (other.Name == property)
                {
                    continue;
                }
                writer.WritePropertyName(other.Name);
                other.Value.WriteTo(writer);
            }
            writer.WritePropertyName(property);
            if (container == JsonValueKind.Object)
            {
                writer.WriteStartObject();
                for (var i = 0; i < kept.Count; i++)
                {
                    writer.WritePropertyName(keptNames[i]);
                    kept[i].WriteTo(writer);
                }
                writer.WriteEndObject();
            }
            else
            {
                writer.WriteStartArray();
                kept.ForEach(k => k.WriteTo(writer));
                writer.WriteEndArray();
            }
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private void WriteDurably(string path, byte[] bytes)
    {
        var temp = path + TempMarker + Guid.NewGuid().ToString("N")[..8];
        var options = new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode;
        }
        _writeGate.Wait();
        try
        {
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
        finally
        {
            _writeGate.Release();
        }
        SyncDirectory();
    }
}
