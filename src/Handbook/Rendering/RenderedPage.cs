namespace Handbook.Rendering;

/// <summary>What the page view needs from a page's Markdown.</summary>
/// <param name="Html">Sanitised HTML of the body.</param>
/// <param name="Meta">The front matter.</param>
/// <param name="Title">Front matter title, else the first heading, else the page name.</param>
/// <param name="Toc">Headings of level 2 and 3.</param>
public sealed record RenderedPage(string Html, FrontMatter Meta, string Title, IReadOnlyList<TocEntry> Toc)
{
    /// <summary>Why the page is shown as plain text instead of formatted (too large, too deep, a failure); null when formatted.</summary>
    public RenderProblem? Problem { get; init; }

    /// <summary>The plain text shown is only the beginning of a very long page.</summary>
    public bool ShowsBeginningOnly { get; init; }

    /// <summary>False when the outcome depends on the moment (the time budget ran out, perhaps under load): not to be kept.</summary>
    public bool Lasting { get; init; } = true;
}
