namespace Handbook.Search;

/// <summary>The fields of a page in the search index, and how much a match in each weighs.</summary>
public static class SearchFields
{
    public const string Path = "path";
    public const string Blob = "blob";
    public const string Title = "title";
    public const string Aliases = "aliases";
    public const string PathWords = "pathwords";
    public const string Tags = "tags";
    public const string Summary = "summary";
    public const string Body = "body";
    public const string Words = "words";
    public const string Section = "section";
    public const string Doelgroep = "doelgroep";
    public const string Owner = "owner";

    /// <summary>Title and aliases above tags above body: the ranking the handbook's readers expect.</summary>
    public static readonly IReadOnlyList<(string Field, float Boost)> Weighted =
    [
        (Title, 10f), (Aliases, 9f), (PathWords, 4f), (Tags, 4f), (Summary, 2f), (Body, 1f),
    ];
}
