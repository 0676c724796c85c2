using System.Text;
using DiffPlex;
using DiffPlex.Chunkers;
using LibGit2Sharp;

namespace Handbook.GitStore;

/// <summary>
/// The handbook as Markdown pages in a bare git repository. Every change is one commit on one branch: the author
/// is the worker, the committer is the application, the message is the worker's summary.
/// <para>
/// Concurrency, in one place: all writes of this store go through one <see cref="SemaphoreSlim"/> (one writer at a
/// time) and update the branch with compare-and-swap (libgit2 refuses the update if the branch moved since it was
/// read, e.g. by a git CLI push), retrying on top of the new tip. Readers never take that lock; each rents its own
/// <see cref="Repository"/> instance. Objects are written before the branch moves, so a crash mid-save leaves at
/// most unreferenced objects, never a broken branch.
/// </para>
/// </summary>
public sealed partial class PageStore : IDisposable
{
    internal const string RedirectsFile = ".handbook/redirects";
    private static readonly TimeSpan StaleLockAge = TimeSpan.FromSeconds(30);

    private readonly PageStoreOptions _options;
    private readonly string _branchRef;
    private readonly RepositoryPool _readers;
    private readonly Repository _writer;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly SemaphoreSlim _largeReads = new(1, 1);
    private readonly HistoryIndex _index;
    private volatile PageListing? _pageList;
    private volatile ActivityCache? _activity;
    private volatile RedirectCache? _redirects;

    private PageStore(PageStoreOptions options)
    {
        _options = options;
        _branchRef = "refs/heads/" + options.Branch;
        // The store is its repository's only writer (power users push to the upstream, not here), and nothing of
        // its own is being written while it opens: every lock file now is a left-over of a killed process.
        RemoveStaleLocks(options.RepositoryPath, TimeSpan.Zero);
        _writer = new Repository(options.RepositoryPath);
        _readers = new RepositoryPool(options.RepositoryPath);
        _index = new HistoryIndex(options.IndexPath);
    }

    /// <summary>The bare repository folder.</summary>
    public string RepositoryPath => _options.RepositoryPath;

    /// <summary>
    /// Raised after this store moved the branch (argument: the new tip). Commits made by other processes are
    /// not announced: readers that must follow them compare <see cref="Head"/> or <see cref="ListPageBlobs"/>.
    /// </summary>
    public event Action<string>? Committed;

    /// <summary>Opens the repository at <see cref="PageStoreOptions.RepositoryPath"/>, creating and seeding it when new.</summary>
    public static PageStore Open(PageStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var path = options.RepositoryPath;
        if (!Repository.IsValid(path))
        {
            if (Directory.Exists(path) && Directory.EnumerateFileSystemEntries(path).Any())
            {
                throw new InvalidOperationException(
                    $"'{path}' exists but is not a git repository; refusing to write into it.");
            }

            Directory.CreateDirectory(path);
            Repository.Init(path, isBare: true);
        }

        NativeGitMemory.Apply();
        var store = new PageStore(options);
        try
        {
            store.Initialise();
        }
        catch
        {
            store.Dispose();
            throw;
        }

        return store;
    }

    /// <summary>The commit at the tip of the branch, or null for an empty repository.</summary>
    public string? Head
    {
        get
        {
            using var lease = _readers.Rent();
            return Tip(lease.Repository)?.Sha;
        }
    }

    /// <summary>Largest page text accepted by a save, in UTF-8 bytes.</summary>
    public int MaxPageBytes => _options.MaxPageBytes;

    /// <summary>Reads a page at the branch tip, or at <paramref name="revision"/> (a commit id); null if absent.</summary>
    public PageContent? Read(PagePath path, string? revision = null)
    {
        using var lease = _readers.Rent();
        var repo = lease.Repository;
        var commit = revision is null ? Tip(repo) : LookupCommit(repo, revision);
        if (commit?[path.FileName]?.Target is not Blob blob)
        {
            return null;
        }

        var size = SizeOf(repo, blob);
        return size > _options.MaxReadBytes
            ? new PageContent(path, "", blob.Sha, commit.Sha) { TooLarge = true, Size = size }
            : new PageContent(path, blob.GetContentText(Encoding.UTF8), blob.Sha, commit.Sha) { Size = size };
    }

    /// <summary>The id git gives the blob of <paramref name="text"/> (as a save stores it: UTF-8, as it is), without writing it.</summary>
    public static string BlobIdOf(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bytes = Encoding.UTF8.GetBytes(text);
        using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA1);
        sha.AppendData(Encoding.ASCII.GetBytes($"blob {bytes.Length}\0"));
        sha.AppendData(bytes);
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>Largest text the read paths read whole (<see cref="PageStoreOptions.MaxReadBytes"/>).</summary>
    public long MaxReadBytes => _options.MaxReadBytes;

    /// <summary>
    /// The page's text as a stream, of any size (the download of a page too large to show); null if absent. Large
    /// texts are read one at a time: libgit2 holds a blob whole in memory while it is read.
    /// </summary>
    public async Task<Stream?> OpenText(PagePath path, string? revision = null, CancellationToken cancellationToken = default)
    {
        var lease = _readers.Rent();
        try
        {
            var commit = revision is null ? Tip(lease.Repository) : LookupCommit(lease.Repository, revision);
            if (commit?[path.FileName]?.Target is not Blob blob)
            {
                lease.Dispose();
                return null;
            }

            var large = SizeOf(lease.Repository, blob) > _options.MaxReadBytes;
            if (large)
            {
                await _largeReads.WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            return new LeasedStream(blob.GetContentStream(), () =>
            {
                lease.Dispose();
                if (large)
                {
                    _largeReads.Release();
                }
            });
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }

    /// <summary>A blob's size from the object database's header, without reading (and inflating) the blob.</summary>
    private static long SizeOf(Repository repo, Blob blob) => repo.ObjectDatabase.RetrieveObjectMetadata(blob.Id).Size;

    /// <summary>Whether a page exists at the branch tip.</summary>
    public bool Exists(PagePath path)
    {
        using var lease = _readers.Rent();
        return Tip(lease.Repository)?[path.FileName]?.TargetType == TreeEntryTargetType.Blob;
    }

    /// <summary>All pages at the branch tip, sorted by path. Cached per tree.</summary>
    public IReadOnlyList<PagePath> ListPages() => ListPageBlobs().Pages.Select(e => e.Path).ToList();

    /// <summary>
    /// All pages at the branch tip with the id of their text, sorted by path, plus the tree id that identifies this
    /// state of the handbook. Cached per tree: callers can cache anything derived from a page by its blob id.
    /// </summary>
    public PageListing ListPageBlobs()
    {
        using var lease = _readers.Rent();
        var tree = Tip(lease.Repository)?.Tree;
        if (tree is null)
        {
            return PageListing.Empty;
        }

        var cached = _pageList;
        if (cached?.TreeId == tree.Sha)
        {
            return cached;
        }

        var pages = cached is { TreeId.Length: > 0 } && lease.Repository.Lookup<Tree>(cached.TreeId) is { } before
            ? Update(lease.Repository, before, tree, cached.Pages)
            : null;
        if (pages is null)
        {
            pages = [];
            CollectPages(tree, "", pages);
            pages.Sort((a, b) => a.Path.CompareTo(b.Path));
        }

        var listing = new PageListing(tree.Sha, pages);
        _pageList = listing;
        return listing;
    }

    /// <summary>Reads a page text by its blob id (as listed by <see cref="ListPageBlobs"/>); null if unknown or too large.</summary>
    public string? ReadBlob(string blobId) => ReadBlob(blobId, out _);

    /// <summary>
    /// Reads a page text by its blob id; null if unknown, or when it is larger than <see cref="MaxReadBytes"/>
    /// (<paramref name="tooLarge"/> then says so; it is not read).
    /// </summary>
    public string? ReadBlob(string blobId, out bool tooLarge)
    {
        tooLarge = false;
        using var lease = _readers.Rent();
        if (blobId.Length != 40 || !blobId.All(Uri.IsHexDigit) || lease.Repository.Lookup<Blob>(blobId) is not { } blob)
        {
            return null;
        }

        tooLarge = SizeOf(lease.Repository, blob) > _options.MaxReadBytes;
        return tooLarge ? null : blob.GetContentText(Encoding.UTF8);
    }

    /// <summary>Reads an attachment (image, PDF…) at the branch tip or a revision; null if absent.</summary>
    public byte[]? ReadAttachment(AttachmentPath path, string? revision = null)
    {
        using var lease = _readers.Rent();
        var commit = revision is null ? Tip(lease.Repository) : LookupCommit(lease.Repository, revision);
        if (commit?[path.Value]?.Target is not Blob blob)
        {
            return null;
        }

        using var stream = blob.GetContentStream();
        using var buffer = new MemoryStream((int)Math.Min(blob.Size, int.MaxValue));
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    /// <summary>Where a renamed page went: the new path, or null when <paramref name="path"/> is not a redirect.</summary>
    public PagePath? ResolveRedirect(PagePath path)
    {
        using var lease = _readers.Rent();
        return ReadRedirects(lease.Repository, Tip(lease.Repository)).TryGetValue(path, out var target) ? target : null;
    }

    /// <summary>
    /// Saves a page. Unchanged since the base → a commit on top; changed meanwhile → a three-way merge with git's
    /// merge machinery, committed when clean; overlapping edits → a conflict and nothing written.
    /// </summary>
    public Task<SaveResult> SaveAsync(SaveRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Reject(request.Summary, Encoding.UTF8.GetByteCount(request.Text)) is { } rejected)
        {
            return Task.FromResult<SaveResult>(rejected);
        }

        return WriteAsync(repo => SaveCore(repo, request), cancellationToken);
    }

    /// <summary>Stores an attachment beside the pages, as one commit.</summary>
    public Task<SaveResult> SaveAttachmentAsync(AttachmentPath path, byte[] content, Author author, string summary,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (content.LongLength > _options.MaxAttachmentBytes)
        {
            return Task.FromResult<SaveResult>(new SaveResult.Rejected(SaveError.TooLarge,
                $"The file is larger than {_options.MaxAttachmentBytes} bytes."));
        }

        if (Reject(summary, 0) is { } rejected)
        {
            return Task.FromResult<SaveResult>(rejected);
        }

        return WriteAsync(repo =>
        {
            var head = Tip(repo);
            // A file belongs to a page that exists, and changing it is changing that page.
            if (path.Page is not { } page || head?[page.FileName]?.Target is not Blob)
            {
                return new SaveResult.Rejected(SaveError.NotFound, $"Files are added to an existing page; '{path.Page?.Value ?? path.Value}' does not exist.");
            }

            if (Unprotected(author, head, page, newText: null) is { } refused)
            {
                return refused;
            }

            var blob = repo.ObjectDatabase.CreateBlob(new MemoryStream(content, writable: false));
            if ((head[path.Value]?.Target as Blob)?.Id == blob.Id)
            {
                return new SaveResult.Unchanged(head.Sha);
            }

            var tree = head is null ? new TreeDefinition() : TreeDefinition.From(head);
            tree.Add(path.Value, blob, Mode.NonExecutableFile);
            return Commit(repo, head, tree, author, summary, []) is { } sha
                ? new SaveResult.Saved(sha)
                : null;
        }, cancellationToken);
    }

    /// <summary>Moves a page. History follows it; the old path becomes a redirect to the new one.</summary>
    public Task<SaveResult> RenameAsync(PagePath from, PagePath to, Author author, string summary,
        CancellationToken cancellationToken = default)
    {
        if (Reject(summary, 0) is { } rejected)
        {
            return Task.FromResult<SaveResult>(rejected);
        }

        return WriteAsync(repo =>
        {
            var head = Tip(repo);
            if (head?[from.FileName]?.Target is not Blob blob)
            {
                return new SaveResult.Rejected(SaveError.NotFound, $"Page '{from}' does not exist.");
            }

            if (Unprotected(author, head, from, newText: null) is { } refused)
            {
                return refused;
            }

            if (from == to)
            {
                return new SaveResult.Unchanged(head.Sha);
            }

            if (head[to.FileName] is not null)
            {
                return new SaveResult.Rejected(SaveError.AlreadyExists, $"Page '{to}' already exists.");
            }

            var tree = TreeDefinition.From(head);
            tree.Remove(from.FileName);
            tree.Add(to.FileName, blob, Mode.NonExecutableFile);
            var redirects = new Dictionary<PagePath, PagePath>(ReadRedirects(repo, head));
            foreach (var key in redirects.Where(r => r.Value == from).Select(r => r.Key).ToList())
            {
                redirects[key] = to;
            }

            redirects.Remove(to);
            redirects[from] = to;
            WriteRedirects(repo, tree, redirects);
            return Commit(repo, head, tree, author, summary, []) is { } sha ? new SaveResult.Saved(sha) : null;
        }, cancellationToken);
    }

    /// <summary>Removes a page. It stays in history and can be restored.</summary>
    public Task<SaveResult> DeleteAsync(PagePath path, Author author, string summary,
        CancellationToken cancellationToken = default)
    {
        if (Reject(summary, 0) is { } rejected)
        {
            return Task.FromResult<SaveResult>(rejected);
        }

        return WriteAsync(repo =>
        {
            var head = Tip(repo);
            if (head?[path.FileName] is null)
            {
                return new SaveResult.Rejected(SaveError.NotFound, $"Page '{path}' does not exist.");
            }

            if (Unprotected(author, head, path, newText: null) is { } refused)
            {
                return refused;
            }

            var tree = TreeDefinition.From(head);
            tree.Remove(path.FileName);
            return Commit(repo, head, tree, author, summary, []) is { } sha ? new SaveResult.Saved(sha) : null;
        }, cancellationToken);
    }

    /// <summary>Sets a page back to its text at <paramref name="revision"/>, as a new commit (also for a deleted page).</summary>
    public Task<SaveResult> RestoreAsync(PagePath path, string revision, Author author, string summary,
        CancellationToken cancellationToken = default)
    {
        if (Reject(summary, 0) is { } rejected)
        {
            return Task.FromResult<SaveResult>(rejected);
        }

        return WriteAsync(repo =>
        {
            var old = LookupCommit(repo, revision);
            if (old is null)
            {
                return new SaveResult.Rejected(SaveError.UnknownRevision, $"Revision '{revision}' is unknown.");
            }

            var source = PathAt(path, old.Sha);
            if (old[source.FileName]?.Target is not Blob blob)
            {
                return new SaveResult.Rejected(SaveError.NotFound, $"Page '{path}' did not exist at {old.Sha[..7]}.");
            }

            var head = Tip(repo);
            if ((head?[path.FileName]?.Target as Blob)?.Id == blob.Id)
            {
                return new SaveResult.Unchanged(head!.Sha);
            }

            // Restoring a protected version (of a page deleted since, too) makes the page protected again.
            if (Unprotected(author, head, path, Prefix(blob)) is { } refused)
            {
                return refused;
            }

            var tree = head is null ? new TreeDefinition() : TreeDefinition.From(head);
            tree.Add(path.FileName, blob, Mode.NonExecutableFile);
            return Commit(repo, head, tree, author, summary, [new(HistoryIndex.RestoredTrailer, old.Sha)]) is { } sha
                ? new SaveResult.Saved(sha)
                : null;
        }, cancellationToken);
    }

    /// <summary>The changes to a page, newest first, across renames. Served from the history index.</summary>
    public IReadOnlyList<PageChange> History(PagePath path, int skip = 0, int take = 100)
    {
        EnsureIndexCurrent();
        return _index.PageHistory(path, skip, take);
    }

    /// <summary>The last change to a page ("who changed this last"), from the history index.</summary>
    public PageChange? LastChange(PagePath path)
    {
        EnsureIndexCurrent();
        return _index.LastChange(path);
    }

    /// <summary>Recent changes of the whole handbook, newest first, filtered and paged. From the history index.</summary>
    public ChangePage RecentChanges(ChangeQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        EnsureIndexCurrent();
        return _index.Recent(query);
    }

    /// <summary>
    /// Activity per section (root folder; "" for pages at the root) among the last <paramref name="max"/> changes in
    /// a period: how many pages changed, by how many people, in how many changes; busiest first. Kept for the history
    /// index's tip and period, so the recent-changes page does not group thousands of changes on every request.
    /// </summary>
    public IReadOnlyList<SectionActivity> Activity(DateTimeOffset? since, DateTimeOffset? until, int max = 10_000)
    {
        EnsureIndexCurrent();
        var key = (_index.Tip, since, until, max);
        if (_activity is { } cached && cached.Key == key)
        {
            return cached.Rows;
        }

        var rows = _index.Recent(new ChangeQuery(Take: max, Since: since, Until: until)).Items
            .GroupBy(c => c.Path.Folder.Length == 0 ? "" : c.Path.Section, StringComparer.Ordinal)
            .Select(g => new SectionActivity(g.Key,
                g.Select(c => c.Path).Distinct().Count(),
                g.Select(c => c.Author.Email).Distinct(StringComparer.OrdinalIgnoreCase).Count(),
                g.Count()))
            .OrderByDescending(s => s.Changes)
            .ToList();
        _activity = new ActivityCache(key, rows);
        return rows;
    }

    /// <summary>Pages that existed once and are deleted now, with their deletion, newest first.</summary>
    public IReadOnlyList<PageChange> DeletedPages()
    {
        EnsureIndexCurrent();
        return _index.LastChangePerPath()
            .Where(c => c.Kind == ChangeKind.Deleted)
            .OrderByDescending(c => c.When)
            .ToList();
    }

    /// <summary>How often the history index started again from the root commit since it was opened (diagnostics).</summary>
    internal int HistoryRebuilds => _index.Rebuilds;

    /// <summary>Makes the history index current with the branch (e.g. after a commit made with the git CLI).</summary>
    public void EnsureIndexCurrent()
    {
        using var lease = _readers.Rent();
        var tip = Tip(lease.Repository);
        if (tip?.Sha != _index.Tip)
        {
            _index.CatchUp(lease.Repository, Tip);
        }
    }

    /// <summary>The difference between two revisions of a page; the page may have had another name then.</summary>
    public PageDiff? Diff(PagePath path, string fromRevision, string toRevision)
    {
        using var lease = _readers.Rent();
        var repo = lease.Repository;
        var from = LookupCommit(repo, fromRevision);
        var to = LookupCommit(repo, toRevision);
        if (from is null || to is null)
        {
            return null;
        }

        var oldBlob = from[PathAt(path, from.Sha).FileName]?.Target as Blob;
        var newBlob = to[PathAt(path, to.Sha).FileName]?.Target as Blob;
        if ((oldBlob is not null && SizeOf(repo, oldBlob) > _options.MaxReadBytes) || (newBlob is not null && SizeOf(repo, newBlob) > _options.MaxReadBytes))
        {
            return new PageDiff(path, from.Sha, to.Sha, "", "", "", 0, 0) { TooLarge = true };
        }

        var empty = oldBlob is null || newBlob is null ? repo.ObjectDatabase.CreateBlob(Stream.Null) : null;
        var changes = repo.Diff.Compare(oldBlob ?? empty, newBlob ?? empty);
        return new PageDiff(path, from.Sha, to.Sha,
            oldBlob?.GetContentText(Encoding.UTF8) ?? "",
            newBlob?.GetContentText(Encoding.UTF8) ?? "",
            changes.Patch, changes.LinesAdded, changes.LinesDeleted);
    }

    /// <summary>
    /// Each line of the page with the change that last touched it. Computed from the page's own revisions (from the
    /// history index), so its cost follows the page's history, not the handbook's.
    /// </summary>
    public IReadOnlyList<BlameLine> Blame(PagePath path)
    {
        var history = History(path, 0, int.MaxValue);
        var lines = new List<(string Text, PageChange Change)>();
        using var lease = _readers.Rent();
        var repo = lease.Repository;
        var previous = "";
        for (var i = history.Count - 1; i >= 0; i--)
        {
            var change = history[i];
            // A version too large to read counts as empty: the lines of the next version are attributed to it.
            var text = change.Kind == ChangeKind.Deleted || repo.Lookup<Commit>(change.Revision)?[change.Path.FileName]?.Target is not Blob blob
                       || SizeOf(repo, blob) > _options.MaxReadBytes
                ? ""
                : blob.GetContentText(Encoding.UTF8);
            var diff = Differ.Instance.CreateDiffs(previous, text, false, false, LineChunker.Instance);
            var next = new List<(string, PageChange)>(diff.PiecesNew.Count);
            var oldIndex = 0;
            var newIndex = 0;
            foreach (var block in diff.DiffBlocks)
            {
                while (newIndex < block.InsertStartB)
                {
                    next.Add((diff.PiecesNew[newIndex++], lines[oldIndex++].Change));
                }

                oldIndex += block.DeleteCountA;
                for (var k = 0; k < block.InsertCountB; k++)
                {
                    next.Add((diff.PiecesNew[newIndex++], change));
                }
            }

            while (newIndex < diff.PiecesNew.Count)
            {
                next.Add((diff.PiecesNew[newIndex++], lines[oldIndex++].Change));
            }

            lines = next;
            previous = text;
        }

        if (lines.Count > 0 && lines[^1].Text.Length == 0 && previous.EndsWith('\n'))
        {
            // The chunker reports the empty remainder after the final newline as a line; git does not.
            lines.RemoveAt(lines.Count - 1);
        }

        return lines.Select((l, i) => new BlameLine(i + 1, l.Text, l.Change)).ToList();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _index.Dispose();
        _readers.Dispose();
        _writer.Dispose();
        _writeLock.Dispose();
        _largeReads.Dispose();
    }

    private void Initialise()
    {
        // HEAD of a new repository may name another default branch.
        if (_writer.Refs.Head is SymbolicReference head && head.TargetIdentifier != _branchRef)
        {
            // libgit2 cannot retarget HEAD to a branch that has no commit yet; HEAD is a one-line file.
            File.WriteAllText(Path.Combine(_writer.Info.Path, "HEAD"), "ref: " + _branchRef + "\n");
        }

        if (_writer.Refs[_branchRef] is null && (_options.Upstream is not { } upstream || !TryStartFromUpstream(upstream))
            && _options.SeedPath is { } seed)
        {
            Seed(seed);
        }

        EnsureIndexCurrent();
    }

    private void Seed(string seedPath)
    {
        if (!Directory.Exists(seedPath))
        {
            throw new DirectoryNotFoundException($"Seed folder '{seedPath}' does not exist.");
        }

        var tree = new TreeDefinition();
        var refused = new List<string>();
        foreach (var file in Directory.EnumerateFiles(seedPath, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(seedPath, file).Replace(Path.DirectorySeparatorChar, '/');
            if (relative.Split('/').Any(s => s.StartsWith('.')))
            {
                continue;
            }

            var valid = relative.EndsWith(PagePath.Extension, StringComparison.Ordinal)
                ? PagePath.TryFromFileName(relative, out _)
                : AttachmentPath.TryParse(relative, out _, out _);
            if (!valid)
            {
                refused.Add(relative);
                continue;
            }

            using var stream = File.OpenRead(file);
            tree.Add(relative, _writer.ObjectDatabase.CreateBlob(stream), Mode.NonExecutableFile);
        }

        if (refused.Count > 0)
        {
            throw new InvalidOperationException("Seed files with invalid names: " + string.Join(", ", refused));
        }

        var committer = Signature(_options.Committer);
        var commit = _writer.ObjectDatabase.CreateCommit(committer, committer, _options.SeedMessage,
            _writer.ObjectDatabase.CreateTree(tree), [], prettifyMessage: true);
        _writer.Refs.Add(_branchRef, commit.Id, "handbook: seed");
    }

    private SaveResult.Rejected? Reject(string summary, int bytes)
    {
        if (string.IsNullOrWhiteSpace(summary))
        {
            return new SaveResult.Rejected(SaveError.SummaryRequired, "A summary of the change is required.");
        }

        return bytes > _options.MaxPageBytes
            ? new SaveResult.Rejected(SaveError.TooLarge, $"The page is larger than {_options.MaxPageBytes} bytes.")
            : null;
    }

    /// <summary>
    /// Runs one save-like write. <paramref name="write"/> returns null when the branch moved under it
    /// (compare-and-swap failed); it is then run again on the new tip.
    /// </summary>
    private Task<SaveResult> WriteAsync(Func<Repository, SaveResult?> write, CancellationToken cancellationToken) =>
        WithWriterAsync(repo =>
        {
            while (true)
            {
                if (write(repo) is { } result)
                {
                    return result;
                }
            }
        }, cancellationToken);

    /// <summary>
    /// The one way to write: under the writer lock, off the caller's thread, retrying when a git lock file from a
    /// crashed process is in the way; afterwards the history index catches up and, if the branch moved,
    /// <see cref="Committed"/> is raised.
    /// </summary>
    private async Task<T> WithWriterAsync<T>(Func<Repository, T> action, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await Task.Run(() =>
            {
                var before = Tip(_writer)?.Sha;
                T result;
                for (var attempt = 0; ; attempt++)
                {
                    try
                    {
                        result = action(_writer);
                        break;
                    }
                    catch (LockedFileException) when (attempt < 50)
                    {
                        RemoveStaleLocks(_options.RepositoryPath, StaleLockAge);
                        Thread.Sleep(20);
                    }
                }

                _index.CatchUp(_writer, Tip);
                var tip = Tip(_writer);
                if (tip is not null && tip.Sha != before)
                {
                    Committed?.Invoke(tip.Sha);
                }

                return result;
            }, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private SaveResult? SaveCore(Repository repo, SaveRequest request)
    {
        var head = Tip(repo);
        var headBlob = head?[request.Path.FileName]?.Target as Blob;
        var blob = repo.ObjectDatabase.CreateBlob(new MemoryStream(Encoding.UTF8.GetBytes(request.Text), writable: false));
        if (headBlob?.Id == blob.Id)
        {
            return new SaveResult.Unchanged(head!.Sha);
        }

        // Against the tip, not the version the editor opened: protection added meanwhile counts, for a merge and
        // for "keep my version" alike.
        if (Unprotected(request.Author, head, request.Path, request.Text) is { } refused)
        {
            return refused;
        }

        Commit? baseCommit = null;
        if (request.BaseRevision is not null)
        {
            baseCommit = LookupCommit(repo, request.BaseRevision);
            if (baseCommit is null)
            {
                return new SaveResult.Rejected(SaveError.UnknownRevision, $"Revision '{request.BaseRevision}' is unknown.");
            }
        }

        var baseBlob = baseCommit?[request.Path.FileName]?.Target as Blob;
        if (baseBlob?.Id == headBlob?.Id)
        {
            // The page did not change since the editor opened it (other pages may have): commit on top.
            var tree = head is null ? new TreeDefinition() : TreeDefinition.From(head);
            tree.Add(request.Path.FileName, blob, Mode.NonExecutableFile);
            var redirects = ReadRedirects(repo, head);
            if (redirects.ContainsKey(request.Path))
            {
                // A page created where a redirect was: the page wins.
                var remaining = new Dictionary<PagePath, PagePath>(redirects);
                remaining.Remove(request.Path);
                WriteRedirects(repo, tree, remaining);
            }

            ClearConflictFlag(repo, tree, head, request.Path);
            return Commit(repo, head, tree, request.Author, request.Summary, request.Trailers) is { } sha
                ? new SaveResult.Saved(sha)
                : null;
        }

        if (headBlob is not null && SizeOf(repo, headBlob) > _options.MaxReadBytes)
        {
            return new SaveResult.Rejected(SaveError.TooLarge, $"The page on the branch is larger than {_options.MaxReadBytes} bytes: it cannot be merged.");
        }

        var theirs = headBlob?.GetContentText(Encoding.UTF8) ?? "";
        if (baseCommit is null || head is null)
        {
            // A new page, but someone created it meanwhile: there is no common base to merge from.
            return new SaveResult.Conflict("", theirs, request.Text, head?.Sha ?? "");
        }

        var mineTree = TreeDefinition.From(baseCommit);
        mineTree.Add(request.Path.FileName, blob, Mode.NonExecutableFile);
        var mine = repo.ObjectDatabase.CreateCommit(Signature(request.Author), Signature(_options.Committer),
            request.Summary, repo.ObjectDatabase.CreateTree(mineTree), [baseCommit], prettifyMessage: true);
        var merge = repo.ObjectDatabase.MergeCommits(head, mine, new MergeTreeOptions { FailOnConflict = false });
        if (merge.Status != MergeTreeStatus.Succeeded)
        {
            return new SaveResult.Conflict(baseBlob?.GetContentText(Encoding.UTF8) ?? "", theirs, request.Text, head.Sha);
        }

        if (merge.Tree.Id == head.Tree.Id)
        {
            return new SaveResult.Unchanged(head.Sha);
        }

        var mergedText = (merge.Tree[request.Path.FileName]?.Target as Blob)?.GetContentText(Encoding.UTF8) ?? "";
        if (Unprotected(request.Author, head, request.Path, mergedText) is { } mergedRefused)
        {
            return mergedRefused;
        }

        var mergedTree = TreeDefinition.From(merge.Tree);
        ClearConflictFlag(repo, mergedTree, head, request.Path);
        var merged = Commit(repo, head, mergedTree, request.Author, request.Summary, request.Trailers);
        return merged is null ? null : new SaveResult.Merged(merged, mergedText);
    }

    /// <summary>How much of a page's text <see cref="PageStoreOptions.IsProtected"/> sees: front matter is at most 16 KB.</summary>
    private const int ProtectionPrefix = 64 * 1024;

    /// <summary>
    /// The protection rule, at commit time: an author without <see cref="Author.MayChangeProtected"/> may neither
    /// write to a page that is protected at <paramref name="head"/> nor write <paramref name="newText"/> that is
    /// protected (which would protect the page). Null when the write may go ahead.
    /// </summary>
    private SaveResult.Rejected? Unprotected(Author author, Commit? head, PagePath path, string? newText)
    {
        if (_options.IsProtected is not { } isProtected || author.MayChangeProtected)
        {
            return null;
        }

        if (head?[path.FileName]?.Target is Blob current && isProtected(Prefix(current)))
        {
            return new SaveResult.Rejected(SaveError.NotAllowed, $"Page '{path}' is protected: only an administrator may change it.");
        }

        return newText is not null && isProtected(newText.Length > ProtectionPrefix ? newText[..ProtectionPrefix] : newText)
            ? new SaveResult.Rejected(SaveError.NotAllowed, $"Only an administrator may protect page '{path}'.")
            : null;
    }

    /// <summary>The first <see cref="ProtectionPrefix"/> bytes of a blob as text, without reading a large blob whole.</summary>
    private static string Prefix(Blob blob)
    {
        if (blob.Size <= ProtectionPrefix)
        {
            return blob.GetContentText(Encoding.UTF8);
        }

        using var stream = blob.GetContentStream();
        var buffer = new byte[ProtectionPrefix];
        var read = 0;
        while (read < buffer.Length && stream.Read(buffer, read, buffer.Length - read) is var n and > 0)
        {
            read += n;
        }

        return Encoding.UTF8.GetString(buffer, 0, read);
    }

    /// <summary>Saving a page flagged by a sync merge is its resolution: the flag goes.</summary>
    private static void ClearConflictFlag(Repository repo, TreeDefinition tree, Commit? head, PagePath path)
    {
        var conflicts = ReadConflicts(head);
        if (conflicts.ContainsKey(path))
        {
            WriteConflicts(repo, tree, conflicts.Where(c => c.Key != path).ToDictionary(c => c.Key, c => c.Value));
        }
    }

    /// <summary>Writes a commit and moves the branch to it if the branch is still at <paramref name="parent"/>.</summary>
    /// <returns>The new commit id, or null when the branch moved meanwhile.</returns>
    private string? Commit(Repository repo, Commit? parent, TreeDefinition tree, Author author, string summary,
        IReadOnlyList<KeyValuePair<string, string>> trailers)
    {
        var message = new StringBuilder(summary.Trim());
        if (trailers.Count > 0)
        {
            message.Append("\n\n");
            foreach (var (key, value) in trailers)
            {
                message.Append(key).Append(": ").Append(value.ReplaceLineEndings(" ")).Append('\n');
            }
        }

        var commit = repo.ObjectDatabase.CreateCommit(Signature(author), Signature(_options.Committer),
            message.ToString(), repo.ObjectDatabase.CreateTree(tree), parent is null ? [] : [parent], prettifyMessage: true);
        var branch = repo.Refs[_branchRef];
        if (branch is null)
        {
            if (parent is not null)
            {
                return null;
            }

            repo.Refs.Add(_branchRef, commit.Id, "handbook: first commit");
            return commit.Sha;
        }

        if (parent is null || branch.TargetIdentifier != parent.Sha)
        {
            return null;
        }

        try
        {
            // libgit2 updates the reference only if it still points where `branch` said: compare-and-swap.
            repo.Refs.UpdateTarget(branch, commit.Id, "handbook: " + summary.Trim());
            return commit.Sha;
        }
        catch (LibGit2SharpException e) when (e is not LockedFileException)
        {
            return null;
        }
    }

    private Commit? Tip(Repository repo) => repo.Refs[_branchRef]?.ResolveToDirectReference()?.Target as Commit;

    /// <summary>
    /// The name a page had at <paramref name="revision"/>: its current name if it existed then, otherwise the first
    /// earlier name (following renames back through its history) that existed in that revision.
    /// </summary>
    private PagePath PathAt(PagePath path, string revision)
    {
        using var lease = _readers.Rent();
        var target = LookupCommit(lease.Repository, revision);
        if (target is null || target[path.FileName] is not null)
        {
            return path;
        }

        foreach (var change in History(path, 0, int.MaxValue))
        {
            if (change.OldPath is { } old && target[old.FileName] is not null)
            {
                return old;
            }
        }

        return path;
    }

    private static Commit? LookupCommit(Repository repo, string revision)
    {
        // Only plain commit ids: never a revparse expression such as "HEAD:path" or "main@{1}".
        if (revision.Length is < 4 or > 40 || !revision.All(Uri.IsHexDigit))
        {
            return null;
        }

        try
        {
            return repo.Lookup<Commit>(revision);
        }
        catch (AmbiguousSpecificationException)
        {
            return null;
        }
    }

    private IReadOnlyDictionary<PagePath, PagePath> ReadRedirects(Repository repo, Commit? tip)
    {
        if (tip?[RedirectsFile]?.Target is not Blob blob)
        {
            return new Dictionary<PagePath, PagePath>();
        }

        var cached = _redirects;
        if (cached?.BlobId == blob.Sha)
        {
            return cached.Map;
        }

        var map = new Dictionary<PagePath, PagePath>();
        foreach (var line in blob.GetContentText(Encoding.UTF8).Split('\n'))
        {
            var parts = line.Trim().Split('\t');
            if (parts.Length == 2 && PagePath.TryParse(parts[0], out var from, out _) && PagePath.TryParse(parts[1], out var to, out _))
            {
                map[from] = to;
            }
        }

        _redirects = new RedirectCache(blob.Sha, map);
        return map;
    }

    private static void WriteRedirects(Repository repo, TreeDefinition tree, IReadOnlyDictionary<PagePath, PagePath> redirects)
    {
        if (redirects.Count == 0)
        {
            tree.Remove(RedirectsFile);
            return;
        }

        var text = new StringBuilder("# old page<TAB>new page, written by Handbook when a page is renamed\n");
        foreach (var (from, to) in redirects.OrderBy(r => r.Key))
        {
            text.Append(from.Value).Append('\t').Append(to.Value).Append('\n');
        }

        var blob = repo.ObjectDatabase.CreateBlob(new MemoryStream(Encoding.UTF8.GetBytes(text.ToString())));
        tree.Add(RedirectsFile, blob, Mode.NonExecutableFile);
    }

    /// <summary>
    /// The listing of <paramref name="after"/> from that of <paramref name="before"/> and the difference between the two
    /// trees: git compares them subtree by subtree and skips the ones that did not change, so after a save this reads
    /// one folder instead of walking every page of the handbook (and allocating an object per entry) again. The
    /// entries of unchanged pages are the previous listing's own.
    /// </summary>
    private static List<PageEntry> Update(Repository repo, Tree before, Tree after, IReadOnlyList<PageEntry> previous)
    {
        var changed = new Dictionary<PagePath, string?>();
        using (var changes = repo.Diff.Compare<TreeChanges>(before, after, new CompareOptions { Similarity = SimilarityOptions.None }))
        {
            foreach (var change in changes)
            {
                if (change.Status == LibGit2Sharp.ChangeKind.Deleted)
                {
                    if (PagePath.TryFromFileName(change.OldPath, out var gone))
                    {
                        changed.TryAdd(gone, null);
                    }
                }
                else if (PagePath.TryFromFileName(change.Path, out var path))
                {
                    // A type change (file to folder) is a deletion and an addition at the same path: the addition wins.
                    changed[path] = change.Oid.Sha;
                }
            }
        }

        var pages = new List<PageEntry>(previous.Count + changed.Count);
        foreach (var entry in previous)
        {
            if (!changed.Remove(entry.Path, out var blob))
            {
                pages.Add(entry);
            }
            else if (blob is not null)
            {
                pages.Add(new PageEntry(entry.Path, blob));
            }
        }

        // What is left was not in the previous listing: new pages.
        var added = false;
        foreach (var (path, blob) in changed)
        {
            if (blob is not null)
            {
                pages.Add(new PageEntry(path, blob));
                added = true;
            }
        }

        if (added)
        {
            pages.Sort((a, b) => a.Path.CompareTo(b.Path));
        }

        return pages;
    }

    private static void CollectPages(Tree tree, string prefix, List<PageEntry> pages)
    {
        foreach (var entry in tree)
        {
            if (entry.TargetType == TreeEntryTargetType.Tree)
            {
                if (!entry.Name.StartsWith('.'))
                {
                    CollectPages((Tree)entry.Target, prefix + entry.Name + "/", pages);
                }
            }
            else if (PagePath.TryFromFileName(prefix + entry.Name, out var path))
            {
                pages.Add(new PageEntry(path, entry.Target.Sha));
            }
        }
    }

    private static Signature Signature(Author author) =>
        new(Clean(author.Name, "onbekend"), Clean(author.Email, "onbekend@localhost"), DateTimeOffset.Now);

    private static string Clean(string value, string fallback)
    {
        var cleaned = new string(value.Where(c => c is not ('<' or '>') && !char.IsControl(c)).ToArray()).Trim();
        return cleaned.Length == 0 ? fallback : cleaned;
    }

    /// <summary>
    /// A process killed while holding a git lock file leaves it behind and blocks every later write. At open every
    /// lock is a left-over; while running, locks older than <see cref="StaleLockAge"/> are (no git operation holds
    /// one that long), younger ones may belong to a git command run by hand and are waited for.
    /// </summary>
    private static void RemoveStaleLocks(string repositoryPath, TimeSpan olderThan)
    {
        if (!Directory.Exists(repositoryPath))
        {
            return;
        }

        var candidates = Directory.EnumerateFiles(repositoryPath, "*.lock", SearchOption.TopDirectoryOnly);
        var refs = Path.Combine(repositoryPath, "refs");
        if (Directory.Exists(refs))
        {
            candidates = candidates.Concat(Directory.EnumerateFiles(refs, "*.lock", SearchOption.AllDirectories));
        }

        foreach (var file in candidates.ToList())
        {
            try
            {
                if (DateTime.UtcNow - File.GetLastWriteTimeUtc(file) >= olderThan)
                {
                    File.Delete(file);
                }
            }
            catch (IOException)
            {
                // Someone else removed it or holds it: either way nothing to do.
            }
        }
    }

    /// <summary>A stream that gives back what it holds (a repository lease, a place among the large reads) when disposed.</summary>
    private sealed class LeasedStream(Stream inner, Action release) : Stream
    {
        private int _released;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing && Interlocked.Exchange(ref _released, 1) == 0)
            {
                inner.Dispose();
                release();
            }

            base.Dispose(disposing);
        }
    }

    private sealed record RedirectCache(string BlobId, IReadOnlyDictionary<PagePath, PagePath> Map);

    private sealed record ActivityCache((string? Tip, DateTimeOffset? Since, DateTimeOffset? Until, int Max) Key, IReadOnlyList<SectionActivity> Rows);
}
