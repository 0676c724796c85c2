using Markdig.Helpers;
using Markdig.Parsers;

namespace Handbook.Rendering.WikiLinks;

/// <summary>Parses <c>[[target|label]]</c>. Anything else starting with '[' is left to the normal link parser.</summary>
public sealed class WikiLinkParser : InlineParser
{
    private const int MaxLength = 300;

    public WikiLinkParser() => OpeningCharacters = ['['];

    public override bool Match(InlineProcessor processor, ref StringSlice slice)
    {
        if (slice.PeekCharExtra(1) != '[')
        {
            return false;
        }

        var text = slice.Text;
        var start = slice.Start + 2;
        var end = text.IndexOf("]]", start, Math.Min(MaxLength, slice.End - start + 1), StringComparison.Ordinal);
        if (end < 0)
        {
            return false;
        }

        var inner = text[start..end];
        if (inner.Length == 0 || inner.Contains('\n', StringComparison.Ordinal) || inner.Contains('[', StringComparison.Ordinal))
        {
            return false;
        }

        var bar = inner.IndexOf('|', StringComparison.Ordinal);
        var target = (bar < 0 ? inner : inner[..bar]).Trim();
        var label = bar < 0 ? null : inner[(bar + 1)..].Trim();
        if (target.Length == 0)
        {
            return false;
        }

        processor.Inline = new WikiLinkInline
        {
            Target = target,
            Label = string.IsNullOrEmpty(label) ? null : label,
            Span = new Markdig.Syntax.SourceSpan(processor.GetSourcePosition(slice.Start, out var line, out var column), processor.GetSourcePosition(end + 1)),
            Line = line,
            Column = column,
        };
        slice.Start = end + 2;
        return true;
    }
}
