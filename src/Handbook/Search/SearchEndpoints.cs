using Handbook.Catalog;
using Handbook.GitStore;
using Microsoft.Extensions.Localization;

namespace Handbook.Search;

/// <summary>
/// The JSON behind search-as-you-type: the best few pages for what is typed so far; and the result links' redirect,
/// which tells the <see cref="SearchLog"/> that a search was answered. Sign-in required.
/// </summary>
public static class SearchEndpoints
{
    public const string SuggestPath = "/api/search/suggest";

    /// <summary>A result link of the search page: <c>/zoeken/open?t={token}&amp;pad={page}</c> redirects to the page.</summary>
    public const string OpenPath = "/zoeken/open";

    /// <summary>The link to a result that tells the search log the search was answered (a plain link without a token).</summary>
    public static string OpenHref(string? token, PagePath page) => token is null
        ? CatalogSnapshot.Href(page)
        : $"{OpenPath}?t={Uri.EscapeDataString(token)}&pad={Uri.EscapeDataString(page.Value)}";

    /// <summary>Longer text typed into the search box gets no suggestions.</summary>
    public const int MaxQueryLength = 120;

    public static void MapSearchEndpoints(this WebApplication app)
    {
        // No script needed (the CSP allows none inline) and no beacon to lose: the link itself says it was followed.
        // Only to a page of the handbook, never elsewhere.
        app.MapGet(OpenPath, (string? t, string? pad, SearchLog log) =>
        {
            if (!PagePath.TryParse(pad, out var page, out _))
            {
                return Results.LocalRedirect("/search");
            }

            log.Opened(t);
            return Results.LocalRedirect(CatalogSnapshot.Href(page));
        });

        app.MapGet(SuggestPath, async (string? q, SearchIndex index, HandbookCatalog catalog, IStringLocalizer<SearchResource> text,
            Diagnostics.HandbookMetrics metrics, CancellationToken cancellationToken) =>
        {
            // What is typed into a search box: a question of a few words, not a page.
            if (string.IsNullOrWhiteSpace(q) || q.Length > MaxQueryLength)
            {
                return Results.Ok(Array.Empty<SearchSuggestion>());
            }

            // An acronym (or its expansion) is answered first, with its meaning; the pages follow.
            var answers = AcronymAnswers.Find(q, catalog.Current.Glossary, asYouType: true)
                .Select(a => new SearchSuggestion(a.Acronym + " — " + a.Expansion, a.Href, text["AcronymKind"], "acronym"));
            var start = System.Diagnostics.Stopwatch.GetTimestamp();
            var hits = await index.SuggestAsync(q, 8, cancellationToken).ConfigureAwait(false);
            metrics.Searched(System.Diagnostics.Stopwatch.GetElapsedTime(start), asYouType: true);
            return Results.Ok(answers.Concat(hits.Select(h => new SearchSuggestion(h.Title, CatalogSnapshot.Href(h.Path), h.Section))).ToList());
        });
    }
}

/// <summary>One entry of the search-as-you-type list.</summary>
/// <param name="Kind">"acronym" for an acronym's meaning (links to its glossary row); null for a page.</param>
public sealed record SearchSuggestion(string Title, string Href, string Section, string? Kind = null);
