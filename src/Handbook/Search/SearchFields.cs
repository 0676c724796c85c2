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
    public const string TitleExact = "title_exact";
    public const string AliasesExact = "aliases_exact";
    public const string Section = "section";
    public const string Doelgroep = "doelgroep";
    public const string Owner = "owner";

    /// <summary>Not a stored field: the name under which query text is analysed (without decompounding).</summary>
    public const string Query = "_query";

    /// <summary>Not a stored field: the name under which a query word is split into its known parts.</summary>
    public const string Compound = "_compound";

    /// <summary>Title and aliases above tags above body: the ranking the handbook's readers expect.</summary>
    public static readonly IReadOnlyList<(string Field, float Boost)> Weighted =
    [
        (Title, 10f), (Aliases, 9f), (PathWords, 4f), (Tags, 4f), (Summary, 2f), (Body, 1f),
    ];

    /// <summary>
    /// Title and aliases again, unstemmed: the very word typed in a title or alias ("doorverwijzen") earns extra over
    /// a word that only shares its stem ("doorverwijzing").
    /// </summary>
    public static readonly IReadOnlyList<(string Field, float Boost)> Exact = [(TitleExact, 4f), (AliasesExact, 4f)];

    /// <summary>Fields analysed as whole words (folded, lower case), not stemmed.</summary>
    public static bool IsWholeWords(string field) => field is Words or TitleExact or AliasesExact;
}
