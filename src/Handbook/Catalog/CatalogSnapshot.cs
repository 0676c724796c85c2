using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using Handbook.GitStore;
using Handbook.Rendering;

namespace Handbook.Catalog;

/// <summary>Where the shared (regional) handbook is mounted and what workers call it.</summary>
/// <param name="Mount">The store's mount (its folder).</param>
/// <param name="Name">The shared handbook's name, shown as the folder's title.</param>
public sealed record SharedSection(RegionMount Mount, string Name)
{
    /// <summary>The folder (one segment).</summary>
    public string Prefix => Mount.Prefix;

    /// <summary>Whether the page belongs to the shared handbook.</summary>
    public bool Contains(PagePath path) => Mount.Contains(path);
}

/// <summary>An immutable view of the handbook at one tree.</summary>
public sealed class CatalogSnapshot : IRenderContext
{
    private readonly Dictionary<string, PagePath> _byTitle;
    // Titles and aliases of the shared pages only: a shared page's links look there first (its authors wrote them
    // for the shared handbook, where a local page of the same title does not exist).
    private readonly Dictionary<string, PagePath> _byTitleShared;
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
        Rendering.Glossary.Glossary glossary, CatalogSnapshot? previous = null, SharedSection? shared = null)
    {
        TreeId = treeId;
        Pages = pages;
        GlossaryPath = glossaryPath;
        Glossary = glossary;
        Shared = shared;
        if (previous is not null && SameLinks(previous, out var sameFilters))
        {
            _byTitle = previous._byTitle;
            _byTitleShared = previous._byTitleShared;
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
        _byTitleShared = new Dictionary<string, PagePath>(StringComparer.OrdinalIgnoreCase);
        // Everything a render reads from the catalog (see IRenderContext): which pages exist, their titles and
        // aliases, and the glossary. Saving a page's text changes none of it, so the other pages' renders stay valid.
        using var renderKey = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        AppendKey(renderKey, glossaryPath?.Value ?? "");
        AppendKey(renderKey, glossaryPath is { } g && pages.TryGetValue(g, out var glossaryPage) ? glossaryPage.BlobId : "");
        AppendKey(renderKey, shared?.Prefix ?? "");
        foreach (var other in glossary.Pages)
        {
            AppendKey(renderKey, PagePath.TryParse(other, out var o, out _) && pages.TryGetValue(o, out var otherPage) ? otherPage.BlobId : "");
        }
        // This handbook's own pages first: a title that both have leads to the city's page from the city's pages.
        foreach (var page in pages.Values.OrderBy(p => shared?.Contains(p.Path) == true).ThenBy(p => p.Path))
        {
            var titles = shared?.Contains(page.Path) == true ? _byTitleShared : null;
            _byTitle.TryAdd(page.Title.Trim(), page.Path);
            titles?.TryAdd(page.Title.Trim(), page.Path);
            AppendKey(renderKey, page.Path.Value);
            AppendKey(renderKey, page.Title);
            foreach (var alias in page.Meta.Aliases)
            {
                _byTitle.TryAdd(alias.Trim(), page.Path);
                titles?.TryAdd(alias.Trim(), page.Path);
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
                if (Find(target, page.Path) is { } found)
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
        if (previous.Pages.Count != Pages.Count || previous.GlossaryPath != GlossaryPath || !ReferenceEquals(previous.Glossary, Glossary)
            || previous.Shared != Shared)
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

            // The glossary pages' texts are part of the render key.
            if (path == GlossaryPath || Glossary.IsPage(path.Value)
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

    /// <summary>The shared (regional) handbook's folder, when there is one.</summary>
    public SharedSection? Shared { get; }

    /// <summary>The synonym page's table, for search at query time (renders do not depend on it).</summary>
    public Search.Synonyms Synonyms { get; init; } = Search.Synonyms.Empty;

    /// <summary>
    /// What to call a page or a section: its title (a section's is its landing page's), else its humanised name; the
    /// shared handbook's folder is called by the shared handbook's name.
    /// </summary>
    public string TitleOf(PagePath path) => Pages.TryGetValue(path, out var page) ? page.Title
        : Shared is { } shared && path.Value == shared.Prefix ? shared.Name
        : HandbookCatalog.Humanize(path);

    /// <inheritdoc cref="TitleOf(PagePath)"/>
    public string TitleOf(string section) => PagePath.TryParse(section, out var path, out _) ? TitleOf(path) : section;

    /// <summary>The URL of a page: each segment escaped, so accented names work everywhere.</summary>
    public static string Href(PagePath path) => Handbook.Pages.PageLinks.Page(path);

    /// <summary>The page a wiki link target names: a path (case-insensitive), a title or an alias; null if none.</summary>
    public PagePath? Find(string target) => Find(target, from: null);

    /// <summary>
    /// The page a wiki link on page <paramref name="from"/> names. A link on a shared page was written for the shared
    /// handbook: its path or title names a shared page first (<c>[[leefloon]]</c> there is <c>regio/leefloon</c>
    /// here), then one of this handbook.
    /// </summary>
    public PagePath? Find(string target, PagePath? from)
    {
        var (name, _) = SplitAnchor(target);
        var cleaned = name.Trim().Trim('/').ToLowerInvariant();
        var onShared = Shared is { } shared && from is { } page && shared.Contains(page);
        if (onShared && PagePath.TryParse(Shared!.Prefix + "/" + cleaned, out var sharedPath, out _) && Pages.ContainsKey(sharedPath))
        {
            return sharedPath;
        }

        if (PagePath.TryParse(cleaned, out var path, out _) && Pages.ContainsKey(path))
        {
            return path;
        }

        if (onShared && _byTitleShared.TryGetValue(name.Trim(), out var sharedTitle))
        {
            return sharedTitle;
        }

        return _byTitle.TryGetValue(name.Trim(), out var byTitle) ? byTitle : null;
    }

    public (string Href, bool Exists, string? Title) Resolve(string target) => Resolve(target, from: null);

    /// <summary>What a render of page <paramref name="page"/> resolves its links with (see <see cref="Find(string, PagePath?)"/>).</summary>
    public IRenderContext For(PagePath page) => Shared is { } shared && shared.Contains(page) ? new SharedPageContext(this, page) : this;

    private (string Href, bool Exists, string? Title) Resolve(string target, PagePath? from)
    {
        var (name, anchor) = SplitAnchor(target);
        if (Find(name, from) is { } found)
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
            .Select(g => (Section: g.Key, Landing: Landing(g.Key), Pages: g))
            // The shared handbook's home page is its landing page, not one of its pages too.
            .Select(s => (s.Section, s.Landing, (IReadOnlyList<PageSummary>)s.Pages.Where(p => p.Path != s.Landing?.Path)
                .OrderBy(p => p.Title, StringComparer.CurrentCulture).ToList()))
            .ToList());

    /// <summary>A section's landing page: the page of its name; for the shared handbook, its own home page (<c>index</c>).</summary>
    public PageSummary? Landing(string section) =>
        PagePath.TryParse(section, out var landing, out _) && Pages.TryGetValue(landing, out var page) ? page
        : Shared?.Prefix == section && PagePath.TryParse(section + "/index", out var home, out _) && Pages.TryGetValue(home, out var shared) ? shared
        : null;

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

    /// <summary>A shared page's render context: its links name shared pages first.</summary>
    private sealed class SharedPageContext(CatalogSnapshot snapshot, PagePath page) : IRenderContext
    {
        public Rendering.Glossary.Glossary Glossary => snapshot.Glossary;

        public (string Href, bool Exists, string? Title) Resolve(string target) => snapshot.Resolve(target, page);
    }
}
