using Handbook.Catalog;
using Handbook.GitStore;
using Handbook.Search;

namespace Handbook.Offline;

/// <summary>What a device may take offline: the pages (with their blob ids, so a refresh fetches only what changed) and the glossary.</summary>
public sealed record OfflineManifest(
    string Version,
    DateTimeOffset At,
    string User,
    int Days,
    long MaxAttachmentBytes,
    IReadOnlyList<OfflineSection> Sections,
    IReadOnlyList<OfflinePage> Pages,
    IReadOnlyList<AcronymAnswer> Glossary,
    IReadOnlyList<string> Shell);

public sealed record OfflineSection(string Section, string Title, int Pages);

public sealed record OfflinePage(string Path, string Href, string Title, string Section, string Blob);

/// <summary>
/// Builds the offline manifest from the catalog of the moment. Protected pages (and so the areas an administrator
/// guards) stay online only; so does anything that is not a page of the handbook (administration, history, editing).
/// </summary>
public sealed class OfflineManifestBuilder(HandbookCatalog catalog)
{
    /// <summary>The manifest for <paramref name="user"/>; only the chosen sections when any are given (unknown ones are ignored).</summary>
    public OfflineManifest Build(string user, string? sections, int days, long maxAttachmentBytes, IReadOnlyList<string> shell)
    {
        var snapshot = catalog.Current;
        var chosen = (sections ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        var all = snapshot.Pages.Values.Where(p => Offline(p)).ToList();
        var sectionList = snapshot.Sections()
            .Select(s => new OfflineSection(s.Section, s.Landing?.Title ?? HandbookCatalog.Humanize(PagePath.Parse(s.Section)),
                all.Count(p => SectionOf(p.Path) == s.Section)))
            .Where(s => s.Pages > 0)
            .ToList();
        var pages = all
            // Pages outside any section (home, glossary) always come along: the glossary answers acronyms offline.
            .Where(p => chosen.Count == 0 || SectionOf(p.Path) is not { } section || chosen.Contains(section) || chosen.Contains(p.Path.Value) || p.Path == snapshot.GlossaryPath || snapshot.Glossary.IsPage(p.Path.Value))
            .OrderBy(p => p.Path.Value, StringComparer.Ordinal)
            .Select(p => new OfflinePage(p.Path.Value, CatalogSnapshot.Href(p.Path), p.Title, SectionOf(p.Path) ?? "", p.BlobId))
            .ToList();
        var glossary = snapshot.Glossary.Entries.Where(e => e.Value.Length > 0)
            .Select(e => new AcronymAnswer(e.Key, e.Value, AcronymAnswers.RowHref(snapshot.Glossary, e.Key)))
            .ToList();
        return new OfflineManifest(snapshot.TreeId, DateTimeOffset.UtcNow, user, days, maxAttachmentBytes, sectionList, pages, glossary, shell);
    }

    private static bool Offline(PageSummary page) => !page.Meta.Protected;

    /// <summary>A page's section is its first folder; a section's landing page (procedures.md) belongs to it.</summary>
    private static string? SectionOf(PagePath path)
    {
        var slash = path.Value.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 ? path.Value[..slash] : null;
    }
}
