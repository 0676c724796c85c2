using System.Security.Cryptography;
using System.Text;
using Handbook.GitStore;
using Handbook.Rendering;

namespace Handbook.Catalog;

/// <summary>
/// The catalog's parsed pages on disk (<c>catalog.bin</c> in the data folder), so that a restart does not parse
/// every page again. The file names the tree it was built from; pages are matched to the branch by blob id, so a
/// snapshot of an older tree still saves the parse of every page that did not change since.
/// <para>
/// It is a cache, never the truth: it is written to a temp file and renamed over the old one (a crash leaves the
/// old file or the new one, never half of one), it carries a format version and a SHA-256 of its content, and a
/// file that is missing, of another version, truncated or corrupt is ignored (the catalog is then parsed from git).
/// </para>
/// </summary>
public sealed class CatalogSnapshotFile(string path, ILogger<CatalogSnapshotFile>? logger = null)
{
    /// <summary>Raise when the layout below or what a parse produces changes: older files are then ignored.</summary>
    public const int FormatVersion = 3;

    private static readonly byte[] Magic = "HBCATLG\n"u8.ToArray();
    private const int HashLength = 32;

    /// <summary>The file.</summary>
    public string Path { get; } = path;

    /// <summary>Reads the snapshot; null when there is none or it cannot be trusted.</summary>
    public CatalogFileContent? Load()
    {
        byte[] bytes;
        try
        {
            if (!File.Exists(Path))
            {
                return null;
            }

            bytes = File.ReadAllBytes(Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger?.LogWarning(e, "The catalog snapshot {Path} could not be read; the catalog is built from the repository", Path);
            return null;
        }

        if (bytes.Length < Magic.Length + HashLength || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            logger?.LogWarning("The catalog snapshot {Path} is not a catalog snapshot; it is ignored", Path);
            return null;
        }

        var payload = bytes.AsSpan(Magic.Length, bytes.Length - Magic.Length - HashLength);
        if (!SHA256.HashData(payload).AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - HashLength)))
        {
            logger?.LogWarning("The catalog snapshot {Path} is damaged (checksum); it is ignored", Path);
            return null;
        }

        try
        {
            using var reader = new BinaryReader(new MemoryStream(bytes, Magic.Length, payload.Length, writable: false), Encoding.UTF8);
            if (reader.ReadInt32() != FormatVersion)
            {
                return null;
            }

            var treeId = reader.ReadString();
            var count = reader.ReadInt32();
            var pages = new List<PageSummary>(Math.Clamp(count, 0, 1_000_000));
            for (var i = 0; i < count; i++)
            {
                pages.Add(ReadPage(reader));
            }

            return new CatalogFileContent(treeId, pages);
        }
        catch (Exception e) when (e is EndOfStreamException or FormatException or IOException or ArgumentException or InvalidOperationException)
        {
            logger?.LogWarning(e, "The catalog snapshot {Path} could not be read; it is ignored", Path);
            return null;
        }
    }

    /// <summary>Writes the snapshot, logging instead of throwing on I/O faults: the file is only a cache.</summary>
    public bool TrySave(string treeId, IEnumerable<PageSummary> pages)
    {
        try
        {
            Save(treeId, pages);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger?.LogWarning(e, "The catalog snapshot {Path} could not be written; the next start parses the pages again", Path);
            return false;
        }
    }

    /// <summary>
    /// Writes the snapshot atomically: a temp file beside it, then renamed over it. The content is streamed to the
    /// file and hashed on the way, not assembled in memory first: at 10,000 pages the file is about 5 MB, and a
    /// buffer of that size on every save was most of what the large-object heap took under load.
    /// </summary>
    public void Save(string treeId, IEnumerable<PageSummary> pages)
    {
        ArgumentNullException.ThrowIfNull(pages);
        var list = pages as IReadOnlyCollection<PageSummary> ?? pages.ToList();
        var temp = Path + "." + Environment.ProcessId + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
            {
                file.Write(Magic);
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                using (var writer = new BinaryWriter(new BufferedStream(new HashingStream(file, hash), 1 << 16), Encoding.UTF8, leaveOpen: false))
                {
                    writer.Write(FormatVersion);
                    writer.Write(treeId);
                    writer.Write(list.Count);
                    foreach (var page in list)
                    {
                        WritePage(writer, page);
                    }
                }

                file.Write(hash.GetHashAndReset());
                // No fsync: a file torn by a power cut fails its checksum and is ignored, which is all a cache needs.
            }

            File.Move(temp, Path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Passes writes on to a stream, adding them to a hash on the way; owns neither (disposing it closes nothing).</summary>
    private sealed class HashingStream(Stream inner, IncrementalHash hash) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            hash.AppendData(buffer);
            inner.Write(buffer);
        }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }

    private static void WritePage(BinaryWriter writer, PageSummary page)
    {
        writer.Write(page.Path.Value);
        writer.Write(page.BlobId);
        writer.Write(page.Title);
        var meta = page.Meta;
        WriteOptional(writer, meta.Title);
        WriteOptional(writer, meta.Summary);
        WriteOptional(writer, meta.Owner);
        WriteList(writer, meta.Doelgroepen);
        WriteList(writer, meta.Tags);
        writer.Write(meta.ReviewBy?.DayNumber ?? -1);
        writer.Write(meta.ValidFrom?.DayNumber ?? -1);
        WriteList(writer, meta.Sources);
        WriteList(writer, meta.Aliases);
        writer.Write(meta.Protected);
        WriteOptional(writer, meta.Error);
        WriteList(writer, page.Parsed.LinkTargets);
        var problem = page.Parsed.Problem;
        writer.Write(problem is null ? -1 : (int)problem.Kind);
        if (problem is not null)
        {
            writer.Write(problem.Amount);
            writer.Write(problem.Limit);
            WriteOptional(writer, problem.Detail);
        }
    }

    private static PageSummary ReadPage(BinaryReader reader)
    {
        var path = PagePath.TryParse(reader.ReadString(), out var p, out _) ? p : throw new FormatException("invalid page path");
        var blobId = reader.ReadString();
        var title = reader.ReadString();
        var meta = new FrontMatter
        {
            Title = ReadOptional(reader),
            Summary = ReadOptional(reader),
            Owner = ReadOptional(reader),
            Doelgroepen = ReadList(reader),
            Tags = ReadList(reader),
            ReviewBy = ReadDate(reader),
            ValidFrom = ReadDate(reader),
            Sources = ReadList(reader),
            Aliases = ReadList(reader),
            Protected = reader.ReadBoolean(),
            Error = ReadOptional(reader),
        };
        var links = ReadList(reader);
        var kind = reader.ReadInt32();
        var problem = kind < 0 ? null
            : Enum.IsDefined((RenderProblemKind)kind) ? new RenderProblem((RenderProblemKind)kind, reader.ReadInt64(), reader.ReadInt64(), ReadOptional(reader))
            : throw new FormatException("unknown page problem " + kind);
        return new PageSummary(path, blobId, new ParsedPage(meta, title, links, "") { Problem = problem });
    }

    private static void WriteOptional(BinaryWriter writer, string? value)
    {
        writer.Write(value is not null);
        if (value is not null)
        {
            writer.Write(value);
        }
    }

    private static string? ReadOptional(BinaryReader reader) => reader.ReadBoolean() ? reader.ReadString() : null;

    private static void WriteList(BinaryWriter writer, IReadOnlyList<string> values)
    {
        writer.Write(values.Count);
        foreach (var value in values)
        {
            writer.Write(value);
        }
    }

    private static string[] ReadList(BinaryReader reader)
    {
        // Bounded by what is left of the file (every string takes at least a byte), not by a fixed number: a page
        // that arrived through git with more links than any fixed cap would otherwise make every snapshot unreadable.
        var count = reader.ReadInt32();
        if (count < 0 || count > reader.BaseStream.Length - reader.BaseStream.Position)
        {
            throw new FormatException("invalid list length");
        }

        if (count == 0)
        {
            return [];
        }

        var values = new string[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = reader.ReadString();
        }

        return values;
    }

    private static DateOnly? ReadDate(BinaryReader reader) => reader.ReadInt32() is var day and >= 0 ? DateOnly.FromDayNumber(day) : null;

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>What a catalog snapshot file holds: the tree it was built from and its parsed pages.</summary>
public sealed record CatalogFileContent(string TreeId, IReadOnlyList<PageSummary> Pages);
