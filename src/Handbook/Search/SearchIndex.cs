using Handbook.Catalog;
using Handbook.GitStore;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using Microsoft.Extensions.Options;

namespace Handbook.Search;

/// <summary>
/// The full-text index of the handbook, on disk under the data folder. It follows the branch by tree id: it
/// remembers which tree it reflects (in the Lucene commit) and which blob each page had, and on a new tree it
/// re-indexes only the pages whose blob changed.
/// <para>
/// Concurrency, in one place: one <see cref="IndexWriter"/> for the life of the app, and all changes to the
/// index go through <see cref="_gate"/> (one updater at a time). Searches never take that gate: they use a
/// searcher from the <see cref="SearcherManager"/>, which is reopened after each update. The page store's lock
/// is never held by this class: a save raises <see cref="PageStore.Committed"/> and the update runs beside it.
/// </para>
/// </summary>
public sealed class SearchIndex : IDisposable
{
    private const string TreeKey = "tree";
    private const string AnalysisKey = "analysis";
    private static readonly ISet<string> TitleFields = new HashSet<string>(StringComparer.Ordinal) { SearchFields.Path, SearchFields.Title, SearchFields.Section };
    private static readonly ISet<string> HitFields = new HashSet<string>(TitleFields, StringComparer.Ordinal) { SearchFields.Summary, SearchFields.Body };

    /// <summary>The longest query text searched; the rest is ignored.</summary>
    public const int MaxQueryLength = 200;

    /// <summary>How many of the first hits the exact phrase in the text may lift, and how much it weighs.</summary>
    private const int RescoreWindow = 50;
    private const double PhraseWeight = 1.0;

    private readonly PageStore _store;
    private readonly HandbookCatalog _catalog;
    private readonly ILogger<SearchIndex> _logger;
    private readonly HandbookAnalyzer _analyzer = new();
    private readonly SearchQueryBuilder _queries;
    private readonly SnippetHighlighter _highlighter;
    private readonly SpellingSuggester _speller;
    private readonly FSDirectory _directory;
    private readonly IndexWriter _writer;
    private readonly SearcherManager _searchers;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly string _synonymPage;
    // Which blob each page was indexed at: read from the index when an update first needs it, not at start-up
    // (reading it for 10,000 pages took over a second, and an index that is current never needs it).
    private Dictionary<PagePath, string>? _indexed;
    private volatile string? _treeId;
    private volatile SearchIndexStatus _status;
    private volatile bool _disposed;

    public SearchIndex(PageStore store, HandbookCatalog catalog, IOptions<HandbookOptions> options, ILogger<SearchIndex> logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _catalog = catalog;
        _logger = logger;
        _queries = new SearchQueryBuilder(_analyzer);
        _highlighter = new SnippetHighlighter(_analyzer);
        _speller = new SpellingSuggester(_analyzer);
        _synonymPage = options.Value.SynonymPage;
        IndexPath = Path.Combine(options.Value.DataFullPath, "search");
        System.IO.Directory.CreateDirectory(IndexPath);
        // Positional reads through the OS page cache instead of memory-mapping the index files (FSDirectory.Open's
        // choice on 64-bit): the mapped files counted toward the app's working set.
        _directory = new NIOFSDirectory(IndexPath);
        _writer = OpenWriter();
        _treeId = _writer.CommitData.TryGetValue(TreeKey, out var tree) ? tree : null;
        _searchers = new SearcherManager(_writer, applyAllDeletes: true, searcherFactory: null);
        _status = new SearchIndexStatus(false, 0, 0, _treeId, _writer.NumDocs, null);
        _store.Committed += OnCommitted;
    }

    /// <summary>
    /// Opens the writer on the existing index, or on a new empty one when the index is unreadable or was made by
    /// another version of the analysis (its terms would not match today's queries): the start-up build refills it.
    /// </summary>
    private IndexWriter OpenWriter()
    {
        var create = false;
        try
        {
            if (DirectoryReader.IndexExists(_directory))
            {
                var commits = DirectoryReader.ListCommits(_directory);
                var data = commits[^1].UserData;
                create = !data.TryGetValue(AnalysisKey, out var version) || version != HandbookAnalyzer.AnalysisVersion;
            }
        }
        catch (IOException e)
        {
            _logger.LogWarning(e, "The search index in {Path} is unreadable; it is rebuilt", IndexPath);
            create = true;
        }

        return new IndexWriter(_directory, new IndexWriterConfig(HandbookAnalyzer.Version, _analyzer)
        {
            OpenMode = create ? OpenMode.CREATE : OpenMode.CREATE_OR_APPEND,
        });
    }

    /// <summary>The index folder.</summary>
    public string IndexPath { get; }

    /// <summary>Raised (on a background thread) when the status changes: for progress displays.</summary>
    public event Action<SearchIndexStatus>? StatusChanged;

    public SearchIndexStatus Status => _status;

    /// <summary>Whether the index reflects the branch's current tree.</summary>
    /// <summary>The last build or update failed with an I/O fault; the next update tries again (and clears it).</summary>
    public bool Failed => _failure is not null;

    private volatile string? _failure;

    /// <summary>Records that building or updating failed (null: it worked again).</summary>
    public void ReportFailure(Exception? failure) => _failure = failure?.Message;

    public bool IsCurrent => _treeId is { } t && t == _store.ListPageBlobs().TreeId;

    /// <summary>
    /// Brings the index up to the branch: re-indexes changed pages, removes deleted ones. Commits from outside the
    /// app (a git push) are found here too, because it compares tree ids rather than waiting for an event.
    /// </summary>
    public async Task UpdateAsync(CancellationToken cancellationToken = default)
    {
        if (_disposed || IsCurrent)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await Task.Run(() => Update(rebuild: false, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Reads which blob each page was indexed at, in the background after start-up, so that the first update
    /// after a save does not wait for it.
    /// </summary>
    public async Task PrepareAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_disposed && _indexed is null)
            {
                await Task.Run(() => _indexed = ReadIndexedBlobs(), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Throws the index away and indexes every page again, reporting progress as it goes.</summary>
    public async Task RebuildAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await Task.Run(() => Update(rebuild: true, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Searches the handbook. Catches up with the branch first, unless a full (re)build is running.</summary>
    public async Task<SearchResults> SearchAsync(SearchRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!_status.Building)
        {
            await UpdateAsync(cancellationToken).ConfigureAwait(false);
        }

        if (string.IsNullOrWhiteSpace(request.Text))
        {
            return SearchResults.Empty(request, _status);
        }

        if (request.Text.Length > MaxQueryLength)
        {
            // Typed queries are short; a pasted page would only make a huge, slow query.
            request = request with { Text = request.Text[..MaxQueryLength] };
        }

        // The glossary and synonyms of the moment: an edit of either page counts from the next search, no re-index.
        var snapshot = _catalog.Current;
        return await Task.Run(() => Search(request, snapshot.Glossary.Entries, snapshot.Synonyms), cancellationToken).ConfigureAwait(false);
    }

    private SearchResults Search(SearchRequest request, IReadOnlyDictionary<string, string> glossary, Synonyms synonyms)
    {
        var filter = Filter(request);
        var take = Math.Clamp(request.Take, 1, 100);
        // A full search collects more than it shows, for the phrase rescoring below.
        var collect = request.AsYouType ? take : Math.Max(take, RescoreWindow);
        var searcher = _searchers.Acquire();
        try
        {
            var reader = searcher.IndexReader;
            bool Known(string term) => InIndex(reader, term);
            // While typing, titles, aliases, tags and summaries first; the page text only when they have nothing.
            var exact = _queries.Build(request.Text, glossary, synonyms, request.AsYouType, Known, withoutBody: request.AsYouType);
            if (exact is null)
            {
                return SearchResults.Empty(request, _status);
            }

            var top = Top(searcher, exact, filter, collect);
            if (request.AsYouType && top.TotalHits == 0 && _queries.Build(request.Text, glossary, synonyms, asYouType: true, Known) is { } withBody)
            {
                (exact, top) = (withBody, Top(searcher, withBody, filter, collect));
            }

            var query = exact;
            var fuzzy = false;
            // Few results: every word no page contains may be a typo. Otherwise only those that are no Dutch word are ("oekranier leefloon": leefloon alone finds plenty, the misspelt word must still count; a
            // correct word no page has, as "energieschulden", costs no typo search).
            // While typing, the last word is a prefix (no page has "leeflo"): only the first rule applies, and only to
            // titles, aliases, tags and summaries.
            var few = top.TotalHits < 3;
            if ((few || !request.AsYouType)
                && _queries.BuildFuzzy(request.Text, (word, term) => !Known(term) && (few || !SearchQueryBuilder.IsDutch(word)), withoutBody: request.AsYouType) is { } typo)
            {
                // Exact matches stay on top; typo matches fill the list.
                var combined = new BooleanQuery { { exact, Occur.SHOULD } };
                typo.Boost = 0.5f;
                combined.Add(typo, Occur.SHOULD);
                var fuzzyTop = Top(searcher, combined, filter, collect);
                if (fuzzyTop.TotalHits > top.TotalHits || !few)
                {
                    (query, top, fuzzy) = (combined, fuzzyTop, fuzzyTop.TotalHits > top.TotalHits);
                }
            }

            // The exact phrase in the text lifts the best hits (see BodyPhrase); a page that only has it scattered
            // keeps its place below.
            if (!request.AsYouType && top.ScoreDocs.Length > 1 && _queries.BodyPhrase(request.Text) is { } phrase)
            {
                top = Rescore(searcher, top, phrase, take);
            }
            else if (top.ScoreDocs.Length > take)
            {
                top = new TopDocs(top.TotalHits, top.ScoreDocs[..take], top.MaxScore);
            }

            var didYouMean = !request.AsYouType && (top.TotalHits < 5 || fuzzy)
                ? _speller.Suggest(reader, request.Text, word => IsVocabulary(word, glossary, synonyms))
                : null;
            var terms = request.AsYouType ? new HashSet<string>() : MatchedTerms(searcher, query);
            var hits = new List<SearchHit>(top.ScoreDocs.Length);
            foreach (var scoreDoc in top.ScoreDocs)
            {
                // Only the stored fields this answer shows: the dropdown needs no body (up to 100 KB a page).
                var doc = searcher.Doc(scoreDoc.Doc, request.AsYouType ? TitleFields : HitFields);
                var path = PagePath.Parse(doc.Get(SearchFields.Path));
                var body = doc.Get(SearchFields.Body) ?? "";
                var summary = doc.Get(SearchFields.Summary) ?? "";
                var title = doc.Get(SearchFields.Title) ?? path.Value;
                var section = doc.Get(SearchFields.Section) ?? "";
                if (request.AsYouType)
                {
                    // The dropdown shows titles only: no snippet, no history lookup.
                    hits.Add(new SearchHit(path, title, section, "", scoreDoc.Score, null));
                    continue;
                }

                var snippet = _highlighter.Highlight(body, terms);
                if (!snippet.Contains("<mark>", StringComparison.Ordinal) && summary.Length > 0)
                {
                    snippet = _highlighter.Highlight(summary, terms);
                }

                hits.Add(new SearchHit(path, title, section, snippet, scoreDoc.Score, _store.LastChange(path)));
            }

            return new SearchResults(request, hits, top.TotalHits, didYouMean, fuzzy, _status);
        }
        finally
        {
            _searchers.Release(searcher);
        }
    }

    /// <summary>
    /// Adds <see cref="PhraseWeight"/> times the phrase's score to the hits that have it, and keeps the best
    /// <paramref name="take"/>. (Lucene's QueryRescorer does the same, but in this Lucene.NET version fails on a
    /// segment where the phrase matches nothing.)
    /// </summary>
    private static TopDocs Rescore(IndexSearcher searcher, TopDocs first, Query phrase, int take)
    {
        var hits = first.ScoreDocs.Select(h => new ScoreDoc(h.Doc, h.Score)).OrderBy(h => h.Doc).ToArray();
        var weight = searcher.CreateNormalizedWeight(phrase);
        var leaves = searcher.IndexReader.Leaves;
        var leaf = -1;
        Scorer? scorer = null;
        var docBase = 0;
        foreach (var hit in hits)
        {
            // Hits in document order: move to the segment that holds this one.
            while (leaf + 1 < leaves.Count && leaves[leaf + 1].DocBase <= hit.Doc)
            {
                leaf++;
                docBase = leaves[leaf].DocBase;
                scorer = weight.GetScorer(leaves[leaf], leaves[leaf].AtomicReader.LiveDocs);
            }

            if (scorer is null)
            {
                continue;
            }

            var target = hit.Doc - docBase;
            var at = scorer.DocID < target ? scorer.Advance(target) : scorer.DocID;
            if (at == target)
            {
                hit.Score += (float)(PhraseWeight * scorer.GetScore());
            }
        }

        var best = hits.OrderByDescending(h => h.Score).ThenBy(h => h.Doc).Take(take).ToArray();
        return new TopDocs(first.TotalHits, best, best.Length > 0 ? best[0].Score : float.NaN);
    }

    /// <summary>Whether any page holds an analysed term in one of the searched fields.</summary>
    private static bool InIndex(IndexReader reader, string term)
    {
        foreach (var (field, _) in SearchFields.Weighted)
        {
            if (reader.DocFreq(new Term(field, term)) > 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A word of the glossary or the synonym page is no typo, even when no page uses it: "Bedoelde je" must not turn
    /// "mutualiteit" (a synonym of ziekenfonds) into some other word.
    /// </summary>
    private static bool IsVocabulary(string word, IReadOnlyDictionary<string, string> glossary, Synonyms synonyms) =>
        synonyms.Lookup.ContainsKey(word)
        || glossary.Any(g => SearchQueryBuilder.Normalize(g.Key) == word || SearchQueryBuilder.Normalize(g.Value).Split(' ').Contains(word));

    /// <summary>
    /// The best hits, collected in document order. Lucene's default for queries of only optional clauses scores out
    /// of order with a table of 2,048 buckets per index segment and query: most of what a search allocated.
    /// </summary>
    private static TopDocs Top(IndexSearcher searcher, Query query, Filter? filter, int take)
    {
        var collector = TopScoreDocCollector.Create(take, docsScoredInOrder: true);
        searcher.Search(query, filter, collector);
        return collector.GetTopDocs();
    }

    /// <summary>The best few pages for a search-as-you-type list: titles only, no snippets, no history.</summary>
    public async Task<IReadOnlyList<(PagePath Path, string Title, string Section)>> SuggestAsync(string text, int take, CancellationToken cancellationToken = default)
    {
        var results = await SearchAsync(new SearchRequest(text, Take: take) { AsYouType = true }, cancellationToken).ConfigureAwait(false);
        return results.Hits.Select(h => (h.Path, h.Title, h.Section)).ToList();
    }

    private static Filter? Filter(SearchRequest request)
    {
        var filter = new BooleanQuery();
        foreach (var (field, value) in new[] { (SearchFields.Section, request.Section), (SearchFields.Doelgroep, request.Doelgroep), (SearchFields.Owner, request.Owner) })
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                filter.Add(new TermQuery(new Term(field, value)), Occur.MUST);
            }
        }

        return filter.Clauses.Count == 0 ? null : new QueryWrapperFilter(filter);
    }

    private static HashSet<string> MatchedTerms(IndexSearcher searcher, Query query)
    {
        var terms = new HashSet<Term>();
        searcher.Rewrite(query).ExtractTerms(terms);
        return terms.Select(t => t.Text).ToHashSet(StringComparer.Ordinal);
    }

    private void Update(bool rebuild, CancellationToken cancellationToken)
    {
        if (_disposed)
        {
            return;
        }

        var snapshot = _catalog.Current;
        if (!rebuild && snapshot.TreeId == _treeId)
        {
            return;
        }

        if (rebuild)
        {
            _writer.DeleteAll();
            _indexed = [];
        }

        _indexed ??= ReadIndexedBlobs();

        var changed = snapshot.Pages.Values.Where(p => !_indexed.TryGetValue(p.Path, out var blob) || blob != p.BlobId).ToList();
        var deleted = _indexed.Keys.Where(p => !snapshot.Pages.ContainsKey(p)).ToList();
        var total = changed.Count + deleted.Count;
        var indexed = new Dictionary<PagePath, string>(_indexed);
        // A full build is shown (and not waited for by searches); a few changed pages are simply caught up.
        var full = rebuild || _indexed.Count == 0;
        SetStatus(new SearchIndexStatus(full, 0, total, _treeId, indexed.Count, _status.LastUpdated));
        var done = 0;
        foreach (var path in deleted)
        {
            _writer.DeleteDocuments(new Term(SearchFields.Path, path.Value));
            indexed.Remove(path);
            done++;
        }

        foreach (var page in changed)
        {
            cancellationToken.ThrowIfCancellationRequested();
            _writer.UpdateDocument(new Term(SearchFields.Path, page.Path.Value), ToDocument(page, _catalog.PlainText(page),
                // The synonym page holds every word of the field: its table must not push the pages it points to down.
                bodyBoost: page.Path.Value == _synonymPage ? 0.05f : 1f));
            indexed[page.Path] = page.BlobId;
            if (++done % 10 == 0)
            {
                SetStatus(new SearchIndexStatus(full, done, total, _treeId, indexed.Count, _status.LastUpdated));
            }
        }

        _writer.SetCommitData(new Dictionary<string, string> { [TreeKey] = snapshot.TreeId, [AnalysisKey] = HandbookAnalyzer.AnalysisVersion });
        _writer.Commit();
        _searchers.MaybeRefreshBlocking();
        _indexed = indexed;
        _treeId = snapshot.TreeId;
        _logger.LogInformation("Search index at tree {Tree}: {Changed} pages indexed, {Deleted} removed", snapshot.TreeId, changed.Count, deleted.Count);
        SetStatus(new SearchIndexStatus(false, total, total, snapshot.TreeId, indexed.Count, DateTimeOffset.UtcNow));
        _failure = null;
    }

    private void SetStatus(SearchIndexStatus status)
    {
        _status = status;
        StatusChanged?.Invoke(status);
    }

    private static Document ToDocument(PageSummary page, string plainText, float bodyBoost)
    {
        var meta = page.Meta;
        var doc = new Document
        {
            new StringField(SearchFields.Path, page.Path.Value, Field.Store.YES),
            new StringField(SearchFields.Blob, page.BlobId, Field.Store.YES),
            new StringField(SearchFields.Section, page.Path.Folder.Length == 0 ? "" : page.Path.Section, Field.Store.YES),
            new TextField(SearchFields.Title, page.Title, Field.Store.YES),
            new TextField(SearchFields.TitleExact, page.Title, Field.Store.NO),
            new TextField(SearchFields.PathWords, page.Path.Value.Replace('/', ' ').Replace('-', ' ').Replace('_', ' '), Field.Store.NO),
            new TextField(SearchFields.Summary, meta.Summary ?? "", Field.Store.YES),
            new TextField(SearchFields.Body, plainText, Field.Store.YES) { Boost = bodyBoost },
        };
        foreach (var alias in meta.Aliases)
        {
            doc.Add(new TextField(SearchFields.Aliases, alias, Field.Store.NO));
            doc.Add(new TextField(SearchFields.AliasesExact, alias, Field.Store.NO));
        }

        foreach (var tag in meta.Tags)
        {
            doc.Add(new TextField(SearchFields.Tags, tag, Field.Store.NO));
        }

        foreach (var group in meta.Doelgroepen)
        {
            doc.Add(new StringField(SearchFields.Doelgroep, group, Field.Store.YES));
        }

        if (!string.IsNullOrWhiteSpace(meta.Owner))
        {
            doc.Add(new StringField(SearchFields.Owner, meta.Owner, Field.Store.YES));
        }

        foreach (var text in new[] { page.Title, meta.Summary ?? "", plainText }.Concat(meta.Aliases).Concat(meta.Tags))
        {
            doc.Add(new TextField(SearchFields.Words, text, Field.Store.NO));
        }

        return doc;
    }

    private Dictionary<PagePath, string> ReadIndexedBlobs()
    {
        var result = new Dictionary<PagePath, string>();
        var searcher = _searchers.Acquire();
        try
        {
            var reader = searcher.IndexReader;
            var live = MultiFields.GetLiveDocs(reader);
            // Only the two small fields: loading whole documents read every page's stored text at start-up.
            var fields = new HashSet<string> { SearchFields.Path, SearchFields.Blob };
            for (var i = 0; i < reader.MaxDoc; i++)
            {
                if (live is not null && !live.Get(i))
                {
                    continue;
                }

                var doc = reader.Document(i, fields);
                if (PagePath.TryParse(doc.Get(SearchFields.Path), out var path, out _) && doc.Get(SearchFields.Blob) is { } blob)
                {
                    result[path] = blob;
                }
            }
        }
        finally
        {
            _searchers.Release(searcher);
        }

        return result;
    }

    private void OnCommitted(string tip)
    {
        // Raised inside the store's write: never index here, or saving would wait for Lucene.
        _ = Task.Run(async () =>
        {
            try
            {
                await UpdateAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException)
            {
                _logger.LogWarning(e, "Search index update after commit {Tip} failed; the next search retries", tip);
            }
        });
    }

    public void Dispose()
    {
        _store.Committed -= OnCommitted;
        // Let a running update finish rather than pull the writer from under it; later ones do nothing.
        var entered = _gate.Wait(TimeSpan.FromSeconds(30));
        _disposed = true;
        _searchers.Dispose();
        _writer.Dispose();
        _directory.Dispose();
        _analyzer.Dispose();
        if (entered)
        {
            _gate.Release();
        }

    }
}
