using Markdig.Extensions.Tables;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Handbook.Rendering.Glossary;

/// <summary>Glossary marking in a parsed page: acronyms become <see cref="GlossaryInline"/>s, glossary rows get anchors.</summary>
internal static class GlossaryMarker
{
    /// <summary>Marks every known acronym in running text (not in links or headings); the first of each links to its glossary row.</summary>
    public static void MarkAcronyms(MarkdownDocument document, Glossary glossary)
    {
        if (glossary.Pattern is not { } pattern)
        {
            return;
        }

        var linked = new HashSet<string>(StringComparer.Ordinal);
        var literals = document.Descendants<LiteralInline>()
            .Where(l => l.FindParentOfType<LinkInline>().FirstOrDefault() is null)
            .Where(l => l.Parent?.ParentBlock is not HeadingBlock)
            .ToList();
        foreach (var literal in literals)
        {
            var text = literal.Content.ToString();
            System.Text.RegularExpressions.MatchCollection matches;
            try
            {
                matches = pattern.Matches(text);
                if (matches.Count == 0)
                {
                    continue;
                }
            }
            catch (System.Text.RegularExpressions.RegexMatchTimeoutException)
            {
                // An unusual glossary or text: the page is shown without acronym marks rather than not at all.
                return;
            }

            Inline previous = literal;
            var position = 0;
            foreach (System.Text.RegularExpressions.Match match in matches)
            {
                if (match.Index > position)
                {
                    previous = Insert(previous, new LiteralInline(text[position..match.Index]));
                }

                previous = Insert(previous, new GlossaryInline
                {
                    Acronym = match.Value,
                    Expansion = glossary.Entries[match.Value],
                    Href = linked.Add(match.Value) ? "/wiki/" + glossary.PageOf(match.Value) + "#" + MarkdownRenderer.IdPrefix + Glossary.Anchor(match.Value) : null,
                });
                position = match.Index + match.Length;
            }

            if (position < text.Length)
            {
                Insert(previous, new LiteralInline(text[position..]));
            }

            literal.Remove();
        }
    }

    private static Inline Insert(Inline after, Inline inline)
    {
        after.InsertAfter(inline);
        return inline;
    }

    /// <summary>On the glossary page itself: each acronym's table row gets its anchor.</summary>
    public static void AnchorRows(MarkdownDocument document, Glossary glossary)
    {
        foreach (var row in document.Descendants<TableRow>())
        {
            if (row.FirstOrDefault() is TableCell { Count: > 0 } cell && cell[0] is ParagraphBlock { Inline: { } inline })
            {
                var acronym = MarkdownRenderer.InlineText(inline).Trim('*', '`', ' ');
                if (glossary.Entries.ContainsKey(acronym))
                {
                    row.GetAttributes().Id = Glossary.Anchor(acronym);
                }
            }
        }
    }
}
