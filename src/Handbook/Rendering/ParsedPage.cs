namespace Handbook.Rendering;

/// <summary>A page's metadata and outgoing wiki links, without rendering (for the catalog, backlinks, search).</summary>
public sealed record ParsedPage(FrontMatter Meta, string Title, IReadOnlyList<string> LinkTargets, string PlainText)
{
    /// <summary>Why the page's Markdown could not be read as usual (it is then shown as plain text); null when it could.</summary>
    public RenderProblem? Problem { get; init; }
}
