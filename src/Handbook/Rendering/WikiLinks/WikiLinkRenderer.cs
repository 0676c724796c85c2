using Markdig.Renderers;
using Markdig.Renderers.Html;

namespace Handbook.Rendering.WikiLinks;

/// <summary>Writes a resolved wiki link; a missing target becomes a red link that invites creating the page.</summary>
public sealed class WikiLinkRenderer : HtmlObjectRenderer<WikiLinkInline>
{
    protected override void Write(HtmlRenderer renderer, WikiLinkInline link)
    {
        var text = link.Text ?? link.Label ?? link.Target;
        if (link.Href is null)
        {
            renderer.WriteEscape(text);
            return;
        }

        renderer.Write("<a href=\"").WriteEscapeUrl(link.Href).Write('"');
        renderer.Write(link.Exists
            ? " class=\"wikilink\">"
            : " class=\"wikilink wikilink-missing\" title=\"Deze pagina bestaat nog niet\">");
        renderer.WriteEscape(text);
        renderer.Write("</a>");
    }
}
