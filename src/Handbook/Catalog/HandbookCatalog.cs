using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using Handbook.GitStore;
using Handbook.Rendering;
using Microsoft.Extensions.Options;

namespace Handbook.Catalog;

/// <summary>One page as the catalog knows it: metadata and outgoing links, parsed once per blob.</summary>
public sealed record PageSummary(PagePath Path, string BlobId, ParsedPage Parsed)
{
    public string Title => Parsed.Title;

    public FrontMatter Meta => Parsed.Meta;
}

/// <summary>
/// What the whole handbook looks like at one commit: pages and titles (for wiki links by title), backlinks,
/// broken links, orphans and the glossary. Rebuilt when the branch's tree changes; each page is parsed only when
/// its blob is new, so a save costs one parse, not a re-read of the handbook. With a <see cref="CatalogSnapshotFile"/>
/// the parses also survive a restart: at start only the pages changed since the file was written are parsed.
/// </summary>
public sealed class HandbookCatalog(PageStore store, IOptions<HandbookOptions> options, CatalogSnapshotFile? snapshotFile = null)
{
    private readonly ConcurrentDictionary<(string BlobId, PagePath Path), PageSummary> _parsed = new();
    private readonly object _buildLock = new();
    private volatile CatalogSnapshot? _current;
    private (string BlobId, Rendering.Glossary.Glossary Glossary)? _glossary;
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

        var glossary = Rendering.Glossary.Glossary.Empty;
        PagePath? glossaryPath = PagePath.TryParse(options.Value.GlossaryPage, out var g, out _) ? g : null;
        if (glossaryPath is { } path && pages.TryGetValue(path, out var glossaryPage))
        {
            var cached = _glossary;
            if (cached?.BlobId != glossaryPage.BlobId)
            {
                cached = (glossaryPage.BlobId, Rendering.Glossary.Glossary.Parse(path.Value, store.ReadBlob(glossaryPage.BlobId) ?? ""));
                _glossary = cached;
            }

            glossary = cached.Value.Glossary;
        }

        var built = new CatalogSnapshot(listing.TreeId, pages, glossaryPath, glossary, _current);
        if (snapshotFile is not null && built.TreeId != _fileTreeId)
        {
            SchedulePersist(built);
        }

        return built;
    }

    private ParsedPage Parse(PageEntry entry)
    {
        var text = store.ReadBlob(entry.BlobId, out var tooLarge);
        return tooLarge
            ? new ParsedPage(FrontMatter.Empty, Humanize(entry.Path), [], "") { Problem = "te groot om te tonen (de tekst wordt niet gelezen)" }
            : MarkdownRenderer.Parse(text ?? "", Humanize(entry.Path)) with { PlainText = "" };
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

    /// <summary>The page's text without markup, for the search index (parsed again; not kept in memory).</summary>
    public string PlainText(PageSummary page) => MarkdownRenderer.Parse(store.ReadBlob(page.BlobId) ?? "", page.Title).PlainText;

    /// <summary>"leefloon-aanvragen" → "Leefloon aanvragen": the title of a page that has none.</summary>
    public static string Humanize(PagePath path)
    {
        var name = path.Name.Replace('-', ' ').Replace('_', ' ');
        return name.Length == 0 ? name : char.ToUpperInvariant(name[0]) + name[1..];
    }
}

/// <summary>An immutable view of the handbook at one tree.</summary>
public sealed class CatalogSnapshot : IRenderContext
{
    private readonly Dictionary<string, PagePath> _byTitle;
    private readonly ConcurrentDictionary<string, IReadOnlyList<(string Section, PageSummary? Landing, IReadOnlyList<PageSummary> Pages)>> _sections = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IReadOnlyList<string>> _doelgroepen = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IReadOnlyList<string>> _owners = new(StringComparer.Ordinal);

    /// <summary>
    /// A snapshot of <paramref name="pages"/>. With the <paramref name="previous"/> snapshot, what depends only on
    /// which pages exist, their titles, aliases and links (titles, backlinks, broken links, orphans, the render key,
    /// the order of the navigation tree) is taken over when none of those changed, which is what almost every save
    /// is. At 10,000 pages building them again cost some 20 MB per save, all of it living just long enough to reach
    /// the oldest GC generation. Nothing refers back to <paramref name="previous"/>.
    /// </summary>
    public CatalogSnapshot(string treeId, IReadOnlyDictionary<PagePath, PageSummary> pages, PagePath? glossaryPath,
        Rendering.Glossary.Glossary glossary, CatalogSnapshot? previous = null)
    {
        TreeId = treeId;
        Pages = pages;
        GlossaryPath = glossaryPath;
        Glossary = glossary;
        if (previous is not null && SameLinks(previous, out var sameFilters))
        {
            _byTitle = previous._byTitle;
            RenderKey = previous.RenderKey;
            Backlinks = previous.Backlinks;
            BrokenLinks = previous.BrokenLinks;
            Orphans = previous.Orphans;
            // The same pages in the same order; only the summaries of changed pages are new.
            foreach (var (culture, sections) in previous._sections)
            {
                _sections[culture] = sections
                    .Select(s => (s.Section, s.Landing is { } landing ? pages[landing.Path] : null,
                        (IReadOnlyList<PageSummary>)s.Pages.Select(p => pages[p.Path]).ToList()))
                    .ToList();
            }

            if (sameFilters)
            {
                foreach (var (culture, values) in previous._doelgroepen)
                {
                    _doelgroepen[culture] = values;
                }

                foreach (var (culture, values) in previous._owners)
                {
                    _owners[culture] = values;
                }
            }

            return;
        }

        _byTitle = new Dictionary<string, PagePath>(StringComparer.OrdinalIgnoreCase);
        // Everything a render reads from the catalog (see IRenderContext): which pages exist, their titles and
        // aliases, and the glossary. Saving a page's text changes none of it, so the other pages' renders stay valid.
        using var renderKey = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        AppendKey(renderKey, glossaryPath?.Value ?? "");
        AppendKey(renderKey, glossaryPath is { } g && pages.TryGetValue(g, out var glossaryPage) ? glossaryPage.BlobId : "");
        foreach (var page in pages.Values.OrderBy(p => p.Path))
        {
            _byTitle.TryAdd(page.Title.Trim(), page.Path);
            AppendKey(renderKey, page.Path.Value);
            AppendKey(renderKey, page.Title);
            foreach (var alias in page.Meta.Aliases)
            {
                _byTitle.TryAdd(alias.Trim(), page.Path);
                AppendKey(renderKey, alias);
            }

            AppendKey(renderKey, "\u0001");
        }

        RenderKey = Convert.ToHexString(renderKey.GetHashAndReset());

        var backlinks = new Dictionary<PagePath, List<PagePath>>();
        var broken = new List<(PagePath From, string Target)>();
        foreach (var page in pages.Values.OrderBy(p => p.Path))
        {
            foreach (var target in page.Parsed.LinkTargets)
            {
                if (Find(target) is { } found)
                {
                    if (found != page.Path)
                    {
                        (backlinks.TryGetValue(found, out var list) ? list : backlinks[found] = []).Add(page.Path);
                    }
                }
                else
                {
                    broken.Add((page.Path, target));
                }
            }
        }

        Backlinks = backlinks.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<PagePath>)kv.Value.Distinct().ToList());
        BrokenLinks = broken;
        Orphans = pages.Keys
            .Where(p => !Backlinks.ContainsKey(p) && p.Folder.Length > 0)
            .Order()
            .ToList();
    }

    /// <summary>
    /// Whether this snapshot's pages have the same paths, titles, aliases and links as <paramref name="previous"/>'s,
    /// and the same glossary; <paramref name="sameFilters"/>: also the same owners and target groups.
    /// </summary>
    private bool SameLinks(CatalogSnapshot previous, out bool sameFilters)
    {
        sameFilters = true;
        if (previous.Pages.Count != Pages.Count || previous.GlossaryPath != GlossaryPath || !ReferenceEquals(previous.Glossary, Glossary))
        {
            return false;
        }

        foreach (var (path, page) in Pages)
        {
            if (!previous.Pages.TryGetValue(path, out var before))
            {
                return false;
            }

            if (ReferenceEquals(before, page))
            {
                continue;
            }

            // The glossary page's text is part of the render key.
            if (path == GlossaryPath
                || !string.Equals(before.Title, page.Title, StringComparison.Ordinal)
                || !before.Meta.Aliases.SequenceEqual(page.Meta.Aliases, StringComparer.Ordinal)
                || !before.Parsed.LinkTargets.SequenceEqual(page.Parsed.LinkTargets, StringComparer.Ordinal))
            {
                return false;
            }

            sameFilters &= string.Equals(before.Meta.Owner, page.Meta.Owner, StringComparison.Ordinal)
                && before.Meta.Doelgroepen.SequenceEqual(page.Meta.Doelgroepen, StringComparer.Ordinal);
        }

        return true;
    }

    /// <summary>The tree this snapshot describes.</summary>
    public string TreeId { get; }

    /// <summary>
    /// Changes only when something a page's render depends on changes: a page added, removed or renamed, a title or
    /// alias, the glossary. Renders are cached under it, not under <see cref="TreeId"/>, so one worker's save does
    /// not make every other page render again.
    /// </summary>
    public string RenderKey { get; }

    public IReadOnlyDictionary<PagePath, PageSummary> Pages { get; }

    /// <summary>Pages that link to a page (by path or by title).</summary>
    public IReadOnlyDictionary<PagePath, IReadOnlyList<PagePath>> Backlinks { get; }

    /// <summary>Wiki links whose target does not exist.</summary>
    public IReadOnlyList<(PagePath From, string Target)> BrokenLinks { get; }

    /// <summary>Pages in a section that no other page links to.</summary>
    public IReadOnlyList<PagePath> Orphans { get; }

    public PagePath? GlossaryPath { get; }

    public Rendering.Glossary.Glossary Glossary { get; }

    /// <summary>The URL of a page: each segment escaped, so accented names work everywhere.</summary>
    public static string Href(PagePath path) => "/wiki/" + string.Join('/', path.Value.Split('/').Select(Uri.EscapeDataString));

    /// <summary>The page a wiki link target names: a path (case-insensitive), a title or an alias; null if none.</summary>
    public PagePath? Find(string target)
    {
        var (name, _) = SplitAnchor(target);
        if (PagePath.TryParse(name.Trim().Trim('/').ToLowerInvariant(), out var path, out _) && Pages.ContainsKey(path))
        {
            return path;
        }

        return _byTitle.TryGetValue(name.Trim(), out var byTitle) ? byTitle : null;
    }

    public (string Href, bool Exists, string? Title) Resolve(string target)
    {
        var (name, anchor) = SplitAnchor(target);
        if (Find(name) is { } found)
        {
            return (Href(found) + anchor, true, Pages[found].Title);
        }

        var missing = PagePath.TryParse(name.Trim().Trim('/').ToLowerInvariant(), out var path, out _)
            ? path
            : PagePath.TryParse(PagePath.Slugify(name), out var slug, out _) ? slug : (PagePath?)null;
        return missing is { } m ? (Href(m), false, null) : ("", false, null);
    }

    /// <summary>
    /// The sections (root folders) with their pages sorted by title, for the navigation tree. Built once per snapshot
    /// and UI culture: the layout of every request shows it, and sorting 10,000 titles by culture on every request was
    /// most of what a page view allocated.
    /// </summary>
    public IReadOnlyList<(string Section, PageSummary? Landing, IReadOnlyList<PageSummary> Pages)> Sections() =>
        _sections.GetOrAdd(CultureInfo.CurrentCulture.Name, culture => Pages.Values
            .Where(p => p.Path.Folder.Length > 0)
            .GroupBy(p => p.Path.Section)
            .Select(g => (g.Key,
                PagePath.TryParse(g.Key, out var landing, out _) && Pages.TryGetValue(landing, out var l) ? l : null,
                (IReadOnlyList<PageSummary>)g.OrderBy(p => p.Title, StringComparer.CurrentCulture).ToList()))
            .ToList());

    /// <summary>The target groups (front matter <c>doelgroepen</c>) of all pages, distinct and sorted, for the search filters.</summary>
    public IReadOnlyList<string> Doelgroepen() =>
        _doelgroepen.GetOrAdd(CultureInfo.CurrentCulture.Name, culture => Pages.Values.SelectMany(p => p.Meta.Doelgroepen)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.CurrentCulture).ToList());

    /// <summary>The owners (front matter <c>owner</c>) of all pages, distinct and sorted, for the search filters.</summary>
    public IReadOnlyList<string> Owners() =>
        _owners.GetOrAdd(CultureInfo.CurrentCulture.Name, culture => Pages.Values.Select(p => p.Meta.Owner).OfType<string>()
            .Where(o => o.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.CurrentCulture).ToList());

    private static void AppendKey(IncrementalHash hash, string value)
    {
        hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(value.AsSpan()));
        hash.AppendData([0, 0]);
    }

    private static (string Name, string Anchor) SplitAnchor(string target)
    {
        var hash = target.IndexOf('#', StringComparison.Ordinal);
        return hash < 0 ? (target, "") : (target[..hash], "#" + MarkdownRenderer.IdPrefix + Uri.EscapeDataString(target[(hash + 1)..].Trim()));
    }
}
