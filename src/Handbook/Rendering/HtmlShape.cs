namespace Handbook.Rendering;

/// <summary>
/// How deep and how many the elements of an HTML text are, measured in one pass without building a DOM, so that a
/// page whose raw HTML would make the sanitiser's parser slow (it grows worse than linearly with nesting) is
/// recognised before it is parsed.
/// </summary>
public static class HtmlShape
{
    private static readonly HashSet<string> Void = new(StringComparer.OrdinalIgnoreCase)
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
    };

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> VoidByName = Void.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>
    /// The greatest nesting of elements and the number of start tags. Unclosed elements count as open to the end, as
    /// they stay open in a parser's stack; end tags without a start tag are ignored. Comments are skipped.
    /// </summary>
    public static (int MaxDepth, int Elements) Measure(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        var depth = 0;
        var max = 0;
        var elements = 0;
        var i = 0;
        while ((i = html.IndexOf('<', i)) >= 0 && i + 1 < html.Length)
        {
            if (string.CompareOrdinal(html, i, "<!--", 0, 4) == 0)
            {
                var end = html.IndexOf("-->", i + 4, StringComparison.Ordinal);
                i = end < 0 ? html.Length : end + 3;
                continue;
            }

            var closing = html[i + 1] == '/';
            var nameStart = closing ? i + 2 : i + 1;
            var nameEnd = nameStart;
            while (nameEnd < html.Length && char.IsAsciiLetterOrDigit(html[nameEnd]))
            {
                nameEnd++;
            }

            if (nameEnd == nameStart || !char.IsAsciiLetter(html[nameStart]))
            {
                i++;
                continue;
            }

            var close = html.IndexOf('>', nameEnd);
            if (close < 0)
            {
                break;
            }

            if (closing)
            {
                depth = Math.Max(0, depth - 1);
            }
            else
            {
                elements++;
                var selfClosing = html[close - 1] == '/';
                if (!selfClosing && !VoidByName.Contains(html.AsSpan(nameStart, nameEnd - nameStart)))
                {
                    max = Math.Max(max, ++depth);
                }
            }

            i = close + 1;
        }

        return (max, elements);
    }
}
