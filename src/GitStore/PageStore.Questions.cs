using System.Text;
using System.Text.RegularExpressions;
using LibGit2Sharp;

namespace Handbook.GitStore;

/// <summary>One entry of a page's questions as stored: <c>.handbook/questions/&lt;page&gt;/&lt;entry&gt;.md</c>.</summary>
/// <param name="Page">The page the entry is about.</param>
/// <param name="EntryId">The entry's name without extension: time-ordered, unique (see <see cref="PageStore.IsEntryId"/>).</param>
/// <param name="BlobId">The id of the entry's text: a cache key for its parse.</param>
public sealed record QuestionEntryFile(PagePath Page, string EntryId, string BlobId);

/// <summary>Every question entry at the branch tip, and the id of the tree that holds them (a cache key for the whole set).</summary>
public sealed record QuestionListing(string TreeId, IReadOnlyList<QuestionEntryFile> Entries)
{
    /// <summary>No questions yet.</summary>
    public static readonly QuestionListing Empty = new("", []);
}

/// <summary>
/// Questions and answers about pages: handbook content like the pages, so they are in history, backups and the
/// upstream sync. One file per entry, never changed once written: two instances adding entries never conflict, and
/// a correction is a new entry.
/// </summary>
public sealed partial class PageStore
{
    /// <summary>The folder in the repository that holds the entries, one sub-folder per page.</summary>
    public const string QuestionsFolder = ".handbook/questions";

    private volatile QuestionListing? _questions;

    /// <summary>Whether <paramref name="entryId"/> has the shape of an entry name: yyyyMMdd-HHmmssfff-6 lowercase letters or digits.</summary>
    public static bool IsEntryId(string? entryId) => entryId is not null && EntryIdPattern().IsMatch(entryId);

    /// <summary>A new, unique, time-ordered entry name.</summary>
    public static string NewEntryId(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyyMMdd-HHmmssfff", System.Globalization.CultureInfo.InvariantCulture) + "-"
        + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3)).ToLowerInvariant();

    /// <summary>
    /// Adds one question entry (a question, an answer, a resolution) about a page, as one commit by its author.
    /// The page must exist, or have had questions before (an answer to a question on a page deleted since).
    /// </summary>
    public Task<SaveResult> AddQuestionEntryAsync(PagePath page, string entryId, string text, Author author, string summary,
        IReadOnlyList<KeyValuePair<string, string>>? trailers = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!IsEntryId(entryId))
        {
            throw new ArgumentException($"'{entryId}' is not an entry name.", nameof(entryId));
        }

        if (Reject(summary, Encoding.UTF8.GetByteCount(text)) is { } rejected)
        {
            return Task.FromResult<SaveResult>(rejected);
        }

        return WriteAsync(repo =>
        {
            var head = Tip(repo);
            var folder = $"{QuestionsFolder}/{page.Value}";
            if (head?[page.FileName]?.Target is not Blob && head?[folder]?.Target is not Tree)
            {
                return new SaveResult.Rejected(SaveError.NotFound, $"Page '{page}' does not exist.");
            }

            var path = $"{folder}/{entryId}.md";
            if (head![path] is not null)
            {
                return new SaveResult.Rejected(SaveError.AlreadyExists, $"Entry '{entryId}' already exists.");
            }

            var blob = repo.ObjectDatabase.CreateBlob(new MemoryStream(Encoding.UTF8.GetBytes(text), writable: false));
            var tree = TreeDefinition.From(head);
            tree.Add(path, blob, Mode.NonExecutableFile);
            return Commit(repo, head, tree, author, summary, trailers ?? []) is { } sha ? new SaveResult.Saved(sha) : null;
        }, cancellationToken);
    }

    /// <summary>Every question entry at the branch tip, by page and entry name. Cached per tree of the questions folder.</summary>
    public QuestionListing ListQuestionEntries()
    {
        using var lease = _readers.Rent();
        if (Tip(lease.Repository)?[QuestionsFolder]?.Target is not Tree root)
        {
            return QuestionListing.Empty;
        }

        if (_questions is { } cached && cached.TreeId == root.Sha)
        {
            return cached;
        }

        var entries = new List<QuestionEntryFile>();
        Collect(root, "", entries);
        var listing = new QuestionListing(root.Sha, entries);
        _questions = listing;
        return listing;

        static void Collect(Tree tree, string prefix, List<QuestionEntryFile> into)
        {
            foreach (var entry in tree)
            {
                if (entry.TargetType == TreeEntryTargetType.Tree)
                {
                    Collect((Tree)entry.Target, prefix + entry.Name + "/", into);
                }
                else if (prefix.Length > 1 && entry.Name.EndsWith(".md", StringComparison.Ordinal)
                    && IsEntryId(entry.Name[..^3]) && PagePath.TryParse(prefix[..^1], out var page, out _))
                {
                    into.Add(new QuestionEntryFile(page, entry.Name[..^3], entry.Target.Sha));
                }
            }
        }
    }

    /// <summary>
    /// The entries added between two states of the branch (none when <paramref name="to"/> is unknown; all when
    /// <paramref name="from"/> is null or unknown): for notifications, whoever wrote them here or on another instance.
    /// </summary>
    public IReadOnlyList<QuestionEntryFile> QuestionEntriesAdded(string? from, string to)
    {
        using var lease = _readers.Rent();
        var repo = lease.Repository;
        if (LookupCommit(repo, to)?[QuestionsFolder]?.Target is not Tree after)
        {
            return [];
        }

        var before = from is null ? null : LookupCommit(repo, from)?[QuestionsFolder]?.Target as Tree;
        if (before?.Id == after.Id)
        {
            return [];
        }

        var added = new List<QuestionEntryFile>();
        var changes = repo.Diff.Compare<TreeChanges>(before, after);
        // A renamed page's entries move: gone in one place, added in another, and no news.
        var moved = changes.Deleted.Select(c => Path.GetFileNameWithoutExtension(c.Path)).ToHashSet(StringComparer.Ordinal);
        foreach (var change in changes.Added)
        {
            var slash = change.Path.LastIndexOf('/');
            if (slash > 0 && change.Path.EndsWith(".md", StringComparison.Ordinal) && IsEntryId(change.Path[(slash + 1)..^3])
                && !moved.Contains(change.Path[(slash + 1)..^3])
                && PagePath.TryParse(change.Path[..slash], out var page, out _))
            {
                added.Add(new QuestionEntryFile(page, change.Path[(slash + 1)..^3], change.Oid.Sha));
            }
        }

        return added;
    }

    /// <summary>A page's questions follow it when it is renamed.</summary>
    private static void MoveQuestions(Commit head, TreeDefinition tree, PagePath from, PagePath to)
    {
        if (head[$"{QuestionsFolder}/{from.Value}"]?.Target is not Tree questions)
        {
            return;
        }

        tree.Remove($"{QuestionsFolder}/{from.Value}");
        // Entries only: the questions of pages below the old path stay with those pages.
        foreach (var entry in questions.Where(e => e.TargetType == TreeEntryTargetType.Blob))
        {
            tree.Add($"{QuestionsFolder}/{to.Value}/{entry.Name}", (Blob)entry.Target, Mode.NonExecutableFile);
        }

        foreach (var below in questions.Where(e => e.TargetType == TreeEntryTargetType.Tree))
        {
            tree.Add($"{QuestionsFolder}/{from.Value}/{below.Name}", (Tree)below.Target);
        }
    }

    [GeneratedRegex("^[0-9]{8}-[0-9]{9}-[0-9a-z]{6}$", RegexOptions.CultureInvariant)]
    private static partial Regex EntryIdPattern();
}
