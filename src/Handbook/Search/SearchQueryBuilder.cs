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
    public Query? Build(string text, IReadOnlyDictionary<string, string> glossary, Synonyms synonyms, bool asYouType = false)
    {
        ArgumentNullException.ThrowIfNull(synonyms);
        var parts = WithSynonyms(Parts(text, glossary), synonyms);
        var query = new BooleanQuery();
        if (asYouType && parts.Count > 0 && parts[^1].Alternatives.Count == 1 && parts[^1].Text.Length is >= 2 and <= MaxExpandedWordLength)
        {
            var prefix = new DisjunctionMaxQuery(0.3f);
            foreach (var (field, boost) in SearchFields.Weighted)
            {
                prefix.Add(new PrefixQuery(new Term(field, parts[^1].Text)) { Boost = boost * 0.8f });
            }

            query.Add(prefix, Occur.SHOULD);
        }

        foreach (var part in parts)
        {
            var alternatives = new DisjunctionMaxQuery(0.3f);
            var any = false;
            foreach (var (alternative, weight) in part.Alternatives.Select(a => (a, 1f)).Concat(part.Synonyms.Select(s => (s, SynonymBoost))))
            {
                var terms = analyzer.Terms(SearchFields.Query, alternative);
                if (terms.Count == 0)
                {
                    continue;
                }

                var compoundParts = terms.Count == 1 && alternative.Length <= MaxExpandedWordLength ? CompoundParts(alternative, terms[0].Term) : [];
                foreach (var (field, boost) in SearchFields.Weighted)
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

        var all = analyzer.Terms(SearchFields.Query, text);
        if (all.Count > 1)
        {
            foreach (var (field, boost) in new[] { (SearchFields.Title, 6f), (SearchFields.Aliases, 6f), (SearchFields.Tags, 4f), (SearchFields.Body, 3f) })
            {
                var phrase = TermsQuery(field, all, slop: 0);
                phrase.Boost = boost;
                query.Add(phrase, Occur.SHOULD);
            }
        }

        return query;
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
                // Only plain words join into a phrase; an acronym part keeps its own alternatives.
                if (Enumerable.Range(i, length).Any(j => parts[j].Alternatives.Count != 1)
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

    /// <summary>The typo-tolerant query: each word may be one or two edits away (two for longer words).</summary>
    public Query? BuildFuzzy(string text)
    {
        var query = new BooleanQuery();
        foreach (var (term, _) in analyzer.Terms(SearchFields.Query, text).DistinctBy(t => t.Term).Take(MaxWords))
        {
            if (term.Length is < 4 or > MaxExpandedWordLength)
            {
                continue;
            }

            var edits = term.Length >= 7 ? 2 : 1;
            var alternatives = new DisjunctionMaxQuery(0.3f);
            foreach (var (field, boost) in SearchFields.Weighted)
            {
                alternatives.Add(new FuzzyQuery(new Term(field, term), edits, prefixLength: 1) { Boost = boost });
            }

            query.Add(alternatives, Occur.SHOULD);
        }

        return query.Clauses.Count == 0 ? null : query;
    }

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
