using Markdig;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Handbook.Rendering.Callouts;

/// <summary>
/// Turns a block quote whose first line is <c>[!LET OP]</c>, <c>[!TIP]</c> or <c>[!WETGEVING]</c> into an
/// accessible call-out box (<c>&lt;aside role="note"&gt;</c> with a visible title).
/// </summary>
public sealed class CalloutExtension : IMarkdownExtension
{
    internal const string DataKey = "handbook-callout";

    /// <summary>Known call-out kinds: marker → (css suffix, visible title).</summary>
    public static readonly IReadOnlyDictionary<string, (string Css, string Title)> Kinds =
        new Dictionary<string, (string, string)>(StringComparer.OrdinalIgnoreCase)
        {
            ["LET OP"] = ("letop", "Let op"),
            ["TIP"] = ("tip", "Tip"),
            ["WETGEVING"] = ("wetgeving", "Wetgeving"),
            ["INFO"] = ("info", "Info"),
        };

    public void Setup(MarkdownPipelineBuilder pipeline)
    {
        pipeline.DocumentProcessed -= MarkCallouts;
        pipeline.DocumentProcessed += MarkCallouts;
    }

    public void Setup(MarkdownPipeline pipeline, IMarkdownRenderer renderer)
    {
        if (renderer is HtmlRenderer html)
        {
            html.ObjectRenderers.ReplaceOrAdd<QuoteBlockRenderer>(new CalloutRenderer());
        }
    }

    private static void MarkCallouts(MarkdownDocument document)
    {
        foreach (var quote in document.Descendants<QuoteBlock>())
        {
            if (quote.Count == 0 || quote[0] is not ParagraphBlock { Inline: { } inline } paragraph)
            {
                continue;
            }

            // The marker is the first line: literals up to the first line break.
            var marker = new System.Text.StringBuilder();
            var consumed = new List<Inline>();
            for (var node = inline.FirstChild; node is not null and not LineBreakInline; node = node.NextSibling)
            {
                if (node is not LiteralInline literal)
                {
                    marker.Clear();
                    break;
                }

                marker.Append(literal.Content.ToString());
                consumed.Add(node);
            }

            var text = marker.ToString().Trim();
            if (text.Length < 4 || text[0] != '[' || text[1] != '!' || text[^1] != ']'
                || !Kinds.TryGetValue(text[2..^1].Trim(), out var kind))
            {
                continue;
            }

            foreach (var node in consumed)
            {
                node.Remove();
            }

            if (inline.FirstChild is LineBreakInline lineBreak)
            {
                lineBreak.Remove();
            }

            if (inline.FirstChild is null)
            {
                quote.Remove(paragraph);
            }

            quote.SetData(DataKey, kind);
        }
    }

    private sealed class CalloutRenderer : QuoteBlockRenderer
    {
        protected override void Write(HtmlRenderer renderer, QuoteBlock block)
        {
            if (block.GetData(DataKey) is not ValueTuple<string, string> kind)
            {
                base.Write(renderer, block);
                return;
            }

            renderer.EnsureLine();
            renderer.Write("<aside class=\"callout callout-").Write(kind.Item1).Write("\" role=\"note\" aria-label=\"")
                .WriteEscape(kind.Item2).Write("\">");
            renderer.Write("<p class=\"callout-title\">").WriteEscape(kind.Item2).Write("</p>").WriteLine();
            var implicitParagraph = renderer.ImplicitParagraph;
            renderer.ImplicitParagraph = false;
            renderer.WriteChildren(block);
            renderer.ImplicitParagraph = implicitParagraph;
            renderer.Write("</aside>").WriteLine();
        }
    }
}
