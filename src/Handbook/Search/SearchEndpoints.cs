using Handbook.Catalog;

namespace Handbook.Search;

/// <summary>The JSON behind search-as-you-type: the best few pages for what is typed so far. Sign-in required.</summary>
public static class SearchEndpoints
{
    public const string SuggestPath = "/api/search/suggest";

    /// <summary>Longer text typed into the search box gets no suggestions.</summary>
    public const int MaxQueryLength = 120;

    public static void MapSearchEndpoints(this WebApplication app) =>
        app.MapGet(SuggestPath, async (string? q, SearchIndex index, CancellationToken cancellationToken) =>
        {
            // What is typed into a search box: a question of a few words, not a page.
            if (string.IsNullOrWhiteSpace(q) || q.Length > MaxQueryLength)
            {
                return Results.Ok(Array.Empty<SearchSuggestion>());
            }

            var hits = await index.SuggestAsync(q, 8, cancellationToken).ConfigureAwait(false);
            return Results.Ok(hits.Select(h => new SearchSuggestion(h.Title, CatalogSnapshot.Href(h.Path), h.Section)).ToList());
        });
}

/// <summary>One entry of the search-as-you-type list.</summary>
public sealed record SearchSuggestion(string Title, string Href, string Section);
