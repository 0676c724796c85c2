namespace Handbook.GitStore;

/// <summary>
/// The history index's snapshot on disk (<c>history.idx</c>): the commit it is current with and every change, so a
/// restart diffs only the commits since. Written to a temporary file and moved into place; a file that is missing,
/// of another version or damaged is ignored (the index is then rebuilt from git). Only a start-up shortcut.
/// </summary>
internal sealed class HistoryIndexFile(string path)
{
    /// <summary>Raise when the layout below changes: older files are then ignored.</summary>
    public const int Version = 1;

    private const string Magic = "HBIX";

    /// <summary>The file.</summary>
    public string Path { get; } = path;

    /// <summary>Writes the snapshot; false when the disk refused (the next save tries again).</summary>
    public bool TrySave(string? tip, IReadOnlyList<HistoryIndex.Entry> changes)
    {
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!);
            var temp = Path + ".tmp";
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            using (var w = new BinaryWriter(stream))
            {
                w.Write(Magic);
                w.Write(Version);
                w.Write(tip ?? "");
                w.Write(changes.Count);
                foreach (var c in changes)
                {
                    w.Write(c.Revision.ToString());
                    w.Write(c.Path.Value);
                    w.Write(c.OldPath.Value);
                    w.Write((byte)c.Kind);
                    w.Write(c.Author.Name);
                    w.Write(c.Author.Email);
                    w.Write(c.UtcTicks);
                    w.Write(c.OffsetMinutes);
                    w.Write(c.Summary);
                    w.Write(c.Size);
                    w.Write(c.SizeDelta);
                }
            }

            File.Move(temp, Path, overwrite: true);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>
    /// Reads the snapshot, handing each change to <paramref name="add"/> in commit order (not collected first: at
    /// 100,000 changes that would be some 20 MB at start-up). Returns whether it was read whole, and its tip; when it
    /// was not, the caller forgets what it was handed. Authors go through <paramref name="intern"/>, so the index
    /// keeps one <see cref="Author"/> per person.
    /// </summary>
    public (bool Loaded, string? Tip) Load(Func<string, string, Author> intern, Action<PageChange> add)
    {
        ArgumentNullException.ThrowIfNull(intern);
        ArgumentNullException.ThrowIfNull(add);
        if (!File.Exists(Path))
        {
            return (false, null);
        }

        try
        {
            using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            using var r = new BinaryReader(stream);
            if (r.ReadString() != Magic || r.ReadInt32() != Version)
            {
                return (false, null);
            }

            var tip = r.ReadString();
            var count = r.ReadInt32();
            string? lastRevision = null;
            // A page has many changes: one PagePath (and one parse) per page, not per change; likewise repeated
            // summaries ("typo", "Startinhoud") are one string. At 100,000 changes that is megabytes and a faster load.
            var paths = new Dictionary<string, PagePath>(StringComparer.Ordinal);
            var summaries = new Dictionary<string, string>(StringComparer.Ordinal);
            PagePath PathOf(string text) => paths.TryGetValue(text, out var known) ? known : paths[text] = PagePath.Parse(text);
            for (var i = 0; i < count; i++)
            {
                var revision = r.ReadString();
                revision = revision == lastRevision ? lastRevision : revision;
                lastRevision = revision;
                var path = PathOf(r.ReadString());
                var old = r.ReadString();
                var kind = (ChangeKind)r.ReadByte();
                var author = intern(r.ReadString(), r.ReadString());
                var when = new DateTimeOffset(r.ReadInt64(), TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(r.ReadInt16()));
                var summary = r.ReadString();
                summary = summaries.TryGetValue(summary, out var same) ? same : summaries[summary] = summary;
                add(new PageChange(revision, path, old.Length == 0 ? null : PathOf(old), kind, author, when,
                    summary, r.ReadInt64(), r.ReadInt64()));
            }

            return (true, tip.Length == 0 ? null : tip);
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or ArgumentException or FormatException)
        {
            return (false, null); // a damaged snapshot: the index is rebuilt from git
        }
    }
}
