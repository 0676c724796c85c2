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

        var matches = Matches(text, terms, field);
        var start = 0;
        if (matches.Count > 0)
        {
            // The window of one snippet length that holds the most matches (two pointers, linear).
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

            start = Math.Max(0, matches[best].Start - 40);
            // Start at a word boundary.
            while (start > 0 && !char.IsWhiteSpace(text[start - 1]))
            {
                start--;
            }
        }

        var end = Math.Min(text.Length, start + Length);
        while (end < text.Length && !char.IsWhiteSpace(text[end]) && end - start < Length + 30)
        {
            end++;
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

    /// <summary>Escapes what HTML gives meaning to; other characters (é, ï…) stay readable as they are.</summary>
    public static string Escape(string text) => text
        .Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal)
        .Replace("\"", "&quot;", StringComparison.Ordinal)
        .Replace("'", "&#39;", StringComparison.Ordinal);

    private List<(int Start, int End)> Matches(string text, IReadOnlySet<string> terms, string field)
    {
        var matches = new List<(int, int)>();
        if (terms.Count == 0)
        {
            return matches;
        }

        using var stream = analyzer.GetTokenStream(field, new StringReader(text));
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
            var (start, end) = (offset.StartOffset, offset.EndOffset);
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
