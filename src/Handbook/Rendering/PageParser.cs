using System.Text;
using Handbook.Rendering.WikiLinks;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Handbook.Rendering;

/// <summary>
/// A page read for the catalog and search: metadata, title, wiki link targets and plain text, without rendering HTML,
/// with the renderer's limits (a page beyond them is listed with its problem).
/// </summary>
public static class PageParser
{
    /// <summary>Reads metadata, title, wiki link targets and plain text without rendering HTML.</summary>
    /// <param name="markdown">The page text.</param>
    /// <param name="pageName">The title to use when the page has none.</param>
    /// <param name="titleOf">The title of a wiki link's target page, for a link without a label: the plain text (search and
    /// its snippets) then reads "Uithuiszetting voorkomen" instead of "procedures/uithuiszetting-voorkomen".</param>
    public static ParsedPage Parse(string markdown, string pageName, Func<string, string?>? titleOf = null)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        markdown = MarkdownRenderer.WithoutByteOrderMark(markdown);
        try
        {
            return ParseCore(markdown, pageName, titleOf);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // One page's text never stops the catalog: the page is listed with its problem and shown as plain text.
            var meta = MarkdownRenderer.SafeFrontMatter(markdown);
            return new ParsedPage(meta, meta.Title ?? pageName, [], markdown) { Problem = new RenderProblem(RenderProblemKind.Unreadable, Detail: e.GetType().Name) };
        }
    }

    private static ParsedPage ParseCore(string markdown, string pageName, Func<string, string?>? titleOf)
    {
        if (markdown.Length > MarkdownRenderer.MaxFormattedChars)
        {
            var front = MarkdownRenderer.SafeFrontMatter(markdown);
            return new ParsedPage(front, front.Title ?? pageName, [], markdown) { Problem = new RenderProblem(RenderProblemKind.TooLarge, markdown.Length, MarkdownRenderer.MaxFormattedChars) };
        }

        if (MarkdownShape.Check(markdown) is { } tooMany)
        {
            var front = MarkdownRenderer.SafeFrontMatter(markdown);
            return new ParsedPage(front, front.Title ?? pageName, [], markdown) { Problem = tooMany };
        }

        if (MarkdownRenderer.TryParseDocument(markdown) is not { } document)
        {
            var front = MarkdownRenderer.SafeFrontMatter(markdown);
            return new ParsedPage(front, front.Title ?? pageName, [], markdown) { Problem = new RenderProblem(RenderProblemKind.TooDeep) };
        }

        var meta = MarkdownRenderer.ReadFrontMatter(document);
        var links = new List<string>();
        var text = new StringBuilder(markdown.Length);
        string? firstHeading = null;
        // One walk over the blocks: plain text for search, wiki link targets for the catalog, the first H1.
        foreach (var block in LeafBlocks(document))
        {
            if (block is YamlFrontMatterBlock)
            {
                continue;
            }

            if (block.Inline is { } inline)
            {
                for (var node = inline.FirstChild; node is not null; node = Next(node, inline))
                {
                    switch (node)
                    {
                        case LiteralInline literal:
                            text.Append(literal.Content.AsSpan());
                            break;
                        case CodeInline code:
                            text.Append(code.Content);
                            break;
                        case WikiLinkInline wiki:
                            links.Add(wiki.Target);
                            text.Append(wiki.Label ?? titleOf?.Invoke(wiki.Target) ?? wiki.Target);
                            break;
                        case LineBreakInline:
                            text.Append(' ');
                            break;
                    }
                }

                if (firstHeading is null && block is HeadingBlock { Level: 1 })
                {
                    firstHeading = MarkdownRenderer.InlineText(inline);
                }

                text.Append('\n');
            }
            else if (block is CodeBlock code)
            {
                text.Append(code.Lines.ToString()).Append('\n');
            }
        }

        return new ParsedPage(meta, meta.Title ?? firstHeading ?? pageName, links.Distinct(StringComparer.Ordinal).ToList(), text.ToString());
    }

    /// <summary>Leaf blocks in document order, without walking into inlines (Markdig's Descendants does).</summary>
    private static IEnumerable<LeafBlock> LeafBlocks(ContainerBlock container)
    {
        foreach (var block in container)
        {
            if (block is LeafBlock leaf)
            {
                yield return leaf;
            }
            else if (block is ContainerBlock child)
            {
                foreach (var inner in LeafBlocks(child))
                {
                    yield return inner;
                }
            }
        }
    }

    /// <summary>Depth-first successor of an inline within <paramref name="root"/>, without allocating an enumerator.</summary>
    private static Inline? Next(Inline node, ContainerInline root)
    {
        if (node is ContainerInline { FirstChild: { } child })
        {
            return child;
        }

        for (Inline? current = node; current is not null && current != root; current = current.Parent)
        {
            if (current.NextSibling is { } sibling)
            {
                return sibling;
            }
        }

        return null;
    }
}
