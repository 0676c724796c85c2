namespace Handbook.Search;

/// <summary>
/// The handbook's own vocabulary, read from the synonym page: its pipe table rows
/// <c>| op straat gezet | uithuiszetting, uitzetting |</c> ("woord of uitdrukking | betekent ook"). Search applies
/// them at query time in both directions (<see cref="Lookup"/>), so an edit of the page changes search at once,
/// without re-indexing. The page is written by every worker: whatever it holds, parsing never fails and stays
/// small (bounded rows, cells, alternatives and phrase lengths; no regular expressions).
/// </summary>
public sealed class Synonyms
{
    public static readonly Synonyms Empty = new("", []);

    /// <summary>Rows past this many are ignored (the speed target is 500 pairs).</summary>
    public const int MaxRows = 2_000;

    /// <summary>A word or phrase longer than this is no synonym (a sentence pasted into a cell).</summary>
    public const int MaxPhraseLength = 80;

    /// <summary>Words in one phrase at most: the query builder looks for phrases of up to this many words.</summary>
    public const int MaxPhraseWords = 6;

    /// <summary>Alternatives taken from one cell.</summary>
    public const int MaxAlternatives = 10;

    private readonly Dictionary<string, List<string>> _lookup;

    private Synonyms(string pagePath, IReadOnlyList<SynonymRow> rows)
    {
        PagePath = pagePath;
        Rows = rows;
        _lookup = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            foreach (var alternative in row.Alternatives)
            {
                Add(row.Term, alternative);
                Add(alternative, row.Term);
            }
        }
    }

    /// <summary>The synonym page's path, for links.</summary>
    public string PagePath { get; }

    /// <summary>The rows as the page writes them.</summary>
    public IReadOnlyList<SynonymRow> Rows { get; }

    /// <summary>
    /// Normalised phrase (<see cref="SearchQueryBuilder.Normalize"/>) → what it also means: a row's alternatives for
    /// its word, and the row's word for each alternative (not the alternatives of each other: "schulden" may mean
    /// "budgethulp" and "schuldbemiddeling" without those two meaning each other).
    /// </summary>
    public IReadOnlyDictionary<string, List<string>> Lookup => _lookup;

    /// <summary>Reads the synonym table from the page's Markdown.</summary>
    public static Synonyms Parse(string pagePath, string markdown)
    {
        var rows = new List<SynonymRow>();
        foreach (var raw in (markdown ?? "").Split('\n'))
        {
            var line = raw.Trim();
            if (!line.StartsWith('|'))
            {
                continue;
            }

            var cells = line.Trim('|').Split('|');
            if (cells.Length < 2)
            {
                continue;
            }

            var term = Clean(cells[0]);
            if (term is null || term.Equals("woord of uitdrukking", StringComparison.OrdinalIgnoreCase)
                || term.Equals("word or phrase", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var alternatives = cells[1].Split(',').Select(Clean).OfType<string>()
                .Where(a => !SearchQueryBuilder.Normalize(a).Equals(SearchQueryBuilder.Normalize(term), StringComparison.Ordinal))
                .Distinct(StringComparer.OrdinalIgnoreCase).Take(MaxAlternatives).ToList();
            if (alternatives.Count == 0)
            {
                continue;
            }

            rows.Add(new SynonymRow(term, alternatives));
            if (rows.Count == MaxRows)
            {
                break;
            }
        }

        return new Synonyms(pagePath, rows);
    }

    /// <summary>
    /// This handbook's synonyms with the shared handbook's: its rows first, then the shared rows for words it does not
    /// define itself (a city's row for a word replaces the shared one).
    /// </summary>
    public static Synonyms Combine(Synonyms local, Synonyms shared)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(shared);
        if (shared.Rows.Count == 0)
        {
            return local;
        }

        var own = local.Rows.Select(r => SearchQueryBuilder.Normalize(r.Term)).ToHashSet(StringComparer.Ordinal);
        var rows = local.Rows.Concat(shared.Rows.Where(r => !own.Contains(SearchQueryBuilder.Normalize(r.Term)))).Take(MaxRows).ToList();
        return new Synonyms(local.PagePath.Length > 0 ? local.PagePath : shared.PagePath, rows);
    }

    /// <summary>A cell's text without Markdown emphasis; null for a separator, an empty cell or one that is too long.</summary>
    private static string? Clean(string cell)
    {
        var text = cell.Trim().Trim('*', '_', '`').Trim();
        if (text.Length is 0 or > MaxPhraseLength || text.All(c => c is '-' or ':' or ' '))
        {
            return null;
        }

        var words = SearchQueryBuilder.Normalize(text).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.Length is 0 or > MaxPhraseWords ? null : text;
    }

    private void Add(string from, string to)
    {
        var key = SearchQueryBuilder.Normalize(from);
        if (!_lookup.TryGetValue(key, out var list))
        {
            _lookup[key] = list = [];
        }

        if (!list.Contains(to, StringComparer.OrdinalIgnoreCase) && list.Count < MaxAlternatives)
        {
            list.Add(to);
        }
    }

    /// <summary>The table row to append for a new pair, with the cells' pipes taken out.</summary>
    public static string Row(string term, string alsoMeans) =>
        $"| {CellText(term)} | {CellText(alsoMeans)} |";

    private static string CellText(string text) => string.Join(' ', text.Replace('|', ' ').Split([' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries));
}

/// <summary>One row of the synonym page: a word or phrase and what it also means.</summary>
public sealed record SynonymRow(string Term, IReadOnlyList<string> Alternatives);
