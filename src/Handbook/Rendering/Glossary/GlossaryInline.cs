using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax.Inlines;

namespace Handbook.Rendering.Glossary;

/// <summary>A known acronym in running text.</summary>
public sealed class GlossaryInline : LeafInline
{
    public required string Acronym { get; init; }

    public required string Expansion { get; init; }

    /// <summary>Link to the glossary row; only on the first occurrence in a page, to keep pages calm to read.</summary>
    public string? Href { get; init; }
}

/// <summary>Writes <c>&lt;abbr title="…"&gt;</c>, linked to the glossary on its first occurrence.</summary>
public sealed class GlossaryRenderer : HtmlObjectRenderer<GlossaryInline>
{
    protected override void Write(HtmlRenderer renderer, GlossaryInline inline)
    {
        if (inline.Href is not null)
        {
            renderer.Write("<a class=\"glossary\" href=\"").WriteEscapeUrl(inline.Href).Write("\">");
        }

        renderer.Write("<abbr title=\"").WriteEscape(inline.Expansion).Write("\">").WriteEscape(inline.Acronym).Write("</abbr>");
        if (inline.Href is not null)
        {
            renderer.Write("</a>");
        }
    }
}
