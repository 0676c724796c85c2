using Markdig.Syntax.Inlines;

namespace Handbook.Rendering.WikiLinks;

/// <summary><c>[[target]]</c> or <c>[[target|label]]</c>: a link to another page by path or by title.</summary>
public sealed class WikiLinkInline : LeafInline
{
    /// <summary>What was written between the brackets before '|'.</summary>
    public required string Target { get; init; }

    /// <summary>What was written after '|', if anything.</summary>
    public string? Label { get; init; }

    /// <summary>The page the link resolves to; set by the resolver after parsing.</summary>
    public string? Href { get; set; }

    /// <summary>Whether the target page exists; a missing one is rendered as a red link.</summary>
    public bool Exists { get; set; }

    /// <summary>The text shown: the label, the target page's title, or what was written.</summary>
    public string? Text { get; set; }
}
