using Handbook.GitStore;

namespace Handbook.Search;

/// <summary>What a worker asks: words, and optional filters on section, target group and owner.</summary>
public sealed record SearchRequest(string Text, string? Section = null, string? Doelgroep = null, string? Owner = null, int Take = 20)
{
    /// <summary>Search as you type: the last word may be unfinished, so it also matches as a prefix.</summary>
    public bool AsYouType { get; init; }
}

/// <summary>One page found: <see cref="SnippetHtml"/> is HTML-escaped text with only our own <c>&lt;mark&gt;</c> tags.</summary>
public sealed record SearchHit(PagePath Path, string Title, string Section, string SnippetHtml, float Score, PageChange? LastChange);

/// <summary>
/// The answer to a search. <see cref="DidYouMean"/> is a corrected query when words were not found;
/// <see cref="Fuzzy"/> says typo-tolerant matching was used because exact matching found little.
/// </summary>
public sealed record SearchResults(SearchRequest Request, IReadOnlyList<SearchHit> Hits, int TotalHits, string? DidYouMean, bool Fuzzy, SearchIndexStatus Status)
{
    public static SearchResults Empty(SearchRequest request, SearchIndexStatus status) => new(request, [], 0, null, false, status);
}

/// <summary>Where the index is: which tree it reflects, and whether a (re)build runs and how far it is.</summary>
public sealed record SearchIndexStatus(bool Building, int Done, int Total, string? TreeId, int Pages, DateTimeOffset? LastUpdated)
{
    public int Percent => Total == 0 ? 100 : (int)(100L * Done / Total);
}
