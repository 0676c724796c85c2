using System.Collections.Concurrent;
using Handbook.Catalog;
using Handbook.GitStore;

namespace Handbook.Questions;

/// <summary>Every question of the handbook at one state of the branch, by page.</summary>
public sealed class QuestionSet
{
    public static readonly QuestionSet Empty = new("", new Dictionary<PagePath, IReadOnlyList<QuestionThread>>());

    public QuestionSet(string treeId, IReadOnlyDictionary<PagePath, IReadOnlyList<QuestionThread>> byPage)
    {
        TreeId = treeId;
        ByPage = byPage;
        Open = byPage.Values.SelectMany(t => t).Where(t => t.IsOpen).OrderBy(t => t.Question.At).ToList();
        EntryIds = byPage.Values.SelectMany(t => t).SelectMany(t => t.Replies.Prepend(t.Question)).Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The id of the questions folder's tree this set was read from.</summary>
    public string TreeId { get; }

    /// <summary>The threads of each page, newest question first.</summary>
    public IReadOnlyDictionary<PagePath, IReadOnlyList<QuestionThread>> ByPage { get; }

    /// <summary>All open questions, oldest first.</summary>
    public IReadOnlyList<QuestionThread> Open { get; }

    /// <summary>Every entry's id: what a later set has beyond these is new.</summary>
    public IReadOnlySet<string> EntryIds { get; }

    public IReadOnlyList<QuestionThread> For(PagePath page) => ByPage.TryGetValue(page, out var threads) ? threads : [];

    public int OpenCount(PagePath page) => ByPage.TryGetValue(page, out var threads) ? threads.Count(t => t.IsOpen) : 0;

    public QuestionThread? Find(PagePath page, string questionId) => For(page).FirstOrDefault(t => t.Question.Id == questionId);

    /// <summary>Open questions about pages the team owns (the page's <c>owner</c>), oldest first.</summary>
    public IReadOnlyList<QuestionThread> OpenFor(string team, CatalogSnapshot catalog) =>
        Open.Where(t => catalog.Pages.TryGetValue(t.Question.Page, out var page) && Teams.Same(page.Meta.Owner, team)).ToList();
}

/// <summary>
/// The questions at the branch tip, read from the store's entry files: rebuilt when the questions folder changes
/// (any entry added, here or by a sync), each entry file parsed once (entries never change).
/// </summary>
public sealed class QuestionBoard(PageStore store, ILogger<QuestionBoard> log)
{
    private readonly ConcurrentDictionary<string, QuestionEntry?> _parsed = new(StringComparer.Ordinal);
    private volatile QuestionSet _current = QuestionSet.Empty;

    public QuestionSet Current
    {
        get
        {
            var listing = store.ListQuestionEntries();
            var current = _current;
            return current.TreeId == listing.TreeId ? current : Build(listing);
        }
    }

    private QuestionSet Build(QuestionListing listing)
    {
        var byPage = new Dictionary<PagePath, IReadOnlyList<QuestionThread>>();
        foreach (var page in listing.Entries.GroupBy(e => e.Page))
        {
            var entries = page.Select(Parse).OfType<QuestionEntry>().OrderBy(e => e.Id, StringComparer.Ordinal).ToList();
            var questions = entries.Where(e => e.Kind == EntryKind.Question).ToList();
            var replies = entries.Where(e => e.Kind != EntryKind.Question).ToLookup(e => e.QuestionId!, StringComparer.Ordinal);
            byPage[page.Key] = questions
                .Select(q => new QuestionThread(q, replies[q.Id].ToList()))
                .OrderByDescending(t => t.Question.Id, StringComparer.Ordinal)
                .ToList();
        }

        var set = new QuestionSet(listing.TreeId, byPage);
        _current = set;
        return set;
    }

    // By place and text: two entries may have the same text (the same answer twice), never the same place.
    private QuestionEntry? Parse(QuestionEntryFile file) => _parsed.GetOrAdd($"{file.Page.Value}/{file.EntryId}:{file.BlobId}", _ =>
    {
        var entry = store.ReadBlob(file.BlobId) is { } text ? QuestionEntry.Parse(file.Page, file.EntryId, text) : null;
        if (entry is null)
        {
            log.LogWarning("Question entry {Page}/{Entry} is not readable and is left out", file.Page.Value, file.EntryId);
        }

        return entry;
    });
}
