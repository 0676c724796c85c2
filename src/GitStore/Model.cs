namespace Handbook.GitStore;

/// <summary>The worker who made a change: becomes the git author of the commit.</summary>
/// <param name="Name">Display name, e.g. "An Peeters".</param>
/// <param name="Email">E-mail address.</param>
public sealed record Author(string Name, string Email)
{
    /// <summary>
    /// Whether this author may change protected pages (see <see cref="PageStoreOptions.IsProtected"/>): decided by the
    /// store when the commit is made, against the branch tip. Not part of the commit.
    /// </summary>
    public bool MayChangeProtected { get; init; }
}

/// <summary>A page as stored at one revision.</summary>
/// <param name="Path">The page.</param>
/// <param name="Text">The Markdown, front matter included.</param>
/// <param name="BlobId">The git blob id of the text: a stable cache key for rendering.</param>
/// <param name="Revision">The commit the page was read at.</param>
public sealed record PageContent(PagePath Path, string Text, string BlobId, string Revision)
{
    /// <summary>
    /// The text is larger than <see cref="PageStoreOptions.MaxReadBytes"/> (a page that arrived through git) and was
    /// not read: <see cref="Text"/> is empty. Show it as "too large" with a download (<see cref="PageStore.OpenText"/>).
    /// </summary>
    public bool TooLarge { get; init; }

    /// <summary>The text's size in bytes.</summary>
    public long Size { get; init; }
}

/// <summary>A request to save one page.</summary>
/// <param name="Path">The page to write.</param>
/// <param name="Text">The new Markdown.</param>
/// <param name="Author">Who saves.</param>
/// <param name="Summary">What changed, in the worker's words: becomes the commit message.</param>
/// <param name="BaseRevision">The commit the editor started from; null for a new page.</param>
public sealed record SaveRequest(PagePath Path, string Text, Author Author, string Summary, string? BaseRevision)
{
    /// <summary>Extra lines for the commit message trailer, e.g. a confirmation recorded by the privacy guard.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Trailers { get; init; } = [];
}

/// <summary>What a save, rename, delete or restore did. Expected outcomes are values, not exceptions.</summary>
public abstract record SaveResult
{
    private SaveResult()
    {
    }

    /// <summary>Committed on top of the branch.</summary>
    public sealed record Saved(string Revision) : SaveResult;

    /// <summary>The page changed since the editor's base; both edits were merged cleanly and committed.</summary>
    public sealed record Merged(string Revision, string MergedText) : SaveResult;

    /// <summary>Nothing to commit: the content is identical.</summary>
    public sealed record Unchanged(string Revision) : SaveResult;

    /// <summary>The page changed since the editor's base and the edits overlap; nothing was written.</summary>
    /// <param name="Base">The text the editor started from.</param>
    /// <param name="Theirs">The text now on the branch.</param>
    /// <param name="Mine">The text that was submitted.</param>
    /// <param name="TheirRevision">The branch tip to use as the base of a resolved save.</param>
    public sealed record Conflict(string Base, string Theirs, string Mine, string TheirRevision) : SaveResult;

    /// <summary>The request cannot be carried out (missing page, target exists, bad revision, too large…).</summary>
    public sealed record Rejected(SaveError Error, string Message) : SaveResult;
}

/// <summary>Why a change was rejected.</summary>
public enum SaveError
{
    /// <summary>The page does not exist.</summary>
    NotFound,
    /// <summary>The target page of a rename already exists.</summary>
    AlreadyExists,
    /// <summary>The base revision is unknown.</summary>
    UnknownRevision,
    /// <summary>The content is larger than allowed.</summary>
    TooLarge,
    /// <summary>The summary is empty.</summary>
    SummaryRequired,
    /// <summary>The worker may not change this page (e.g. a protected page and no administrator role).</summary>
    NotAllowed,
    /// <summary>
    /// The page belongs to the shared (regional) handbook: it can be adapted here, but not created, renamed, deleted or
    /// given files (see <see cref="PageStoreOptions.Region"/>).
    /// </summary>
    Shared,
}

/// <summary>How a commit changed a page.</summary>
public enum ChangeKind
{
    /// <summary>The page was created.</summary>
    Added,
    /// <summary>The page's text changed.</summary>
    Modified,
    /// <summary>The page was removed.</summary>
    Deleted,
    /// <summary>The page was moved from <see cref="PageChange.OldPath"/>; its text may also have changed.</summary>
    Renamed,
    /// <summary>The page was set back to an older revision.</summary>
    Restored,
}

/// <summary>One change to one page in one commit, as kept by the history index.</summary>
/// <param name="Revision">The commit id.</param>
/// <param name="Path">The page after the change (for a delete: the page that was deleted).</param>
/// <param name="OldPath">For a rename: the page before.</param>
/// <param name="Kind">What happened.</param>
/// <param name="Author">Who made it.</param>
/// <param name="When">When it was authored.</param>
/// <param name="Summary">The first line of the commit message.</param>
/// <param name="Size">Size of the page after the change, in bytes (0 when deleted).</param>
/// <param name="SizeDelta">Size after minus size before.</param>
public sealed record PageChange(
    string Revision,
    PagePath Path,
    PagePath? OldPath,
    ChangeKind Kind,
    Author Author,
    DateTimeOffset When,
    string Summary,
    long Size,
    long SizeDelta);

/// <summary>A filter over the changes of the whole handbook, newest first.</summary>
/// <param name="Skip">How many matching changes to skip (paging).</param>
/// <param name="Take">How many to return at most.</param>
/// <param name="Author">Only changes whose author name or e-mail contains this text (case-insensitive).</param>
/// <param name="Folder">Only pages in this folder (or its sub-folders), e.g. "procedures".</param>
/// <param name="Since">Only changes authored at or after this moment.</param>
/// <param name="Until">Only changes authored before this moment.</param>
/// <param name="Kinds">Only these kinds; all when null or empty.</param>
public sealed record ChangeQuery(
    int Skip = 0,
    int Take = 50,
    string? Author = null,
    string? Folder = null,
    DateTimeOffset? Since = null,
    DateTimeOffset? Until = null,
    IReadOnlySet<ChangeKind>? Kinds = null);

/// <summary>One page of a change listing.</summary>
/// <param name="Items">The changes, newest first.</param>
/// <param name="HasMore">Whether more changes match after these.</param>
public sealed record ChangePage(IReadOnlyList<PageChange> Items, bool HasMore);

/// <summary>What happened in one section in a period: pages changed, people who changed them, changes.</summary>
public sealed record SectionActivity(string Section, int Pages, int People, int Changes);

/// <summary>The difference between two revisions of a page.</summary>
/// <param name="Path">The page.</param>
/// <param name="FromRevision">The older commit.</param>
/// <param name="ToRevision">The newer commit.</param>
/// <param name="FromText">The text at <paramref name="FromRevision"/> (empty if the page did not exist).</param>
/// <param name="ToText">The text at <paramref name="ToRevision"/> (empty if the page did not exist).</param>
/// <param name="Patch">A unified diff, as git prints it.</param>
/// <param name="LinesAdded">Lines added.</param>
/// <param name="LinesDeleted">Lines deleted.</param>
public sealed record PageDiff(
    PagePath Path,
    string FromRevision,
    string ToRevision,
    string FromText,
    string ToText,
    string Patch,
    int LinesAdded,
    int LinesDeleted)
{
    /// <summary>One of the two texts is larger than <see cref="PageStoreOptions.MaxReadBytes"/>: not compared, texts empty.</summary>
    public bool TooLarge { get; init; }
}

/// <summary>One line of a page with the change that last touched it.</summary>
/// <param name="LineNumber">1-based.</param>
/// <param name="Text">The line.</param>
/// <param name="Change">The change that introduced the line in its current form.</param>
public sealed record BlameLine(int LineNumber, string Text, PageChange Change);

/// <summary>Where the store keeps its repository and who commits.</summary>
public sealed class PageStoreOptions
{
    /// <summary>The bare repository folder; created when missing.</summary>
    public required string RepositoryPath { get; init; }

    /// <summary>A folder of Markdown and attachments copied into a new, empty repository; none when null.</summary>
    public string? SeedPath { get; init; }

    /// <summary>
    /// The upstream remote, when there is one: a new, empty repository starts from upstream's branch (another
    /// instance's handbook) instead of the seed folder, so that all instances share one history.
    /// </summary>
    public UpstreamOptions? Upstream { get; init; }

    /// <summary>
    /// Without a history index snapshot and with more commits than this, the index is built in the background instead
    /// of in <see cref="PageStore.Open"/>: pages are served at once, and history reads see the changes made since the
    /// start until the build is done (<see cref="PageStore.IndexStatus"/>). Null (the default): always built in Open.
    /// </summary>
    public int? BuildIndexInBackgroundAbove { get; init; }

    /// <summary>
    /// Awaited by a background build of the history index after it read the history and before it takes over, with
    /// the store's stop token. Null (always, in the app): not awaited. Tests hold a build halfway with it, to see what
    /// a worker sees meanwhile and what a restart in the middle leaves.
    /// </summary>
    public Func<CancellationToken, Task>? HoldIndexBuild { get; init; }

    /// <summary>
    /// Where a shared (regional) handbook is mounted, when there is one: its pages are imported under this folder by
    /// <see cref="PageStore.FetchRegionAsync"/>, and writes there follow its rules (adapt, never create, rename, delete).
    /// </summary>
    public RegionMount? Region { get; init; }

    /// <summary>Where the history index snapshot is kept; none (in memory only) when null.</summary>
    public string? IndexPath { get; init; }

    /// <summary>The branch that holds the handbook.</summary>
    public string Branch { get; init; } = "main";

    /// <summary>The committer of every commit: the application, not the worker.</summary>
    public Author Committer { get; init; } = new("Handbook", "handbook@localhost");

    /// <summary>Largest page accepted, in bytes.</summary>
    public int MaxPageBytes { get; init; } = 2 * 1024 * 1024;

    /// <summary>
    /// Page texts larger than this are never read whole by the read paths (page, history, diff, blame, search): a
    /// 100 MB page pushed through git made a diff and a blame of it take 40 s, send 311 MB and grow the process to
    /// 6.7 GB. They are shown as too large, with a download of the text. Four times the largest page a save accepts.
    /// </summary>
    public long MaxReadBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>Largest attachment accepted, in bytes.</summary>
    public long MaxAttachmentBytes { get; init; } = 20 * 1024 * 1024;

    /// <summary>
    /// Tells from a page's text (its first 64 KB) whether the page is protected. When set, every write that touches a
    /// protected page — save, merged save, rename, delete, restore, an attachment in its folder — and every write that
    /// would make a page protected is refused (<see cref="SaveError.NotAllowed"/>) unless the author
    /// <see cref="Author.MayChangeProtected"/>; the check runs under the writer lock on the commit the new one will sit
    /// on, so no screen that checked earlier can be overtaken. Null: no page is protected.
    /// </summary>
    public Func<string, bool>? IsProtected { get; init; }

    /// <summary>Message of the initial commit that seeds a new repository.</summary>
    public string SeedMessage { get; init; } = "Handboek aangemaakt uit de startinhoud";
}

/// <summary>A page at the branch tip and the blob id of its text.</summary>
/// <param name="Path">The page.</param>
/// <param name="BlobId">The git blob id of its text.</param>
public sealed record PageEntry(PagePath Path, string BlobId);

/// <summary>Every page at one state of the branch.</summary>
/// <param name="TreeId">The root tree id: changes whenever any file changes.</param>
/// <param name="Pages">The pages, sorted by path.</param>
public sealed record PageListing(string TreeId, IReadOnlyList<PageEntry> Pages)
{
    /// <summary>The listing of an empty repository.</summary>
    public static PageListing Empty { get; } = new("", []);
}
