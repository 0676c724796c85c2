using Lucene.Net.Index;
using Lucene.Net.Util;

namespace Handbook.Search;

/// <summary>
/// "Did you mean": for each word of the query that no page contains, the closest whole word the handbook does contain
/// (at most two edits away; of equals, the most common). Words come from the index's <see cref="SearchFields.Words"/> field.
/// </summary>
public sealed class SpellingSuggester(HandbookAnalyzer analyzer)
{
    public string? Suggest(IndexReader reader, string text)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var words = analyzer.Terms(SearchFields.Words, text).Select(t => t.Term).ToList();
        if (words.Count == 0)
        {
            return null;
        }

        var changed = false;
        var corrected = new List<string>(words.Count);
        List<(string Word, int Freq)>? vocabulary = null;
        foreach (var word in words)
        {
            if (word.Length is < 4 or > SearchQueryBuilder.MaxExpandedWordLength || word.Any(char.IsDigit) || reader.DocFreq(new Term(SearchFields.Words, word)) > 0)
            {
                corrected.Add(word);
                continue;
            }

            vocabulary ??= Vocabulary(reader);
            var maxEdits = word.Length >= 7 ? 2 : 1;
            var best = vocabulary
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

    private static List<(string Word, int Freq)> Vocabulary(IndexReader reader)
    {
        var list = new List<(string, int)>();
        var terms = MultiFields.GetTerms(reader, SearchFields.Words);
        if (terms is null)
        {
            return list;
        }

        var e = terms.GetEnumerator();
        while (e.MoveNext())
        {
            list.Add((e.Term.Utf8ToString(), e.DocFreq));
        }

        return list;
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
