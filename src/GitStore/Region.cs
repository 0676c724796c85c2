using System.Text;
using LibGit2Sharp;

namespace Handbook.GitStore;

/// <summary>
/// Where a shared (regional) handbook is mounted in this one: a folder of the branch, <c>regio/</c> by default, that
/// holds the regional repository's pages as this city last imported them, with the city's own versions of the pages it
/// adapted (overrides). See <see cref="PageStore.FetchRegionAsync"/>.
/// </summary>
public sealed record RegionMount
{
    /// <param name="prefix">One folder name, as a page path segment (lower case, letters, digits, '-', '_').</param>
    /// <param name="branch">The regional repository's branch that is imported.</param>
    public RegionMount(string prefix, string branch = "main")
    {
        if (!PagePath.TryParse(prefix, out var path, out _) || path.Folder.Length > 0)
        {
            throw new ArgumentException($"The region's folder must be one page name segment, not '{prefix}'.", nameof(prefix));
        }

        if (string.IsNullOrWhiteSpace(branch) || branch.StartsWith('-') || branch.Contains("..", StringComparison.Ordinal)
            || branch.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '~' or '^' or ':' or '?' or '*' or '[' or '\\'))
        {
            throw new ArgumentException($"Not a branch name: '{branch}'.", nameof(branch));
        }

        Prefix = path.Value;
        Branch = branch;
    }

    /// <summary>The folder the regional pages are under.</summary>
    public string Prefix { get; }

    /// <summary>The regional branch that is imported (never written).</summary>
    public string Branch { get; }

    /// <summary>Whether <paramref name="path"/> is a page of the shared part.</summary>
    public bool Contains(PagePath path) => path.Value.Length > Prefix.Length + 1
        && path.Value.StartsWith(Prefix, StringComparison.Ordinal) && path.Value[Prefix.Length] == '/';

    /// <summary>Whether a repository path (a page file, an attachment) lies in the shared part.</summary>
    public bool ContainsFile(string repositoryPath) =>
        repositoryPath.StartsWith(Prefix + "/", StringComparison.Ordinal) || repositoryPath == Prefix;

    /// <summary>The page's path in the regional repository (without the folder).</summary>
    public PagePath ToRegional(PagePath path) => Contains(path)
        ? PagePath.Parse(path.Value[(Prefix.Length + 1)..])
        : throw new ArgumentException($"'{path}' is not under '{Prefix}/'.", nameof(path));

    /// <summary>The page's path here for a page of the regional repository.</summary>
    public PagePath ToLocal(PagePath regional) => PagePath.Parse(Prefix + "/" + regional.Value);
}

/// <summary>
/// What the branch says of the shared part: the regional commit its pages come from, and the pages the city adapted
/// for itself, each with the regional commit it was adapted from. Kept in <c>.handbook/regional</c> on the branch, so
/// it travels with the handbook (history, backups, other instances).
/// </summary>
/// <param name="Commit">The regional commit last imported; null before the first import.</param>
/// <param name="Overrides">Page → the regional commit its override started from (or last took changes from).</param>
public sealed record RegionalState(string? Commit, IReadOnlyDictionary<PagePath, string> Overrides)
{
    /// <summary>Nothing imported yet.</summary>
    public static readonly RegionalState None = new(null, new Dictionary<PagePath, string>());
}

/// <summary>One page of the shared part as this city has it.</summary>
/// <param name="Path">The page here (under the region's folder).</param>
/// <param name="RegionalPath">The page in the regional repository.</param>
/// <param name="RegionalCommit">The regional commit last imported.</param>
/// <param name="OverrideBase">For a page the city adapted: the regional commit the adaptation is based on.</param>
/// <param name="ChangedInRegion">Adapted, and the region changed the page since the adaptation's base.</param>
/// <param name="RemovedInRegion">Adapted, and the region no longer has the page.</param>
public sealed record RegionalPage(PagePath Path, PagePath RegionalPath, string RegionalCommit, string? OverrideBase, bool ChangedInRegion, bool RemovedInRegion)
{
    /// <summary>The city reads its own version of this page.</summary>
    public bool Overridden => OverrideBase is not null;

    /// <summary>The adaptation needs someone to look at the region's change.</summary>
    public bool NeedsReview => ChangedInRegion || RemovedInRegion;
}

/// <summary>What an import of the regional branch did.</summary>
/// <param name="Commits">Commits made here (one per regional commit on the first-parent line).</param>
/// <param name="RegionalCommit">The regional commit the shared part now comes from.</param>
/// <param name="HistoryRewritten">The regional branch no longer contains the commit imported before (rewritten).</param>
public sealed record RegionImport(int Commits, string? RegionalCommit, bool HistoryRewritten);

/// <summary>A change offered to the region: a branch on the regional repository, never its main branch.</summary>
/// <param name="Branch">The branch's name on the regional repository (<c>voorstel/…</c>).</param>
/// <param name="Commit">The proposed commit, on top of the regional branch as fetched.</param>
public sealed record RegionProposal(string Branch, string Commit);

/// <summary>The shared part's bookkeeping file on the branch, read once per version of the file (every shared page view reads it).</summary>
internal sealed class RegionStateFile
{
    public const string Path = ".handbook/regional";

    private volatile Cache? _cache;

    public RegionalState Read(Commit? tip)
    {
        if (tip?[Path]?.Target is not Blob blob)
        {
            return RegionalState.None;
        }

        var cached = _cache;
        if (cached?.BlobId == blob.Sha)
        {
            return cached.State;
        }

        var state = Parse(blob);
        _cache = new Cache(blob.Sha, state);
        return state;
    }

    private static RegionalState Parse(Blob blob)
    {

        string? commit = null;
        var overrides = new Dictionary<PagePath, string>();
        foreach (var raw in blob.GetContentText(Encoding.UTF8).Split('\n'))
        {
            var parts = raw.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts is ["commit", var sha] && IsSha(sha))
            {
                commit = sha;
            }
            else if (parts is ["override", var page, var baseSha] && IsSha(baseSha) && PagePath.TryParse(page, out var path, out _))
            {
                overrides[path] = baseSha;
            }
        }

        return new RegionalState(commit, overrides);
    }

    public static void Write(Repository repo, TreeDefinition tree, RegionalState state)
    {
        var text = new StringBuilder("# The shared handbook in this one: the regional commit its pages come from, and the pages adapted here\n")
            .Append("# with the regional commit each adaptation is based on. Written by Handbook; do not edit by hand.\n");
        if (state.Commit is not null)
        {
            text.Append("commit ").Append(state.Commit).Append('\n');
        }

        foreach (var (page, baseSha) in state.Overrides.OrderBy(o => o.Key))
        {
            text.Append("override ").Append(page.Value).Append(' ').Append(baseSha).Append('\n');
        }

        tree.Add(Path, repo.ObjectDatabase.CreateBlob(new MemoryStream(Encoding.UTF8.GetBytes(text.ToString()))), Mode.NonExecutableFile);
    }

    private static bool IsSha(string value) => value.Length == 40 && value.All(char.IsAsciiHexDigitLower);

    private sealed record Cache(string BlobId, RegionalState State);
}
