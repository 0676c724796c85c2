using System.Text;
using Lucene.Net.Analysis.TokenAttributes;

namespace Handbook.Search;

/// <summary>
/// A snippet of a page's text around the densest cluster of matched words, with those words in <c>&lt;mark&gt;</c>.
/// Lucene.Net.Highlighter is not available, so the stored text is analysed again with offsets and every token whose
/// term the query matched is marked. All text is HTML-escaped; the only markup is our own <c>&lt;mark&gt;</c>.
/// </summary>
public sealed class SnippetHighlighter(HandbookAnalyzer analyzer)
{
    public const int Length = 220;

    /// <summary>How much of a page's text is searched for the snippet.</summary>
    public const int MaxAnalysed = 6000;

    public string Highlight(string text, IReadOnlySet<string> terms, string field = SearchFields.Body)
    {
        ArgumentNullException.ThrowIfNull(terms);
        text = (text ?? "").Replace('\r', ' ').Replace('\n', ' ');
        // A snippet comes from the start of the text: analysing all of a 20 KB page for every hit made search slow.
        if (text.Length > MaxAnalysed)
        {
            text = text[..MaxAnalysed];
        }

        // Analysing 6,000 characters for each of 20 hits was most of a search's time. A plain text scan finds where
        // the matched terms probably are; only the stretch around the likeliest snippet is analysed, so what is
        // marked is still exactly what the analyzer matched. If that stretch holds no real match, all is analysed.
        var (from, to) = (0, text.Length);
        if (Candidates(text, terms) is { Count: > 0 } candidates)
        {
            var around = WindowStart(text, candidates);
            from = WordStart(text, Math.Max(0, around - 40));
            to = WordEnd(text, Math.Min(text.Length, around + (2 * Length)));
        }

        var matches = Matches(text, from, to, terms, field);
        if (matches.Count == 0 && (from, to) != (0, text.Length))
        {
            (from, to) = (0, text.Length);
            matches = Matches(text, from, to, terms, field);
        }

        var start = matches.Count > 0 ? WindowStart(text, matches) : 0;

        var end = Math.Min(text.Length, start + Length);
        while (end < text.Length && !char.IsWhiteSpace(text[end]) && end - start < Length + 30)
        {
            end++;
        }

        // The snippet may reach a little beyond the analysed stretch: analyse that too.
        if (start < from)
        {
            matches.InsertRange(0, Matches(text, start, from, terms, field));
        }

        if (end > to)
        {
            matches.AddRange(Matches(text, to, WordEnd(text, end), terms, field));
        }

        var html = new StringBuilder();
        if (start > 0)
        {
            html.Append("… ");
        }

        var at = start;
        foreach (var (s, e) in matches.Where(m => m.Start >= start && m.End <= end))
        {
            html.Append(Escape(text[at..s])).Append("<mark>").Append(Escape(text[s..e])).Append("</mark>");
            at = e;
        }

        html.Append(Escape(text[at..end]));
        if (end < text.Length)
        {
            html.Append(" …");
        }

        return html.ToString().Trim();
    }

    /// <summary>Where the snippet starts: a little before the window of one snippet length that holds the most matches.</summary>
    private static int WindowStart(string text, List<(int Start, int End)> matches)
    {
        // Two pointers, linear.
        var best = 0;
        var bestCount = -1;
        var last = 0;
        for (var i = 0; i < matches.Count; i++)
        {
            last = Math.Max(last, i);
            while (last + 1 < matches.Count && matches[last + 1].End <= matches[i].Start + Length - 40)
            {
                last++;
            }

            var count = matches[i].End <= matches[i].Start + Length - 40 ? last - i + 1 : 0;
            if (count > bestCount)
            {
                (best, bestCount) = (i, count);
            }
        }

        return WordStart(text, Math.Max(0, matches[best].Start - 40));
    }

    private static int WordStart(string text, int at)
    {
        while (at > 0 && !char.IsWhiteSpace(text[at - 1]))
        {
            at--;
        }

        return at;
    }

    private static int WordEnd(string text, int at)
    {
        while (at < text.Length && !char.IsWhiteSpace(text[at]))
        {
            at++;
        }

        return at;
    }

    /// <summary>
    /// Where the terms probably occur, found without the analyzer: the text and the terms are lower-cased, stripped
    /// of diacritics and their doubled vowels made single (the Dutch stemmer does that: "leefloon" → "leeflon",
    /// "aanvraag" → "aanvrag"), and each term is looked for as plain text. A stem is then part of the words it
    /// comes from, and a compound's part is part of the compound.
    /// </summary>
    private static List<(int Start, int End)> Candidates(string text, IReadOnlySet<string> terms)
    {
        var found = new List<(int Start, int End)>();
        var (plain, offsets) = Simplify(text);
        // A stem and its whole word ("hur", "huur") simplify alike: each place counts once.
        foreach (var needle in terms.Select(t => Simplify(t).Text).Where(t => t.Length >= 3).Distinct())
        {
            for (var at = plain.IndexOf(needle, StringComparison.Ordinal); at >= 0; at = plain.IndexOf(needle, at + needle.Length, StringComparison.Ordinal))
            {
                found.Add((offsets[at], offsets[at + needle.Length - 1] + 1));
            }
        }

        found.Sort();
        var merged = new List<(int Start, int End)>(found.Count);
        foreach (var (start, end) in found)
        {
            if (merged.Count > 0 && start < merged[^1].End)
            {
                merged[^1] = (merged[^1].Start, Math.Max(merged[^1].End, end));
            }
            else
            {
                merged.Add((start, end));
            }
        }

        return merged;
    }

    /// <summary>Lower case, no diacritics, doubled vowels single; with the offset in the original of each character.</summary>
    private static (string Text, int[] Offsets) Simplify(string text)
    {
        var chars = new char[text.Length];
        var offsets = new int[text.Length];
        var length = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i] < Folded.Length ? Folded[text[i]] : char.ToLowerInvariant(text[i]);
            if (length > 0 && c == chars[length - 1] && c is 'a' or 'e' or 'o' or 'u')
            {
                continue;
            }

            chars[length] = c;
            offsets[length++] = i;
        }

        return (new string(chars, 0, length), offsets);
    }

    /// <summary>Latin letters lower-cased and without their diacritic ("Ï" → "i"), one character for one.</summary>
    private static readonly char[] Folded = Enumerable.Range(0, 0x250).Select(i =>
    {
        var lower = char.ToLowerInvariant((char)i);
        var decomposed = lower.ToString().Normalize(NormalizationForm.FormD);
        return decomposed.Length > 0 && char.IsAsciiLetter(decomposed[0]) ? decomposed[0] : lower;
    }).ToArray();

    /// <summary>Escapes what HTML gives meaning to; other characters (é, ï…) stay readable as they are.</summary>
    public static string Escape(string text) => text
        .Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal)
        .Replace("\"", "&quot;", StringComparison.Ordinal)
        .Replace("'", "&#39;", StringComparison.Ordinal);

    /// <summary>The tokens of text[from..to] whose term is one of <paramref name="terms"/>, as offsets into the text.</summary>
    private List<(int Start, int End)> Matches(string text, int from, int to, IReadOnlySet<string> terms, string field)
    {
        var matches = new List<(int, int)>();
        if (terms.Count == 0 || to <= from)
        {
            return matches;
        }

        using var stream = analyzer.GetTokenStream(field, new StringReader(text[from..to]));
        var term = stream.AddAttribute<ICharTermAttribute>();
        var offset = stream.AddAttribute<IOffsetAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            if (!terms.Contains(term.ToString()))
            {
                continue;
            }

            // The parts of a compound carry the compound's offsets: one mark for the word, not one per part.
            var (start, end) = (from + offset.StartOffset, from + offset.EndOffset);
            if (matches.Count > 0 && start < matches[^1].Item2)
            {
                matches[^1] = (Math.Min(matches[^1].Item1, start), Math.Max(matches[^1].Item2, end));
            }
            else
            {
                matches.Add((start, end));
            }
        }

        stream.End();
        return matches;
    }
}
