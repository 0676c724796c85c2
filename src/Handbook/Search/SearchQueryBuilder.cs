using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Lucene.Net.Index;
using Lucene.Net.Search;

namespace Handbook.Search;

/// <summary>
/// Turns what a worker typed into a Lucene query. Acronyms are expanded here, at query time, from the glossary
/// of the moment ("SVK" → SVK or "sociaal verhuurkantoor", and the other way round), so editing the glossary
/// changes search without re-indexing. Each word or phrase is looked for in every field with that field's weight;
/// the whole query as an exact phrase earns extra, so an exact phrase ranks above the same words scattered.
/// The synonym page's words and phrases are added the same way, in both directions, with less weight
/// (<see cref="SynonymBoost"/>): a page that uses the worker's own word stays above one that only has its synonym.
/// </summary>
public sealed class SearchQueryBuilder(HandbookAnalyzer analyzer)
{
    public const int MaxWords = 20;

    /// <summary>
    /// Longer words are looked for as typed only: no typo tolerance, no compound parts, no prefix. A Levenshtein
    /// automaton for a random 200-letter word cost some 0.8 s of CPU per keystroke; the longest Dutch words of the
    /// field (arbeidsongeschiktheidsuitkering) have about 30 letters.
    /// </summary>
    public const int MaxExpandedWordLength = 40;

    /// <summary>How much a match on a synonym weighs against a match on the words typed.</summary>
    public const float SynonymBoost = 0.6f;

    /// <summary>Synonyms added to one part of a query at most (a hostile table must not multiply the query).</summary>
    public const int MaxSynonymsPerPart = 8;

    /// <summary>How much the head of a compound alone weighs ("energieschulden" are schulden), against the compound.</summary>
    public const float CompoundHeadBoost = 0.25f;

    /// <summary>How much one of the other parts of a compound alone weighs.</summary>
    public const float CompoundPartBoost = 0.15f;

    /// <summary>How much a word formed by joining two or three words typed apart weighs ("uit huis zetting").</summary>
    public const float JoinedBoost = 1f;

    /// <summary>
    /// Words of a question or a described situation that say nothing about its subject: question words, auxiliaries,
    /// pronouns and the handbook's everyday context (the client, the Sociaal Huis itself), beyond the Dutch stop words
    /// the analyzer already drops. "mag mijn cliënt nog naar school als hij leefloon krijgt" is about school and
    /// leefloon. They are dropped only when the query has other words: "cliënt" alone is still searched.
    /// </summary>
    public static readonly IReadOnlySet<string> Fillers = new HashSet<string>(StringComparer.Ordinal)
    {
        "mag", "mogen", "moeten", "kun", "kunt", "krijg", "krijgt", "krijgen", "kreeg", "wanneer", "waar", "waarom",
        "welke", "welk", "hoeveel", "hoelang", "wij", "we", "jij", "jullie", "jou", "jouw", "onze", "ben", "bent",
        "heb", "hebt", "zouden", "willen", "wilt", "weet", "weten", "graag", "eigenlijk", "even", "gaat", "gaan",
        "doe", "nu", "hier", "iets", "mens", "mensen", "persoon", "client", "clienten", "klant", "klanten", "hulp",
        "helpen", "help",
    };

    /// <summary>
    /// The organisation itself is context, not subject, in a longer query ("wanneer zit ritmica in het sociaal huis"),
    /// also as a glossary or synonym phrase of its own; a longer synonym phrase that holds it ("steun van het OCMW")
    /// is kept.
    /// </summary>
    private static readonly string[][] FillerPhrases = [["sociaal", "huis"], ["ocmw"]];

    private readonly ConditionalWeakTable<Synonyms, Dictionary<string, List<string>>> _stemmedSynonyms = new();

    /// <summary>
    /// One part of the query: a word, or an acronym or expansion with its alternatives; <see cref="Synonyms"/> are
    /// what the synonym page says it also means (searched with <see cref="SynonymBoost"/>).
    /// </summary>
    public sealed record QueryPart(string Text, IReadOnlyList<string> Alternatives)
    {
        public IReadOnlyList<string> Synonyms { get; init; } = [];
    }

    /// <summary>Splits a query into parts, recognising glossary acronyms and expansions (longest first).</summary>
    public static IReadOnlyList<QueryPart> Parts(string text, IReadOnlyDictionary<string, string> glossary)
    {
        ArgumentNullException.ThrowIfNull(glossary);
        // Twenty words are plenty for a question; more would only multiply the clauses of the query.
        var words = Normalize(text).Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(MaxWords).ToList();
        var phrases = new List<(string[] Words, string Acronym, string Expansion)>();
        foreach (var (acronym, expansion) in glossary)
        {
            if (expansion.Length == 0)
            {
                continue;
            }

            phrases.Add((Normalize(acronym).Split(' ', StringSplitOptions.RemoveEmptyEntries), acronym, expansion));
            phrases.Add((Normalize(expansion).Split(' ', StringSplitOptions.RemoveEmptyEntries), acronym, expansion));
        }

        phrases.RemoveAll(p => p.Words.Length == 0);
        phrases.Sort((a, b) => b.Words.Length.CompareTo(a.Words.Length));

        var parts = new List<(int Start, QueryPart Part)>();
        var used = new bool[words.Count];
        foreach (var (phraseWords, acronym, expansion) in phrases)
        {
            for (var i = 0; i + phraseWords.Length <= words.Count; i++)
            {
                if (Enumerable.Range(i, phraseWords.Length).Any(j => used[j] || words[j] != phraseWords[j - i]))
                {
                    continue;
                }

                for (var j = i; j < i + phraseWords.Length; j++)
                {
                    used[j] = true;
                }

                parts.Add((i, new QueryPart(string.Join(' ', phraseWords), [acronym, expansion])));
            }
        }

        for (var i = 0; i < words.Count; i++)
        {
            if (!used[i])
            {
                parts.Add((i, new QueryPart(words[i], [words[i]])));
            }
        }

        return parts.OrderBy(p => p.Start).Select(p => p.Part).ToList();
    }

    /// <summary>
    /// The exact query: every part in every weighted field, plus a bonus for the whole phrase. While typing
    /// (<paramref name="asYouType"/>), the last word may also be the start of a longer word.
    /// </summary>
    public Query? Build(string text, IReadOnlyDictionary<string, string> glossary, bool asYouType = false) =>
        Build(text, glossary, Synonyms.Empty, asYouType);

    /// <inheritdoc cref="Build(string, IReadOnlyDictionary{string, string}, bool)"/>
    /// <param name="inIndex">
    /// Whether some page has an analysed term. A compound that pages have is not also searched by its parts alone
    /// (which on a large handbook match nearly every page and cost the most); without it, the parts always count.
    /// </param>
    /// <param name="withoutBody">
    /// Leave the page text out: the search-as-you-type list looks in titles, aliases, tags and summaries first (a
    /// common word is in nearly every page's text, and scoring all of them costs the most).
    /// </param>
    public Query? Build(string text, IReadOnlyDictionary<string, string> glossary, Synonyms synonyms, bool asYouType = false, Func<string, bool>? inIndex = null,
        bool withoutBody = false)
    {
        var weighted = withoutBody ? SearchFields.Weighted.Where(f => f.Field != SearchFields.Body).ToList() : SearchFields.Weighted;
        ArgumentNullException.ThrowIfNull(synonyms);
        // Words typed apart are joined before fillers go: "budget hulp" is budgethulp, though "hulp" alone is a filler.
        var typed = WithSynonyms(Parts(text, glossary), synonyms);
        var allJoined = JoinedTerms(typed, inIndex);
        var kept = Kept(typed, allJoined);
        var parts = kept.Select(i => typed[i]).ToList();
        var joinedTerms = kept.Select(i => allJoined[i]).ToList();
        var query = new BooleanQuery();
        if (asYouType && parts.Count > 0 && parts[^1].Alternatives.Count == 1 && parts[^1].Text.Length is >= 2 and <= MaxExpandedWordLength)
        {
            var prefix = new DisjunctionMaxQuery(0.3f);
            foreach (var (field, boost) in weighted)
            {
                prefix.Add(new PrefixQuery(new Term(field, parts[^1].Text)) { Boost = boost * 0.8f });
            }

            query.Add(prefix, Occur.SHOULD);
        }

        for (var i = 0; i < parts.Count; i++)
        {
            var part = parts[i];
            var alternatives = new DisjunctionMaxQuery(0.3f);
            var any = false;
            foreach (var joined in joinedTerms[i])
            {
                foreach (var (field, boost) in weighted)
                {
                    alternatives.Add(new TermQuery(new Term(field, joined)) { Boost = boost * JoinedBoost });
                    any = true;
                }
            }

            foreach (var (alternative, weight) in part.Alternatives.Select(a => (a, 1f)).Concat(part.Synonyms.Select(s => (s, SynonymBoost))))
            {
                var terms = analyzer.Terms(SearchFields.Query, alternative);
                if (terms.Count == 0)
                {
                    continue;
                }

                // The parts of a compound for the words typed (and their acronyms), not for synonyms: those are the
                // handbook's own words, and each split adds clauses that match nearly every page of a large handbook.
                var compoundParts = terms.Count == 1 && weight >= 1f && alternative.Length <= MaxExpandedWordLength ? CompoundParts(alternative, terms[0].Term) : [];
                var partsAlone = compoundParts.Count >= 2 && inIndex?.Invoke(terms[0].Term) != true;
                foreach (var (field, boost) in weighted)
                {
                    var q = TermsQuery(field, terms, slop: 1);
                    q.Boost = boost * weight;
                    alternatives.Add(q);
                    any = true;
                    if (compoundParts.Count >= 2)
                    {
                        // "huurwaarborg" also finds "waarborg voor de huur", below the compound itself.
                        var split = new BooleanQuery { Boost = boost * weight * 0.4f };
                        foreach (var piece in compoundParts)
                        {
                            split.Add(new TermQuery(new Term(field, piece)), Occur.MUST);
                        }

                        alternatives.Add(split);
                        // A page with only some of the parts still counts, below the whole: Dutch compounds are
                        // right-headed ("energieschulden" are schulden), so the last part counts most; a longer
                        // compound's first part may carry its subject ("werkloosheidsuitkeringsaanvraag"). Only in
                        // the text: a title sharing one part ("kinderbijslag" for "kindergeld") must not outrank a
                        // page with the very word. Only for a compound no page has (see inIndex).
                        for (var p = 0; partsAlone && p < compoundParts.Count && field is SearchFields.Body or SearchFields.Summary; p++)
                        {
                            var partBoost = p == compoundParts.Count - 1 ? CompoundHeadBoost : CompoundPartBoost;
                            alternatives.Add(new TermQuery(new Term(field, compoundParts[p])) { Boost = boost * weight * partBoost });
                        }
                    }
                }
            }

            if (any)
            {
                query.Add(alternatives, Occur.SHOULD);
                var exact = new DisjunctionMaxQuery(0f);
                foreach (var alternative in part.Alternatives)
                {
                    var words = analyzer.Terms(SearchFields.Words, alternative);
                    foreach (var (field, boost) in words.Count == 0 ? [] : SearchFields.Exact)
                    {
                        var q = TermsQuery(field, words, slop: 0);
                        q.Boost = boost;
                        exact.Add(q);
                    }
                }

                if (exact.Disjuncts.Count > 0)
                {
                    query.Add(exact, Occur.SHOULD);
                }
            }
        }

        if (query.Clauses.Count == 0)
        {
            return null;
        }

        // The whole query as a phrase in the page text: see BodyPhrase (it scores only the first hits).
        var all = analyzer.Terms(SearchFields.Query, text);
        if (all.Count > 1)
        {
            foreach (var (field, boost) in new[] { (SearchFields.Title, 6f), (SearchFields.Aliases, 6f), (SearchFields.Tags, 4f) })
            {
                var phrase = TermsQuery(field, all, slop: 0);
                phrase.Boost = boost;
                query.Add(phrase, Occur.SHOULD);
            }
        }

        return query;
    }

    /// <summary>
    /// The whole query as an exact phrase in the page text, or null for a single word. It ranks "premie voor thuiszorg"
    /// above the same words scattered, but read for every page that has all the words it costs the most of a
    /// search on a large handbook: the index applies it to the first hits only (a rescoring).
    /// </summary>
    public Query? BodyPhrase(string text)
    {
        var all = analyzer.Terms(SearchFields.Query, text);
        return all.Count > 1 ? TermsQuery(SearchFields.Body, all, slop: 0) : null;
    }

    /// <summary>
    /// Adds what the synonym page says each part also means, in both directions. A phrase of the page ("op straat
    /// gezet") joins the words typed into one part, searched as a phrase; words are compared by their stems, so
    /// "uitkeringen" meets the page's "uitkering". Glossary parts keep their alternatives and may get synonyms too.
    /// </summary>
    public IReadOnlyList<QueryPart> WithSynonyms(IReadOnlyList<QueryPart> parts, Synonyms synonyms)
    {
        ArgumentNullException.ThrowIfNull(parts);
        ArgumentNullException.ThrowIfNull(synonyms);
        if (synonyms.Rows.Count == 0 || parts.Count == 0)
        {
            return parts;
        }

        var lookup = _stemmedSynonyms.GetValue(synonyms, StemmedLookup);
        var keys = parts.Select(p => Key(p.Text)).ToList();
        var result = new List<QueryPart>(parts.Count);
        for (var i = 0; i < parts.Count;)
        {
            var matched = false;
            for (var length = Math.Min(Synonyms.MaxPhraseWords, parts.Count - i); length >= 2 && !matched; length--)
            {
                // Plain words and one-word acronyms ("steun van het OCMW") join into a phrase; a glossary
                // expansion of several words keeps its own alternatives.
                if (Enumerable.Range(i, length).Any(j => parts[j].Alternatives.Count != 1 && parts[j].Text.Contains(' ', StringComparison.Ordinal))
                    || !lookup.TryGetValue(string.Join(' ', keys.Skip(i).Take(length)), out var found))
                {
                    continue;
                }

                var phrase = string.Join(' ', parts.Skip(i).Take(length).Select(p => p.Text));
                result.Add(new QueryPart(phrase, [phrase]) { Synonyms = found.Take(MaxSynonymsPerPart).ToList() });
                i += length;
                matched = true;
            }

            if (matched)
            {
                continue;
            }

            var part = parts[i];
            var also = part.Alternatives.Select(Key).Prepend(keys[i]).Distinct(StringComparer.Ordinal)
                .SelectMany(k => lookup.TryGetValue(k, out var list) ? list : [])
                .Where(s => !part.Alternatives.Contains(s, StringComparer.OrdinalIgnoreCase))
                .Distinct(StringComparer.OrdinalIgnoreCase).Take(MaxSynonymsPerPart).ToList();
            result.Add(also.Count == 0 ? part : part with { Synonyms = also });
            i++;
        }

        return result;
    }

    /// <summary>
    /// Drops the <see cref="Fillers"/> of a longer query, unless nothing with a search term would be left. A part that
    /// the synonym page or the glossary joined into a phrase is never a filler.
    /// </summary>
    public IReadOnlyList<QueryPart> WithoutFillers(IReadOnlyList<QueryPart> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        return Kept(parts, JoinedTerms(parts)).Select(i => parts[i]).ToList();
    }

    /// <summary>The indices of the parts that are no filler; a part joined with its neighbour into a word stays.</summary>
    private List<int> Kept(IReadOnlyList<QueryPart> parts, IReadOnlyList<List<string>> joined)
    {
        var filler = new bool[parts.Count];
        for (var i = 0; i < parts.Count; i++)
        {
            if (parts[i].Synonyms.Count == 0 && parts[i].Alternatives.Count == 1 && joined[i].Count == 0 && Fillers.Contains(parts[i].Text))
            {
                filler[i] = true;
            }

            foreach (var phrase in FillerPhrases)
            {
                if (parts[i].Text == string.Join(' ', phrase))
                {
                    filler[i] = true;
                }
                else if (phrase.Length > 1 && i + phrase.Length <= parts.Count
                    && Enumerable.Range(0, phrase.Length).All(j => parts[i + j].Text == phrase[j] && parts[i + j].Alternatives.Count == 1))
                {
                    for (var j = 0; j < phrase.Length; j++)
                    {
                        filler[i + j] = true;
                    }
                }
            }
        }

        var kept = Enumerable.Range(0, parts.Count).Where(i => !filler[i]).ToList();
        return kept.Count == parts.Count || !kept.Any(i => parts[i].Alternatives.Concat(parts[i].Synonyms).Any(a => analyzer.Terms(SearchFields.Query, a).Count > 0))
            ? Enumerable.Range(0, parts.Count).ToList()
            : kept;
    }

    /// <summary>
    /// Two or three plain words in a row that the Dutch word list, or the index, knows as one word ("huur waarborg",
    /// "uit huis zetting", "budget hulp", also with a linking s: "verblijf vergunning"): for each part, the analysed
    /// joined words it is in.
    /// The joined word becomes an alternative of each of its parts, so a page with "zakgeld" matches "zak geld" as
    /// fully as a page with both words.
    /// </summary>
    private List<string>[] JoinedTerms(IReadOnlyList<QueryPart> parts, Func<string, bool>? inIndex = null)
    {
        var joinedTerms = new List<string>[parts.Count];
        for (var i = 0; i < parts.Count; i++)
        {
            joinedTerms[i] = [];
        }

        for (var i = 0; i + 1 < parts.Count; i++)
        {
            foreach (var length in (int[])[3, 2])
            {
                if (i + length > parts.Count || Enumerable.Range(i, length).Any(j => !IsJoinable(parts[j])))
                {
                    continue;
                }

                var joined = Joined(parts.Skip(i).Take(length).Select(p => p.Text).ToList(), inIndex);
                if (joined is null || analyzer.Terms(SearchFields.Query, joined) is not [var term])
                {
                    continue;
                }

                for (var j = i; j < i + length; j++)
                {
                    joinedTerms[j].Add(term.Term);
                }

                break;
            }
        }

        return joinedTerms;
    }

    private static bool IsJoinable(QueryPart part) =>
        part.Alternatives.Count == 1 && part.Text.Length is >= 3 and <= 20 && part.Text.All(c => c is >= 'a' and <= 'z');

    /// <summary>The word of the list the words make together (as typed, or with a linking s), or null.</summary>
    private string? Joined(IReadOnlyList<string> words, Func<string, bool>? inIndex)
    {
        var list = DutchWords.List;
        if (words.Count == 2)
        {
            // Looked up without building the joined word: most pairs of words typed are no compound.
            if (list.ContainsJoined(words[0], words[1], linkingS: false))
            {
                return words[0] + words[1];
            }

            if (list.ContainsJoined(words[0], words[1], linkingS: true))
            {
                return words[0] + "s" + words[1];
            }
        }

        var plain = string.Concat(words);
        if (words.Count != 2 && list.Contains(plain))
        {
            return plain;
        }

        // A compound of the handbook's own that the list does not know ("budgethulp").
        var linked = words.Count == 2 ? string.Join('s', words) : null;
        bool Indexed(string word) => inIndex is not null && analyzer.Terms(SearchFields.Query, word) is [var only] && inIndex(only.Term);
        return Indexed(plain) ? plain : linked is not null && Indexed(linked) ? linked : null;
    }

    /// <summary>The synonym table keyed by stems, built once per version of the synonym page.</summary>
    private Dictionary<string, List<string>> StemmedLookup(Synonyms synonyms)
    {
        var stemmed = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (phrase, alternatives) in synonyms.Lookup)
        {
            var key = Key(phrase);
            if (!stemmed.TryGetValue(key, out var list))
            {
                stemmed[key] = list = [];
            }

            list.AddRange(alternatives.Where(a => !list.Contains(a, StringComparer.OrdinalIgnoreCase)));
        }

        return stemmed;
    }

    /// <summary>A phrase as the stems of its words (a stop word stays as it is), for comparing phrases.</summary>
    private string Key(string phrase) => string.Join(' ', Normalize(phrase).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(word =>
        word.Length > MaxExpandedWordLength ? word : analyzer.Terms(SearchFields.Query, word) is [var only] ? only.Term : word));

    /// <summary>
    /// The typo-tolerant query: each word may be one or two edits away (two for longer words). With
    /// <paramref name="include"/>, only the words it accepts (given as typed, normalised, and as analysed): the
    /// words no page contains that are no Dutch word either. <see cref="Fillers"/> are left out as in the exact query.
    /// </summary>
    /// <param name="withoutBody">While typing: titles, aliases, tags and summaries only, and one edit at most.</param>
    public Query? BuildFuzzy(string text, Func<string, string, bool>? include = null, bool withoutBody = false)
    {
        var words = Normalize(text).Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(MaxWords).ToList();
        var content = words.Where(w => !Fillers.Contains(w)).ToList();
        var query = new BooleanQuery();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var word in content.Count > 0 ? content : words)
        {
            if (analyzer.Terms(SearchFields.Query, word) is not [var (term, _)] || !seen.Add(term)
                || term.Length is < 4 or > MaxExpandedWordLength || (include is not null && !include(word, term)))
            {
                continue;
            }

            var edits = term.Length >= 7 && !withoutBody ? 2 : 1;
            var alternatives = new DisjunctionMaxQuery(0.3f);
            foreach (var (field, boost) in SearchFields.Weighted.Where(f => !withoutBody || f.Field != SearchFields.Body))
            {
                alternatives.Add(new FuzzyQuery(new Term(field, term), edits, prefixLength: 1) { Boost = boost });
            }

            query.Add(alternatives, Occur.SHOULD);
        }

        return query.Clauses.Count == 0 ? null : query;
    }

    /// <summary>A word of the Dutch word list, or a compound of its words: spelt right, whether or not a page has it.</summary>
    public static bool IsDutch(string word) =>
        word.Length <= MaxExpandedWordLength && (DutchWords.List.Contains(word) || CompoundSplitter.Dutch.Split(word).Count > 0);

    /// <summary>The known parts of a compound word (stemmed), without the whole word; empty when it is no compound.</summary>
    private List<string> CompoundParts(string word, string whole) =>
        analyzer.Terms(SearchFields.Compound, word).Select(t => t.Term).Where(t => t != whole).Distinct().ToList();

    /// <summary>Lower case, no diacritics, only letters, digits and '&amp;' between single spaces.</summary>
    public static string Normalize(string text)
    {
        var decomposed = (text ?? "").Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            sb.Append(char.IsLetterOrDigit(c) || c == '&' ? char.ToLowerInvariant(c) : ' ');
        }

        return string.Join(' ', sb.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    private static Query TermsQuery(string field, IReadOnlyList<(string Term, int Position)> terms, int slop)
    {
        if (terms.Count == 1)
        {
            return new TermQuery(new Term(field, terms[0].Term));
        }

        var phrase = new PhraseQuery { Slop = slop };
        foreach (var (term, position) in terms)
        {
            phrase.Add(new Term(field, term), position);
        }

        return phrase;
    }
}
