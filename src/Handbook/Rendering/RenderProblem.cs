namespace Handbook.Rendering;

/// <summary>Why a page's Markdown is shown as plain text instead of formatted.</summary>
public enum RenderProblemKind
{
    /// <summary>More characters than <see cref="MarkdownRenderer.MaxFormattedChars"/>.</summary>
    TooLarge,

    /// <summary>Too many <c>[</c> and emphasis delimiters on the page (Markdig's cost grows with their product).</summary>
    TooManyBrackets,

    /// <summary>Too many <c>[</c> in one paragraph, list or table (quadratic link matching in Markdig).</summary>
    TooManyBracketsInBlock,

    /// <summary>Too many emphasis delimiters in one paragraph, list or table.</summary>
    TooManyDelimitersInBlock,

    /// <summary>More Markdown nodes than <see cref="MarkdownRenderer.MaxFormattedElements"/>.</summary>
    TooManyParts,

    /// <summary>Nested deeper than the Markdown parser allows.</summary>
    TooDeep,

    /// <summary>Raw HTML nested deeper than <see cref="MarkdownRenderer.MaxHtmlDepth"/>.</summary>
    TooDeepHtml,

    /// <summary>More HTML elements than <see cref="MarkdownRenderer.MaxFormattedElements"/>.</summary>
    TooManyHtmlElements,

    /// <summary>The <see cref="MarkdownRenderer.TimeBudget"/> ran out (perhaps under load: not kept).</summary>
    NotInTime,

    /// <summary>An unexpected failure while formatting; <see cref="RenderProblem.Detail"/> names it.</summary>
    Failed,

    /// <summary>An unexpected failure while reading the page for the catalog; <see cref="RenderProblem.Detail"/> names it.</summary>
    Unreadable,

    /// <summary>The file is larger than the store reads (PageStore.MaxReadBytes): amount and limit in bytes.</summary>
    TooLargeToShow,
}

/// <summary>
/// Why a page is shown as plain text, as a value: the UI turns it into text in the reader's language (see
/// Components/ProblemText), so the renderer and the catalog hold no sentences.
/// </summary>
/// <param name="Kind">What went wrong.</param>
/// <param name="Amount">What the page has (characters, levels, bytes), when known.</param>
/// <param name="Limit">The limit it went over, when there is one.</param>
/// <param name="Detail">The exception type of a failure.</param>
public sealed record RenderProblem(RenderProblemKind Kind, long Amount = 0, long Limit = 0, string? Detail = null)
{
    /// <summary>For logs and test messages (English, not shown to readers).</summary>
    public override string ToString() => $"{Kind} ({Amount:N0} / {Limit:N0}{(Detail is null ? "" : ", " + Detail)})";
}
