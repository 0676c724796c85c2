using System.Text;
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
    /// <summary>
    /// How page text is decoded: UTF-8 exactly as stored. A byte order mark stays in the text (as U+FEFF) instead of
    /// being dropped by the reader, so a page saved unchanged is byte-identical and never a commit that only removes it.
    /// </summary>
    internal static readonly System.Text.Encoding PageText = new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    internal const string RedirectsFile = RedirectFile.Path;

    internal static readonly TimeSpan StaleLockAge = TimeSpan.FromSeconds(30);

    private readonly PageStoreOptions _options;

    private readonly string _branchRef;

    private readonly RepositoryPool _readers;

    private readonly Repository _writer;

    private readonly SemaphoreSlim _writeLock = new(1, 1);

    private readonly SemaphoreSlim _largeReads = new(1, 1);

    // Replaced once when a background build finishes (see PageStore.IndexBuild.cs).
    private volatile HistoryIndex _index;

    private volatile PageListing? _pageList;

    private volatile ActivityCache? _activity;

    private readonly RedirectFile _redirectFile = new();

    private PageStore(PageStoreOptions options)
    {
        _options = options;
        _branchRef = "refs/heads/" + options.Branch;
        // The store is its repository's only writer (power users push to the upstream, not here), and nothing of
        // its own is being written while it opens: every lock file now is a left-over of a killed process.
        StaleLocks.Remove(options.RepositoryPath, TimeSpan.Zero);
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

    /// <inheritdoc />
    public void Dispose()
    {
        StopIndexBuild();
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

        if (_options.BuildIndexInBackgroundAbove is { } above && _index.Tip is null && Tip(_writer) is { } tip
            && _writer.Commits.QueryBy(new LibGit2Sharp.CommitFilter { IncludeReachableFrom = tip }).Skip(above).Any())
        {
            StartIndexBuild(tip.Sha);
        }
        else
        {
            EnsureIndexCurrent();
        }
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

    private Commit? Tip(Repository repo) => repo.Refs[_branchRef]?.ResolveToDirectReference()?.Target as Commit;

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


}
