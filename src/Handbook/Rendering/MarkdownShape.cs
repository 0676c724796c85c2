namespace Handbook.Rendering;

/// <summary>
/// Finds Markdown that Markdig would take seconds or minutes to parse, before it is parsed. Its inline parser is
/// fast on what people write, but its time grows with the square of the link openers (<c>[</c>) and emphasis
/// delimiters (<c>*</c>, <c>_</c>, <c>~</c>, …) in one run of inline text (100 KB of <c>[a](b</c> took 2.3 s, 2 MB
/// would take minutes), and with their total (2 MB of them took 5–35 s). Markdig parses inline text per paragraph (a
/// whole table or list is one run here), so counts are kept per block of lines between blank lines. Real pages have a
/// few hundred of each.
/// </summary>
public static class MarkdownShape
{
    /// <summary>More single <c>[</c> in one block than this is refused (<c>[[wiki links]]</c> do not count).</summary>
    public const int MaxBracketsPerBlock = 2_000;

    /// <summary>More runs of emphasis delimiters in one block than this is refused.</summary>
    public const int MaxDelimitersPerBlock = 4_000;

    /// <summary>More single <c>[</c> in the whole page than this is refused (as many as the formatted elements allowed).</summary>
    public const int MaxBrackets = MarkdownRenderer.MaxFormattedElements;

    /// <summary>More runs of emphasis delimiters in the whole page than this is refused.</summary>
    public const int MaxDelimiters = 2 * MarkdownRenderer.MaxFormattedElements;

    /// <summary>The sum over blocks of the squares of their counts: what the quadratic part of parsing costs.</summary>
    public const long MaxQuadraticCost = 2L * MaxDelimitersPerBlock * MaxDelimitersPerBlock;

    /// <summary>Null when the text is safe to parse, else the reason.</summary>
    public static RenderProblem? Check(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        long brackets = 0, delimiters = 0, totalBrackets = 0, totalDelimiters = 0, cost = 0;
        var blank = true;
        for (var i = 0; i <= markdown.Length; i++)
        {
            var c = i < markdown.Length ? markdown[i] : '\n';
            if (c == '\n')
            {
                if (blank || i == markdown.Length)
                {
                    cost += (brackets * brackets) + (delimiters * delimiters);
                    totalBrackets += brackets;
                    totalDelimiters += delimiters;
                    brackets = delimiters = 0;
                    if (cost > MaxQuadraticCost || totalBrackets > MaxBrackets || totalDelimiters > MaxDelimiters)
                    {
                        return new RenderProblem(RenderProblemKind.TooManyBrackets, Limit: MaxBrackets);
                    }
                }

                blank = true;
                continue;
            }

            if (c is ' ' or '\t' or '\r')
            {
                continue;
            }

            blank = false;
            if (c == '[')
            {
                // A wiki link is read by our own parser in one step; an unclosed "[[" is two openers for Markdig.
                if (WikiLinkEnd(markdown, i) is var end and > 0)
                {
                    i = end;
                }
                else if (++brackets > MaxBracketsPerBlock)
                {
                    return new RenderProblem(RenderProblemKind.TooManyBracketsInBlock, Limit: MaxBracketsPerBlock);
                }
            }
            else if (c is '*' or '_' or '~' or '=' or '+' or '^' && (i == 0 || markdown[i - 1] != c)
                     && ++delimiters > MaxDelimitersPerBlock)
            {
                return new RenderProblem(RenderProblemKind.TooManyDelimitersInBlock, Limit: MaxDelimitersPerBlock);
            }
        }

        return null;
    }

    /// <summary>The index of the closing "]]" when a wiki link starts at <paramref name="i"/> (as WikiLinkParser reads it), else -1.</summary>
    private static int WikiLinkEnd(string markdown, int i)
    {
        if (i + 1 >= markdown.Length || markdown[i + 1] != '[')
        {
            return -1;
        }

        var limit = Math.Min(markdown.Length - 1, i + 2 + 300);
        for (var j = i + 2; j < limit; j++)
        {
            switch (markdown[j])
            {
                case ']' when markdown[j + 1] == ']':
                    return j > i + 2 ? j + 1 : -1;
                case '\n' or '[':
                    return -1;
            }
        }

        return -1;
    }
}
