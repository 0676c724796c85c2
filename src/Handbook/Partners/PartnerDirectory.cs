using System.Collections.Concurrent;
using Handbook.Catalog;
using Handbook.GitStore;
using Handbook.Rendering;
using Microsoft.Extensions.Options;

namespace Handbook.Partners;

/// <summary>
/// The partners of the sociale kaart at the catalog's current tree: every page under the partner section
/// (<see cref="HandbookOptions.PartnerSection"/>) with its partner fields. The fields are read once per blob, like the
/// catalog's parses, so a page pushed with git is here at the next request and a save costs one read.
/// The section's own page lists the themes (<c>themas</c>); without that list the default themes apply.
/// </summary>
public sealed class PartnerDirectory(HandbookCatalog catalog, PageStore store, IOptions<HandbookOptions> options)
{
    private readonly ConcurrentDictionary<(string BlobId, string ThemesKey), PartnerProfile> _profiles = new();
    private volatile PartnerSnapshot? _current;

    /// <summary>The partners of the current tree.</summary>
    public PartnerSnapshot Current
    {
        get
        {
            var snapshot = catalog.Current;
            var current = _current;
            if (current?.TreeId == snapshot.TreeId)
            {
                return current;
            }

            current = Build(snapshot);
            _current = current;
            return current;
        }
    }

    /// <summary>The partner section's path (its page is the overview).</summary>
    public PagePath? Section => PagePath.TryParse(options.Value.PartnerSection, out var path, out _) ? path : null;

    /// <summary>Whether a page is a partner page (under the partner section, not the section's page itself).</summary>
    public bool IsPartnerPage(PagePath path) =>
        Section is { } section && path.Value.StartsWith(section.Value + "/", StringComparison.Ordinal);

    private PartnerSnapshot Build(CatalogSnapshot snapshot)
    {
        var themes = PartnerFieldsReader.DefaultThemes;
        if (Section is { } section && snapshot.Pages.TryGetValue(section, out var overview)
            && Fields(overview) is { } overviewFields
            && overviewFields.TryGetValue(PartnerFieldsReader.ThemesKey, out var raw) && raw is not string && raw is IEnumerable<object?> items)
        {
            var fromPage = items.OfType<string>().Select(t => t.Trim()).Where(t => t.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            if (fromPage.Count > 0)
            {
                themes = fromPage;
            }
        }

        var themesKey = string.Join('\u0001', themes);
        var partners = new List<Partner>();
        foreach (var page in snapshot.Pages.Values)
        {
            if (!IsPartnerPage(page.Path))
            {
                continue;
            }

            var profile = _profiles.GetOrAdd((page.BlobId, themesKey), _ => Fields(page) is { } fields ? PartnerFieldsReader.Read(fields, themes) : PartnerProfile.Empty);
            partners.Add(new Partner(page, profile));
        }

        // Forget the fields of texts that are no longer current.
        var live = partners.Select(p => p.Page.BlobId).ToHashSet(StringComparer.Ordinal);
        foreach (var key in _profiles.Keys.Where(k => !live.Contains(k.BlobId) || k.ThemesKey != themesKey))
        {
            _profiles.TryRemove(key, out _);
        }

        return new PartnerSnapshot(snapshot.TreeId, themes,
            partners.OrderBy(p => p.ShortName, StringComparer.CurrentCultureIgnoreCase).ToList(), snapshot.Glossary);
    }

    private Dictionary<string, object?>? Fields(PageSummary page)
    {
        if (store.ReadBlob(page.BlobId) is not { } text)
        {
            return null;
        }

        var (yaml, _) = FrontMatterText.Split(MarkdownRenderer.WithoutByteOrderMark(text));
        return FrontMatter.ReadFields(yaml, out _, out _);
    }
}

/// <summary>The partners at one tree, sorted by acronym or title.</summary>
public sealed record PartnerSnapshot(string TreeId, IReadOnlyList<string> Themes, IReadOnlyList<Partner> Partners, Rendering.Glossary.Glossary Glossary)
{
    /// <summary>The partner on a page, if it is a partner page.</summary>
    public Partner? Find(PagePath path) => Partners.FirstOrDefault(p => p.Path == path);

    /// <summary>Partners with a theme (all when null) and a target group (all when null), sorted.</summary>
    public IReadOnlyList<Partner> Filter(string? theme, string? targetGroup) => Partners
        .Where(p => theme is null || p.Profile.Themes.Contains(theme, StringComparer.OrdinalIgnoreCase))
        .Where(p => targetGroup is null || p.TargetGroups.Contains(targetGroup, StringComparer.OrdinalIgnoreCase))
        .ToList();

    /// <summary>The target groups the partners name, distinct and sorted.</summary>
    public IReadOnlyList<string> TargetGroups() => Partners.SelectMany(p => p.TargetGroups)
        .Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.CurrentCultureIgnoreCase).ToList();

    /// <summary>Partners whose acronym the glossary does not have (listed on /onderhoud).</summary>
    public IReadOnlyList<Partner> AcronymsMissingFromGlossary() => Partners
        .Where(p => p.Profile.Acronym is { } acronym && !Glossary.Entries.ContainsKey(acronym)
            && !Glossary.Entries.Keys.Any(k => string.Equals(k, acronym, StringComparison.OrdinalIgnoreCase)))
        .ToList();
}
