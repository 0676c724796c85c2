using LibGit2Sharp;

namespace Handbook.GitStore;

/// <summary>
/// Every change to every page, derived once from git history and kept current commit by commit, so that page
/// history, recent changes and "last changed by" cost the same at 40 commits and at 100,000.
/// Built by diffing each commit against its first parent (merge commits are skipped: their changes are in the
/// commits they merge, as in <c>git log</c>). Persisted as a snapshot so that a restart only diffs new commits.
/// Thread safety: one writer (catch-up) at a time, many readers, through a reader/writer lock.
/// </summary>
internal sealed class HistoryIndex : IDisposable
{
    internal const string RestoredTrailer = "Handbook-Restored-From";
    private const int SnapshotEvery = 250;

    private readonly ReaderWriterLockSlim _lock = new();
    // Changes in commit order, as values: a change costs about 100 bytes here instead of some 220 as a PageChange
    // object with its own 40-character commit id (10,000 pages and 100,000 commits: store and index 32.4 -> 21.4 MB
    // of GC heap, alive as long as the app).
    // PageChange objects are made only for what a caller asks for.
    private readonly List<Entry> _changes = [];
    private readonly Dictionary<PagePath, PathChanges> _byPath = [];
    private readonly Dictionary<(string, string), Author> _authors = [];
    private readonly HistoryIndexFile? _file;
    private string? _tip;
    private int _unsaved;

    public HistoryIndex(string? snapshotPath)
    {
        _file = snapshotPath is null ? null : new HistoryIndexFile(snapshotPath);
        LoadSnapshot();
    }

    private HistoryIndex(string tip, bool partial)
    {
        _tip = tip;
        _partial = partial;
    }

    /// <summary>
    /// An index that knows nothing before <paramref name="tip"/> and follows the branch from there, without a snapshot:
    /// what reads use while the whole history is built in the background, so that changes made meanwhile are shown at
    /// once. Should the branch be rewritten, it starts again from the new tip (it never walks the whole history).
    /// </summary>
    public static HistoryIndex From(string tip) => new(tip, partial: true);

    private readonly bool _partial;

    /// <summary>How often the index started again from the root commit (the first build counts).</summary>
    public int Rebuilds { get; private set; }

    /// <summary>The commit the index is current with.</summary>
    public string? Tip
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                return _tip;
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    /// <summary>
    /// Brings the index up to the branch tip that <paramref name="readTip"/> reads from <paramref name="repo"/>: only
    /// the commits it has not seen are diffed. The tip is read under the index's lock, not by the caller beforehand:
    /// a caller that read it just before another thread caught up with a newer commit would otherwise ask for an
    /// older commit than the index has, which looks like a rewritten branch, and the index started again from the
    /// root commit (under load at 100,000 commits that held every history read and every save for minutes).
    /// </summary>
    public void CatchUp(Repository repo, Func<Repository, Commit?> readTip, Action<int, int>? progress = null)
    {
        var save = false;
        _lock.EnterWriteLock();
        try
        {
            var tip = readTip(repo);
            if (tip?.Sha == _tip)
            {
                return;
            }

            if (tip is null)
            {
                Clear();
                return;
            }

            var filter = new CommitFilter
            {
                IncludeReachableFrom = tip,
                SortBy = CommitSortStrategies.Topological | CommitSortStrategies.Reverse,
            };
            var old = _tip is null ? null : repo.Lookup<Commit>(_tip);
            if (old is not null && repo.ObjectDatabase.FindMergeBase(old, tip)?.Id == old.Id)
            {
                filter.ExcludeReachableFrom = old;
            }
            else if (_partial)
            {
                Clear();
                _tip = tip.Sha;
                return;
            }
            else
            {
                // First build, or the branch was rewritten (force push): start again.
                Clear();
                Rebuilds++;
            }

            var exclude = filter.ExcludeReachableFrom is null ? null : old!.Sha;
            if (!(UseGitCli && (exclude is null || ManyCommits(repo, filter)) && TryWalkWithGitCli(repo, tip.Sha, exclude, progress)))
            {
                WalkWithLibgit2(repo, filter, progress);
            }

            _tip = tip.Sha;
            save = _unsaved >= SnapshotEvery || old is null;
        }
        finally
        {
            _lock.ExitWriteLock();
        }

        if (save)
        {
            SaveSnapshot();
        }
    }

    /// <summary>The changes to a page, newest first, following it back across renames.</summary>
    public IReadOnlyList<PageChange> PageHistory(PagePath path, int skip = 0, int take = int.MaxValue)
    {
        var result = new List<PageChange>();
        _lock.EnterReadLock();
        try
        {
            var current = path;
            var before = int.MaxValue;
            var skipped = 0;
            while (result.Count < take && _byPath.TryGetValue(current, out var entries))
            {
                var indexes = entries.Positions;
                PagePath? next = null;
                for (var i = indexes.Count - 1; i >= 0 && result.Count < take; i--)
                {
                    var position = indexes[i];
                    if (position >= before)
                    {
                        continue;
                    }

                    var change = _changes[position];
                    if (skipped++ >= skip)
                    {
                        result.Add(change.ToPageChange());
                    }

                    if (change.Kind == ChangeKind.Renamed && change.OldPath.Value.Length > 0)
                    {
                        next = change.OldPath;
                        before = position;
                        break;
                    }
                }

                if (next is null)
                {
                    break;
                }

                current = next.Value;
            }
        }
        finally
        {
            _lock.ExitReadLock();
        }

        return result;
    }

    /// <summary>
    /// The changes made by <paramref name="revisions"/>, oldest first. New commits are at the end of the index, so
    /// this reads back from the end and stops at the first older change of another commit.
    /// </summary>
    public IReadOnlyList<PageChange> ChangesOf(IReadOnlyCollection<string> revisions)
    {
        var wanted = revisions.Select(CommitId.Parse).ToHashSet();
        var result = new List<PageChange>();
        _lock.EnterReadLock();
        try
        {
            // Changes of commits newer than those asked for may come first (the branch moved on meanwhile).
            for (var i = _changes.Count - 1; i >= 0 && _changes.Count - i <= 100_000; i--)
            {
                if (wanted.Contains(_changes[i].Revision))
                {
                    result.Add(_changes[i].ToPageChange());
                }
                else if (result.Count > 0)
                {
                    break;
                }
            }
        }
        finally
        {
            _lock.ExitReadLock();
        }

        result.Reverse();
        return result;
    }

    /// <summary>The most recent change to a page, or null if the index has none.</summary>
    public PageChange? LastChange(PagePath path)
    {
        _lock.EnterReadLock();
        try
        {
            return _byPath.TryGetValue(path, out var entries) && entries.Positions.Count > 0
                ? _changes[entries.Positions[^1]].ToPageChange()
                : null;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Changes of the whole handbook, newest first, filtered and paged.</summary>
    public ChangePage Recent(ChangeQuery query)
    {
        var items = new List<PageChange>(Math.Min(query.Take, 500));
        var folder = string.IsNullOrEmpty(query.Folder) ? null : query.Folder.Trim('/') + "/";
        var author = string.IsNullOrWhiteSpace(query.Author) ? null : query.Author.Trim();
        _lock.EnterReadLock();
        try
        {
            var skipped = 0;
            for (var i = _changes.Count - 1; i >= 0; i--)
            {
                var c = _changes[i];
                if (query.Since is { } since && c.UtcTicks < since.UtcTicks)
                {
                    // Authored times are almost, not strictly, ordered (rebases, clocks): keep scanning but
                    // stop once we are well past the window.
                    if (c.UtcTicks < since.AddDays(-7).UtcTicks)
                    {
                        break;
                    }

                    continue;
                }

                if ((query.Until is { } until && c.UtcTicks >= until.UtcTicks)
                    || (folder is not null && !(c.Path.Value + "/").StartsWith(folder, StringComparison.Ordinal))
                    || (author is not null
                        && !c.Author.Name.Contains(author, StringComparison.OrdinalIgnoreCase)
                        && !c.Author.Email.Contains(author, StringComparison.OrdinalIgnoreCase))
                    || (query.Kinds is { Count: > 0 } kinds && !kinds.Contains(c.Kind)))
                {
                    continue;
                }

                if (skipped++ < query.Skip)
                {
                    continue;
                }

                if (items.Count == query.Take)
                {
                    return new ChangePage(items, HasMore: true);
                }

                items.Add(c.ToPageChange());
            }
        }
        finally
        {
            _lock.ExitReadLock();
        }

        return new ChangePage(items, HasMore: false);
    }

    /// <summary>Every path that has ever been a page, with its last change (for "deleted pages" and reports).</summary>
    public IReadOnlyList<PageChange> LastChangePerPath()
    {
        _lock.EnterReadLock();
        try
        {
            return _byPath.Values.Where(l => l.Positions.Count > 0).Select(l => _changes[l.Positions[^1]].ToPageChange()).ToList();
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Lets go of an index whose build was stopped halfway: nothing of it is saved.</summary>
    public void Discard()
    {
        _unsaved = 0;
        Dispose();
    }

    public void Dispose()
    {
        if (_unsaved > 0)
        {
            SaveSnapshot();
        }

        _lock.Dispose();
    }

    /// <summary>
    /// Whether to walk with the git command line when there are many commits to read (the default; tests switch it
    /// off to compare both walks). A single new commit is diffed through libgit2: starting a process costs more.
    /// </summary>
    internal bool UseGitCli { get; init; } = true;

    /// <summary>Which walk read the commits last: "git" or "libgit2" (for tests).</summary>
    internal string? LastWalk { get; private set; }

    private const int GitCliAbove = 100;

    private static bool ManyCommits(Repository repo, CommitFilter filter)
    {
        // Newest first, so that counting stops early: no more than a hundred commits are looked at.
        var newestFirst = new CommitFilter
        {
            IncludeReachableFrom = filter.IncludeReachableFrom,
            ExcludeReachableFrom = filter.ExcludeReachableFrom,
            SortBy = CommitSortStrategies.Topological,
        };
        return repo.Commits.QueryBy(newestFirst).Take(GitCliAbove + 1).Count() > GitCliAbove;
    }

    private void WalkWithLibgit2(Repository repo, CommitFilter filter, Action<int, int>? progress)
    {
        var options = new CompareOptions
        {
            Similarity = new SimilarityOptions
            {
                RenameDetectionMode = RenameDetectionMode.Renames,
                RenameThreshold = HistoryLog.RenameThreshold,
                RenameLimit = HistoryLog.RenameLimit,
            },
            IncludeUnmodified = false,
        };
        // Counting the commits first costs a walk without diffs (about a second at 100,000): only when asked.
        var total = progress is null ? 0 : repo.Commits.QueryBy(filter).Count();
        var done = 0;
        foreach (var commit in repo.Commits.QueryBy(filter))
        {
            Append(repo, commit, options);
            if (progress is not null && ++done % 100 == 0)
            {
                progress(done, total);
            }
        }

        progress?.Invoke(total, total);
        LastWalk = "libgit2";
    }

    /// <summary>
    /// Reads the commits through <see cref="HistoryLog"/>. When the git command line is missing or fails, what it
    /// added is taken back and false returned: libgit2 then does the walk (slower, but it always can).
    /// </summary>
    private bool TryWalkWithGitCli(Repository repo, string tip, string? exclude, Action<int, int>? progress)
    {
        var before = _changes.Count;
        try
        {
            var total = progress is null ? 0 : HistoryLog.Count(repo.Info.Path, tip, exclude);
            var done = 0;
            HistoryLog.Walk(repo.Info.Path, tip, exclude, (commit, changes) =>
            {
                Append(commit, changes, id => Size(repo, id));
                if (progress is not null && ++done % 100 == 0)
                {
                    progress(Math.Min(done, total), total);
                }
            });
            progress?.Invoke(total, total);
            LastWalk = "git";
            return true;
        }
        catch (Exception e) when (e is GitCliException or FormatException or ArgumentException or LibGit2SharpException)
        {
            Truncate(before);
            return false;
        }
        catch
        {
            Truncate(before); // stopped (the store closes): nothing half-read stays behind
            throw;
        }
    }

    /// <summary>Forgets every change from position <paramref name="count"/> on.</summary>
    private void Truncate(int count)
    {
        if (count == 0)
        {
            _changes.Clear();
            _byPath.Clear();
            _unsaved = 0;
            return;
        }

        for (var i = _changes.Count - 1; i >= count; i--)
        {
            var entries = _byPath[_changes[i].Path];
            entries.Positions.RemoveAt(entries.Positions.Count - 1);
            if (entries.Positions.Count == 0)
            {
                _byPath.Remove(entries.Path);
            }
        }

        _unsaved = Math.Max(0, _unsaved - (_changes.Count - count));
        _changes.RemoveRange(count, _changes.Count - count);
    }

    private void Clear()
    {
        _changes.Clear();
        _byPath.Clear();
        _tip = null;
        _unsaved = 0;
    }

    private void Append(Repository repo, Commit commit, CompareOptions options)
    {
        if (commit.Parents.Count() > 1)
        {
            return;
        }

        var changes = repo.Diff.Compare<TreeChanges>(commit.Parents.FirstOrDefault()?.Tree, commit.Tree, options)
            .Select(c => new LoggedChange(c.Status, c.Path, c.OldPath, c.OldOid, c.Oid))
            .ToList();
        Append(new LoggedCommit(commit.Sha, commit.Author.Name, commit.Author.Email, commit.Author.When, commit.Message),
            changes, id => Size(repo, id));
    }

    private void Append(LoggedCommit commit, List<LoggedChange> changes, Func<ObjectId?, long> size)
    {
        var author = Intern(commit.AuthorName, commit.AuthorEmail);
        var when = commit.When;
        var summary = HistoryLog.Summary(commit.Message);
        var restored = commit.Message.Contains("\n" + RestoredTrailer + ":", StringComparison.Ordinal);
        foreach (var entry in changes)
        {
            var isPage = PagePath.TryFromFileName(entry.Path, out var path);
            var wasPage = PagePath.TryFromFileName(entry.OldPath, out var oldPath);
            (ChangeKind kind, PagePath target, PagePath? from) = entry.Status switch
            {
                ChangeKind_Added when isPage => (ChangeKind.Added, path, (PagePath?)null),
                ChangeKind_Copied when isPage => (ChangeKind.Added, path, null),
                ChangeKind_Modified when isPage => (ChangeKind.Modified, path, null),
                ChangeKind_TypeChanged when isPage => (ChangeKind.Modified, path, null),
                ChangeKind_Deleted when wasPage => (ChangeKind.Deleted, oldPath, null),
                ChangeKind_Renamed when isPage && wasPage => (ChangeKind.Renamed, path, oldPath),
                ChangeKind_Renamed when isPage => (ChangeKind.Added, path, null),
                _ => ((ChangeKind)(-1), default, null),
            };

            if ((int)kind == -1)
            {
                if (entry.Status == ChangeKind_Renamed && wasPage)
                {
                    // A page renamed to something that is not a page: for the wiki it is gone.
                    Add(new PageChange(commit.Sha, oldPath, null, ChangeKind.Deleted, author, when, summary, 0,
                        -size(entry.OldId)));
                }

                continue;
            }

            if (restored && kind is ChangeKind.Added or ChangeKind.Modified)
            {
                kind = ChangeKind.Restored;
            }

            var oldSize = entry.Status is ChangeKind_Added or ChangeKind_Copied ? 0 : size(entry.OldId);
            var newSize = kind == ChangeKind.Deleted ? 0 : size(entry.NewId);
            Add(new PageChange(commit.Sha, target, from, kind, author, when, summary, newSize, newSize - oldSize));
        }
    }

    private const LibGit2Sharp.ChangeKind ChangeKind_Added = LibGit2Sharp.ChangeKind.Added;
    private const LibGit2Sharp.ChangeKind ChangeKind_Copied = LibGit2Sharp.ChangeKind.Copied;
    private const LibGit2Sharp.ChangeKind ChangeKind_Modified = LibGit2Sharp.ChangeKind.Modified;
    private const LibGit2Sharp.ChangeKind ChangeKind_TypeChanged = LibGit2Sharp.ChangeKind.TypeChanged;
    private const LibGit2Sharp.ChangeKind ChangeKind_Deleted = LibGit2Sharp.ChangeKind.Deleted;
    private const LibGit2Sharp.ChangeKind ChangeKind_Renamed = LibGit2Sharp.ChangeKind.Renamed;

    private static long Size(Repository repo, ObjectId? id) =>
        id is null || id == ObjectId.Zero ? 0 : repo.ObjectDatabase.RetrieveObjectMetadata(id).Size;

    private void Add(PageChange change)
    {
        // One PagePath instance per page, however many changes it has.
        if (!_byPath.TryGetValue(change.Path, out var entries))
        {
            _byPath[change.Path] = entries = new PathChanges(change.Path);
        }

        var old = change.OldPath is { } from ? (_byPath.TryGetValue(from, out var known) ? known.Path : from) : default;
        entries.Positions.Add(_changes.Count);
        _changes.Add(new Entry(CommitId.Parse(change.Revision), entries.Path, old, change.Kind, change.Author,
            change.When.UtcTicks, (short)change.When.Offset.TotalMinutes, change.Summary, change.Size, change.SizeDelta));
        _unsaved++;
    }

    private Author Intern(string name, string email)
    {
        if (!_authors.TryGetValue((name, email), out var author))
        {
            _authors[(name, email)] = author = new Author(name, email);
        }

        return author;
    }

    private void SaveSnapshot()
    {
        if (_file is null)
        {
            return;
        }

        _lock.EnterReadLock();
        try
        {
            if (_file.TrySave(_tip, _changes))
            {
                _unsaved = 0;
            }
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    private void LoadSnapshot()
    {
        if (_file is null)
        {
            return;
        }

        var (loaded, tip) = _file.Load(Intern, Add);
        if (!loaded)
        {
            Clear(); // what a damaged file handed over is forgotten: the index is rebuilt from git
            return;
        }

        _tip = tip;
        _unsaved = 0;
    }

    /// <summary>The changes of one path, in commit order, and the one PagePath instance the index keeps for it.</summary>
    private sealed class PathChanges(PagePath path)
    {
        public PagePath Path { get; } = path;

        public List<int> Positions { get; } = [];
    }

    /// <summary>One change as the index keeps it; <see cref="OldPath"/> is empty when there is none.</summary>
    internal readonly record struct Entry(
        CommitId Revision,
        PagePath Path,
        PagePath OldPath,
        ChangeKind Kind,
        Author Author,
        long UtcTicks,
        short OffsetMinutes,
        string Summary,
        long Size,
        long SizeDelta)
    {
        public DateTimeOffset When => new DateTimeOffset(UtcTicks, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(OffsetMinutes));

        public PageChange ToPageChange() => new(Revision.ToString(), Path, OldPath.Value.Length == 0 ? null : OldPath, Kind, Author,
            When, Summary, Size, SizeDelta);
    }

    /// <summary>A SHA-1 commit id in 20 bytes instead of a 40-character string (about 100 bytes).</summary>
    internal readonly record struct CommitId(ulong High, ulong Middle, uint Low)
    {
        public static CommitId Parse(string sha)
        {
            Span<byte> bytes = stackalloc byte[20];
            if (sha.Length != 40 || Convert.FromHexString(sha, bytes, out _, out var written) != System.Buffers.OperationStatus.Done || written != 20)
            {
                throw new FormatException($"Not a SHA-1 commit id: '{sha}'.");
            }

            return new CommitId(
                System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes),
                System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]),
                System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes[16..]));
        }

        public override string ToString()
        {
            Span<byte> bytes = stackalloc byte[20];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes, High);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], Middle);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes[16..], Low);
            return Convert.ToHexStringLower(bytes);
        }
    }
}
