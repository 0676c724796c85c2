using System.Collections.Concurrent;
using Handbook.GitStore;
using Handbook.Rendering;
using Microsoft.Extensions.Options;

namespace Handbook.Catalog;

/// <summary>
/// What the whole handbook looks like at one commit: pages and titles (for wiki links by title), backlinks,
/// broken links, orphans, the glossary and the synonyms for search. Rebuilt when the branch's tree changes; each page is parsed only when
/// its blob is new, so a save costs one parse, not a re-read of the handbook. With a <see cref="CatalogSnapshotFile"/>
/// the parses also survive a restart: at start only the pages changed since the file was written are parsed.
/// </summary>
public sealed class HandbookCatalog(PageStore store, IOptions<HandbookOptions> options, CatalogSnapshotFile? snapshotFile = null)
{
    private readonly ConcurrentDictionary<(string BlobId, PagePath Path), PageSummary> _parsed = new();
    private readonly object _buildLock = new();
    private volatile CatalogSnapshot? _current;
    private ((string?, string?) Blobs, Rendering.Glossary.Glossary Glossary)? _glossary;
    private ((string?, string?) Blobs, Search.Synonyms Synonyms)? _synonyms;
    private bool _fileLoaded;
    private string? _fileTreeId;
    private CatalogSnapshot? _toPersist;
    private Task _persisting = Task.CompletedTask;

    /// <summary>How many pages the last build had to parse (the rest came from memory or the snapshot file).</summary>
    public int LastBuildParsed { get; private set; }

    /// <summary>The catalog for the current tip of the branch.</summary>
    public CatalogSnapshot Current
    {
        get
        {
            var listing = store.ListPageBlobs();
            var current = _current;
            if (current?.TreeId == listing.TreeId)
            {
                return current;
            }

            lock (_buildLock)
            {
                current = _current;
                if (current?.TreeId == listing.TreeId)
                {
                    return current;
                }

                current = Build(listing);
                _current = current;
                return current;
            }
        }
    }

    /// <summary>
    /// The catalog as last built, without building it for a newer tip (built once when there is none yet): for
    /// background work that only needs what changes rarely, such as a page's owner, and should not rebuild the
    /// catalog after every save ahead of the page view that needs it.
    /// </summary>
    public CatalogSnapshot Latest => _current ?? Current;

    /// <summary>Completes when the snapshot file reflects the latest build (for tests and an orderly shutdown).</summary>
    public Task PersistedAsync()
    {
        lock (_buildLock)
        {
            return _persisting;
        }
    }

    private CatalogSnapshot Build(PageListing listing)
    {
        LoadFileOnce();

        // Only new texts are parsed, in parallel: after a save that is one page; at start-up all of them, unless
        // the snapshot file had them.
        var toParse = listing.Pages.Where(e => !_parsed.ContainsKey((e.BlobId, e.Path))).ToList();
        LastBuildParsed = toParse.Count;
        Parallel.ForEach(toParse, entry =>
            _parsed.TryAdd((entry.BlobId, entry.Path),
                // The plain text is only needed to index a page for search: it is read again then (PlainText), not
                // kept for every page (at 10,000 pages that is over 100 MB).
                new PageSummary(entry.Path, entry.BlobId, Parse(entry))));
        var pages = new Dictionary<PagePath, PageSummary>(listing.Pages.Count);
        foreach (var entry in listing.Pages)
        {
            pages[entry.Path] = _parsed[(entry.BlobId, entry.Path)];
        }

        // Forget parses of texts that are no longer current, so memory follows the handbook's size.
        foreach (var (key, _) in _parsed)
        {
            if (!pages.TryGetValue(key.Path, out var page) || page.BlobId != key.BlobId)
            {
                _parsed.TryRemove(key, out _);
            }
        }

        // The glossary and the synonyms: this handbook's pages, combined with the shared handbook's pages of the same
        // name (regio/afkortingen) where there is one; this handbook's rows win. Parsed again only when a text changed.
        var shared = Shared;
        PagePath? glossaryPath = PagePath.TryParse(options.Value.GlossaryPage, out var g, out _) ? g : null;
        var glossaryBlobs = (Blob(pages, glossaryPath), Blob(pages, SharedPath(shared, glossaryPath)));
        if (_glossary is not { } glossaryCache || glossaryCache.Blobs != glossaryBlobs)
        {
            var local = Parse(glossaryPath, glossaryBlobs.Item1, Rendering.Glossary.Glossary.Parse, Rendering.Glossary.Glossary.Empty);
            var sharedGlossary = Parse(SharedPath(shared, glossaryPath), glossaryBlobs.Item2, Rendering.Glossary.Glossary.Parse, Rendering.Glossary.Glossary.Empty);
            _glossary = glossaryCache = (glossaryBlobs, Rendering.Glossary.Glossary.Combine(local, sharedGlossary));
        }

        PagePath? synonymPath = PagePath.TryParse(options.Value.SynonymPage, out var sp, out _) ? sp : null;
        var synonymBlobs = (Blob(pages, synonymPath), Blob(pages, SharedPath(shared, synonymPath)));
        if (_synonyms is not { } synonymCache || synonymCache.Blobs != synonymBlobs)
        {
            var local = Parse(synonymPath, synonymBlobs.Item1, Search.Synonyms.Parse, Search.Synonyms.Empty);
            var sharedSynonyms = Parse(SharedPath(shared, synonymPath), synonymBlobs.Item2, Search.Synonyms.Parse, Search.Synonyms.Empty);
            _synonyms = synonymCache = (synonymBlobs, Search.Synonyms.Combine(local, sharedSynonyms));
        }

        var built = new CatalogSnapshot(listing.TreeId, pages, glossaryPath, glossaryCache.Glossary, _current, shared) { Synonyms = synonymCache.Synonyms };
        if (snapshotFile is not null && built.TreeId != _fileTreeId)
        {
            SchedulePersist(built);
        }

        return built;
    }

    /// <summary>The shared handbook's folder and name, when one is configured.</summary>
    private SharedSection? Shared => store.Region is { } mount ? new SharedSection(mount, options.Value.Region.Name) : null;

    private static PagePath? SharedPath(SharedSection? shared, PagePath? path) =>
        shared is not null && path is { } p && PagePath.TryParse(shared.Prefix + "/" + p.Value, out var sharedPath, out _) ? sharedPath : null;

    private static string? Blob(IReadOnlyDictionary<PagePath, PageSummary> pages, PagePath? path) =>
        path is { } p && pages.TryGetValue(p, out var page) ? page.BlobId : null;

    private T Parse<T>(PagePath? path, string? blobId, Func<string, string, T> parse, T empty) =>
        path is { } p && blobId is not null ? parse(p.Value, store.ReadBlob(blobId) ?? "") : empty;

    private ParsedPage Parse(PageEntry entry)
    {
        var text = store.ReadBlob(entry.BlobId, out var tooLarge);
        return tooLarge
            ? new ParsedPage(FrontMatter.Empty, Humanize(entry.Path), [], "") { Problem = new RenderProblem(RenderProblemKind.TooLargeToShow, Limit: store.MaxReadBytes) }
            : PageParser.Parse(text ?? "", Humanize(entry.Path)) with { PlainText = "" };
    }

    private void LoadFileOnce()
    {
        if (_fileLoaded || snapshotFile is null)
        {
            return;
        }

        _fileLoaded = true;
        if (snapshotFile.Load() is { } file)
        {
            foreach (var page in file.Pages)
            {
                _parsed.TryAdd((page.BlobId, page.Path), page);
            }

            _fileTreeId = file.TreeId;
        }
    }

    /// <summary>
    /// Writes the snapshot file beside the request that built the catalog, never in its way. Builds that come
    /// quickly one after another (a burst of saves) are written once: each write takes the latest build.
    /// Called under the build lock.
    /// </summary>
    private void SchedulePersist(CatalogSnapshot built)
    {
        _fileTreeId = built.TreeId;
        Volatile.Write(ref _toPersist, built);
        _persisting = _persisting.ContinueWith(_ =>
        {
            if (Interlocked.Exchange(ref _toPersist, null) is { } latest)
            {
                snapshotFile!.TrySave(latest.TreeId, latest.Pages.Values);
            }
        }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    /// <summary>
    /// The page's text without markup, for the search index (parsed again; not kept in memory). A wiki link without a
    /// label reads as its page's title, as the page shows it, so snippets never show a raw link target.
    /// </summary>
    public string PlainText(PageSummary page)
    {
        var snapshot = Current;
        return PageParser.Parse(store.ReadBlob(page.BlobId) ?? "", page.Title,
            target => snapshot.Find(target, page.Path) is { } found && snapshot.Pages.TryGetValue(found, out var linked) ? linked.Title : null).PlainText;
    }

    /// <summary>"leefloon-aanvragen" → "Leefloon aanvragen": the title of a page that has none.</summary>
    public static string Humanize(PagePath path)
    {
        var name = path.Name.Replace('-', ' ').Replace('_', ' ');
        return name.Length == 0 ? name : char.ToUpperInvariant(name[0]) + name[1..];
    }
}
