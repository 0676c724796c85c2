using Markdig;
using Markdig.Renderers;

namespace Handbook.Rendering.WikiLinks;

/// <summary>Adds <c>[[…]]</c> links to a pipeline.</summary>
public sealed class WikiLinkExtension : IMarkdownExtension
{
    public void Setup(MarkdownPipelineBuilder pipeline)
    {
        if (!pipeline.InlineParsers.Contains<WikiLinkParser>())
        {
            pipeline.InlineParsers.Insert(0, new WikiLinkParser());
        }
    }

    public void Setup(MarkdownPipeline pipeline, IMarkdownRenderer renderer)
    {
        if (renderer is HtmlRenderer html && !html.ObjectRenderers.Contains<WikiLinkRenderer>())
        {
            html.ObjectRenderers.Insert(0, new WikiLinkRenderer());
        }
    }
}
