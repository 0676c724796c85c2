using Lucene.Net.Index;
using Lucene.Net.Util;

namespace Handbook.Search;

/// <summary>
/// "Did you mean": for each word of the query that no page contains, the closest whole word the handbook does contain
/// (at most two edits away; of equals, the most common). Words come from the index's <see cref="SearchFields.Words"/> field.
/// </summary>
public sealed class SpellingSuggester(HandbookAnalyzer analyzer)
{
    // The index's words, read once per reader (a reader is one state of the index): reading them all for each
    // search without results cost most of its time on a large handbook.
    // By first letter: a typo rarely changes the first letter (as the typo-tolerant query assumes too), and
    // comparing with only those words is some twenty times less work.
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<IndexReader, Dictionary<char, List<(string Word, int Freq)>>> _vocabularies = new();

    /// <param name="known">Words that are right although no page contains them (the glossary's, the synonym page's).</param>
    public string? Suggest(IndexReader reader, string text, Func<string, bool>? known = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var words = analyzer.Terms(SearchFields.Words, text).Select(t => t.Term).ToList();
        if (words.Count == 0)
        {
            return null;
        }

        var changed = false;
        var corrected = new List<string>(words.Count);
        Dictionary<char, List<(string Word, int Freq)>>? vocabulary = null;
        foreach (var word in words)
        {
            if (word.Length is < 4 or > SearchQueryBuilder.MaxExpandedWordLength || word.Any(char.IsDigit) || reader.DocFreq(new Term(SearchFields.Words, word)) > 0
                || known?.Invoke(word) == true)
            {
                corrected.Add(word);
                continue;
            }

            vocabulary ??= _vocabularies.GetValue(reader, Vocabulary);
            var maxEdits = word.Length >= 7 ? 2 : 1;
            var best = (vocabulary.TryGetValue(word[0], out var sameStart) ? sameStart : [])
                .Select(v => (v.Word, v.Freq, Distance: Math.Abs(v.Word.Length - word.Length) > maxEdits ? int.MaxValue : Distance(word, v.Word)))
                .Where(v => v.Distance <= maxEdits)
                .OrderBy(v => v.Distance).ThenByDescending(v => v.Freq).ThenBy(v => v.Word, StringComparer.Ordinal)
                .Select(v => v.Word)
                .FirstOrDefault();
            corrected.Add(best ?? word);
            changed |= best is not null;
        }

        return changed ? string.Join(' ', corrected) : null;
    }

    private static Dictionary<char, List<(string Word, int Freq)>> Vocabulary(IndexReader reader)
    {
        var byStart = new Dictionary<char, List<(string, int)>>();
        var terms = MultiFields.GetTerms(reader, SearchFields.Words);
        if (terms is null)
        {
            return byStart;
        }

        var e = terms.GetEnumerator();
        while (e.MoveNext())
        {
            var word = e.Term.Utf8ToString();
            if (word.Length == 0)
            {
                continue;
            }

            if (!byStart.TryGetValue(word[0], out var list))
            {
                byStart[word[0]] = list = [];
            }

            list.Add((word, e.DocFreq));
        }

        return byStart;
    }

    /// <summary>Optimal string alignment distance: a swap of two neighbours ("brog"/"borg") counts as one edit.</summary>
    public static int Distance(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
