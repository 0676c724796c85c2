namespace Handbook.Search;

/// <summary>
/// Splits a Dutch compound into words of the Dutch word list: "budgethulp" → budget + hulp, "huurwaarborgaanvraag"
/// → huurwaarborg + aanvraag (and huurwaarborg again → huur + waarborg), "verblijfsvergunning" → verblijf + vergunning
/// (with the linking s). The fewest parts win, then the longest first part ("leefloonwet" is leefloon + wet, not
/// leef + loonwet). A word list holds many short words that are no part of a compound ("kinderen" is not kind +
/// eren, "scheiding" not schei + ding), so a word that is itself in the list splits only into parts of at least five
/// letters or parts of the handbook's own vocabulary (<see cref="Domain"/>); a first part that is a particle
/// ("voorwaarden", "onderzoek") or a last part that is a suffix never splits a word. A word not in the list (a
/// compound the list does not know, as "leefloonaanvraag") may split into any parts of four letters or more, the last
/// one of three ("leefloonwet").
/// </summary>
public sealed class CompoundSplitter(DutchWords words)
{
    public const int MinWordLength = 7;
    public const int MaxWordLength = 40;
    private const int MaxParts = 4;

    /// <summary>
    /// Words of social services that start or end many of its compounds: trusted as parts of a word of the list even
    /// when shorter than five letters ("huurwaarborg", "stempelgeld"); "kinder" is no word of its own.
    /// </summary>
    private static readonly HashSet<string> Domain = new(StringComparer.Ordinal)
    {
        "aanvraag", "advies", "arbeid", "asiel", "begeleiding", "beheer", "bemiddeling", "bescherming", "borg", "budget",
        "centrum", "crisis", "dienst", "energie", "factuur", "geld", "gezin", "geweld", "huis", "hulp", "huur", "huurder",
        "inburgering", "inkomen", "integratie", "jeugd", "jongeren", "kantoor", "kind", "kinder", "kosten", "leefloon",
        "loket", "nood", "ontslag", "opvang", "opvoeding", "partner", "pensioen", "plan", "premie", "recht", "schuld",
        "schulden", "steun", "studie", "taal", "thuis", "toelage", "toeslag", "uitkering", "vergoeding", "verhuur",
        "verblijf", "vervoer", "water", "waarborg", "werk", "wet", "woning", "woon", "wonen", "ziekte", "zorg",
    };

    /// <summary>Particles and prepositions: "voorwaarden" is no voor + waarden.</summary>
    private static readonly HashSet<string> NoFirstPart = new(StringComparer.Ordinal)
    {
        "aan", "achter", "binnen", "boven", "buiten", "door", "mede", "mee", "onder", "over", "samen", "tegen", "terug",
        "toe", "uit", "vast", "voor", "weder", "weg",
    };

    /// <summary>Endings that are words of the list too: "kwetsbare" is no kwets + bare.</summary>
    private static readonly HashSet<string> NoLastPart = new(StringComparer.Ordinal)
    {
        "aren", "baar", "bare", "baren", "ding", "dingen", "eden", "ellen", "elen", "ende", "enen", "eren", "erij",
        "heden", "heid", "ing", "ingen", "king", "komst", "lende", "lijk", "lijke", "ling", "lingen", "ning", "rijk",
        "rijke", "rijkste", "schap", "sten", "ster", "ters", "tjes", "zaam",
    };

    public static CompoundSplitter Dutch { get; } = new(DutchWords.List);

    /// <summary>
    /// The parts of a compound (lower case, folded a–z), parts of parts included, without the word itself; empty when
    /// the word is no compound of known words.
    /// </summary>
    public IReadOnlyList<string> Split(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        var parts = new List<string>();
        Collect(word, parts, depth: 0);
        return parts;
    }

    private void Collect(string word, List<string> into, int depth)
    {
        if (depth > 2 || word.Length < MinWordLength || word.Length > MaxWordLength || !IsPlain(word))
        {
            return;
        }

        var best = BestSplit(word);
        if (best is null)
        {
            return;
        }

        foreach (var part in best)
        {
            if (!into.Contains(part))
            {
                into.Add(part);
            }

            Collect(part, into, depth + 1);
        }
    }

    private static bool IsPlain(string word)
    {
        foreach (var c in word)
        {
            if (c is < 'a' or > 'z')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The split of the whole word with the fewest parts (then the longest first part), or null.</summary>
    private List<string>? BestSplit(string word)
    {
        var known = words.Contains(word);
        // best[i]: the best split of word[i..] into parts (null: none). Filled from the end.
        var best = new List<string>?[word.Length + 1];
        best[word.Length] = [];
        for (var start = word.Length - 1; start >= 0; start--)
        {
            for (var end = start + 3; end <= word.Length; end++)
            {
                if (start == 0 && end == word.Length)
                {
                    break;
                }

                var last = end == word.Length;
                var piece = word.AsSpan(start, end - start);
                if (!Acceptable(piece, first: start == 0, last, known))
                {
                    continue;
                }

                // After a part that is not the last, the next starts at once or after a linking "s".
                List<string>? rest = last ? best[end] : Better(Rest(best, end), word[end] == 's' && end + 1 < word.Length ? Rest(best, end + 1) : null);
                if (rest is null || rest.Count + 1 > MaxParts)
                {
                    continue;
                }

                var candidate = new List<string>(rest.Count + 1) { piece.ToString() };
                candidate.AddRange(rest);
                best[start] = Better(best[start], candidate);
            }
        }

        return best[0] is { Count: >= 2 } found ? found : null;
    }

    private static List<string>? Rest(List<string>?[] best, int at) => at < best.Length - 1 && best[at] is { Count: > 0 } r ? r : null;

    private static List<string>? Better(List<string>? one, List<string>? other)
    {
        if (one is null || other is null)
        {
            return one ?? other;
        }

        if (one.Count != other.Count)
        {
            return one.Count < other.Count ? one : other;
        }

        return other[0].Length > one[0].Length ? other : one;
    }

    private bool Acceptable(ReadOnlySpan<char> piece, bool first, bool last, bool knownWord)
    {
        var domain = Domain.GetAlternateLookup<ReadOnlySpan<char>>().Contains(piece);
        var minimum = knownWord ? (domain ? 3 : 5) : (last ? 3 : 4);
        if (piece.Length < minimum)
        {
            return false;
        }

        if (first && NoFirstPart.GetAlternateLookup<ReadOnlySpan<char>>().Contains(piece))
        {
            return false;
        }

        if (last && NoLastPart.GetAlternateLookup<ReadOnlySpan<char>>().Contains(piece))
        {
            return false;
        }

        return domain || words.Contains(piece);
    }
}
