using System.Text;
using Handbook.Rendering.Callouts;
using Handbook.Rendering.Glossary;
using Handbook.Rendering.WikiLinks;
using Markdig;
using Markdig.Extensions.Tables;
using Markdig.Extensions.Yaml;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Handbook.Rendering;

/// <summary>
/// The one Markdown pipeline of the handbook: CommonMark plus tables, task lists, footnotes, heading anchors,
/// front matter, wiki links, call-outs and glossary marking, always followed by the HTML sanitiser.
/// </summary>
public sealed class MarkdownRenderer(ILogger<MarkdownRenderer>? logger = null)
{
    private readonly Ganss.Xss.HtmlSanitizer _sanitizer = HtmlSanitizerFactory.Create();
    private readonly ILogger<MarkdownRenderer>? _logger = logger;

    /// <summary>The pipeline, built once. Also used by the editor preview (same rendering everywhere).</summary>
    public static MarkdownPipeline Pipeline { get; } = new MarkdownPipelineBuilder()
        .UseYamlFrontMatter()
        .UsePipeTables()
        .UseGridTables()
        .UseTaskLists()
        .UseFootnotes()
        .UseAutoIdentifiers(Markdig.Extensions.AutoIdentifiers.AutoIdentifierOptions.GitHub)
        .UseAutoLinks()
        .UseEmphasisExtras()
        .UseListExtras()
        .UseDefinitionLists()
        .Use<WikiLinkExtension>()
        .Use<CalloutExtension>()
        .Build();

    /// <summary>
    /// The prefix of every <c>id</c> in a rendered page (GitHub does the same): an element a page names can never
    /// clobber a global of the app's scripts (<c>&lt;img id="Blazor"&gt;</c> would be <c>window.Blazor</c>). In-page
    /// links (<c>#anchor</c>) are given the prefix too, so they still land.
    /// </summary>
    public const string IdPrefix = "user-content-";

    /// <summary>Renders a page's Markdown to sanitised HTML. Never throws for what a page contains: a page that cannot be
    /// formatted within the limits (size, elements, nesting, <see cref="TimeBudget"/>) is shown as plain text with the reason.</summary>
    /// <param name="markdown">The page text.</param>
    /// <param name="pageName">The title to use when the page has none.</param>
    /// <param name="context">Wiki link and glossary resolution.</param>
    /// <param name="isGlossaryPage">The glossary itself gets row anchors instead of acronym marks.</param>
    /// <param name="selfHref">The page's own URL: in-page links (#anchor) are made absolute with it, because the
    /// app's <c>&lt;base href="/"&gt;</c> would otherwise send them to the home page.</param>
    /// <param name="cancellationToken">The request: a render nobody waits for any more stops between its steps.</param>
    public RenderedPage Render(string markdown, string pageName, IRenderContext context, bool isGlossaryPage = false, string selfHref = "",
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(markdown);
        markdown = WithoutByteOrderMark(markdown);
        try
        {
            return RenderCore(markdown, pageName, context, isGlossaryPage, selfHref, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (TimeoutException e)
        {
            _logger?.LogWarning("Page {Page} was not formatted: {Reason}", pageName, e.Message);
            return AsPlainText(markdown, pageName, new RenderProblem(RenderProblemKind.NotInTime)) with { Lasting = false };
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Whatever goes wrong with one page stays that page's problem: it is shown as its text, with the reason.
            _logger?.LogWarning(e, "Page {Page} could not be formatted", pageName);
            return AsPlainText(markdown, pageName, new RenderProblem(RenderProblemKind.Failed, Detail: e.GetType().Name));
        }
    }

    private RenderedPage RenderCore(string markdown, string pageName, IRenderContext context, bool isGlossaryPage, string selfHref,
        CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // Pages that arrive through git are not held to the editor's size limit. Formatting cost grows faster than
        // the page (the sanitiser's DOM), so a page too large or with too many elements is shown as plain text.
        if (markdown.Length > MaxFormattedChars)
        {
            return AsPlainText(markdown, pageName, new RenderProblem(RenderProblemKind.TooLarge, markdown.Length, MaxFormattedChars));
        }

        if (MarkdownShape.Check(markdown) is { } tooMany)
        {
            return AsPlainText(markdown, pageName, tooMany);
        }

        if (TryParseDocument(markdown) is not { } document)
        {
            return AsPlainText(markdown, pageName, new RenderProblem(RenderProblemKind.TooDeep));
        }

        if (document.Descendants().Skip(MaxFormattedElements).Any())
        {
            return AsPlainText(markdown, pageName, new RenderProblem(RenderProblemKind.TooManyParts, Limit: MaxFormattedElements));
        }

        var meta = ReadFrontMatter(document);
        var title = meta.Title ?? FirstHeading(document) ?? pageName;

        // The page header shows the title; a leading H1 that repeats it would be read twice by a screen reader.
        if (document.FirstOrDefault(b => b is not YamlFrontMatterBlock) is HeadingBlock { Level: 1 } h1)
        {
            document.Remove(h1);
        }

        foreach (var link in document.Descendants<WikiLinkInline>())
        {
            var (href, exists, targetTitle) = context.Resolve(link.Target);
            link.Href = href;
            link.Exists = exists;
            link.Text = link.Label ?? targetTitle ?? link.Target;
        }

        if (isGlossaryPage)
        {
            GlossaryMarker.AnchorRows(document, context.Glossary);
        }
        else
        {
            GlossaryMarker.MarkAcronyms(document, context.Glossary);
        }

        var toc = document.Descendants<HeadingBlock>()
            .Where(h => h.Level is 2 or 3 && h.GetAttributes().Id is not null)
            .Select(h => new TocEntry(h.Level, IdPrefix + h.GetAttributes().Id!, InlineText(h.Inline)))
            .ToList();

        CheckBudget(clock, cancellationToken);
        using var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer);
        Pipeline.Setup(renderer);
        renderer.ObjectRenderers.Insert(0, new GlossaryRenderer());
        renderer.Render(document);
        writer.Flush();
        var unsafeHtml = writer.ToString();
        // Raw HTML in a page can nest elements far deeper than its Markdown shows: the sanitiser's DOM grows worse
        // than linearly with depth (50,000 nested <div> took 46 s), so the HTML is measured before it is parsed.
        var (depth, elements) = HtmlShape.Measure(unsafeHtml);
        if (depth > MaxHtmlDepth)
        {
            return AsPlainText(markdown, pageName, new RenderProblem(RenderProblemKind.TooDeepHtml, depth, MaxHtmlDepth), meta);
        }

        if (elements > MaxFormattedElements)
        {
            return AsPlainText(markdown, pageName, new RenderProblem(RenderProblemKind.TooManyHtmlElements, elements, MaxFormattedElements), meta);
        }

        CheckBudget(clock, cancellationToken);
        var html = _sanitizer.Sanitize(unsafeHtml);
        cancellationToken.ThrowIfCancellationRequested();
        if (selfHref.Length > 0)
        {
            html = html.Replace("href=\"#", "href=\"" + selfHref + "#", StringComparison.Ordinal);
        }

        return new RenderedPage(html, meta, title, toc);
    }

    /// <summary>
    /// How long formatting one page may take before the rest is skipped and the page is shown as plain text. The
    /// limits on size, elements and nesting keep real pages far below it; this is the backstop.
    /// </summary>
    public static readonly TimeSpan TimeBudget = TimeSpan.FromSeconds(2);

    /// <summary>Deeper raw HTML is shown as plain text: real pages nest a few dozen levels, the sanitiser slows down past a thousand.</summary>
    public const int MaxHtmlDepth = 256;

    private static void CheckBudget(System.Diagnostics.Stopwatch clock, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (clock.Elapsed > TimeBudget)
        {
            throw new TimeoutException($"formatting took longer than {TimeBudget.TotalSeconds:0} s");
        }
    }

    /// <summary>Larger pages are shown as plain text (the editor refuses to save more than 2 MB anyway).</summary>
    public const int MaxFormattedChars = 2 * 1024 * 1024; // every page the editor can save (2 MB of UTF-8) fits

    /// <summary>
    /// Pages whose Markdown has more nodes than this are shown as plain text: at 100,000 wiki links the sanitiser
    /// alone took 20 s; a long real page has a few thousand nodes.
    /// </summary>
    public const int MaxFormattedElements = 25_000;

    /// <summary>A page that was not read because it is too large (see PageStore.MaxReadBytes): no body, only the problem
    /// (the page view offers the download).</summary>
    public static RenderedPage TooLargeToShow(string pageName, long size, long limit) =>
        new("", FrontMatter.Empty, pageName, []) { Problem = new RenderProblem(RenderProblemKind.TooLargeToShow, size, limit) };

    /// <summary>The text as it is stored (its first 100,000 characters), with the problem for the page's notice.</summary>
    private static RenderedPage AsPlainText(string markdown, string pageName, RenderProblem problem, FrontMatter? meta = null)
    {
        var shown = markdown.Length > MaxPlainTextChars ? markdown[..MaxPlainTextChars] : markdown;
        // The metadata still shows (title, owner, …) when it can be read on its own: it is small and bounded.
        meta ??= SafeFrontMatter(markdown);
        return new RenderedPage("<pre>" + System.Net.WebUtility.HtmlEncode(shown) + "</pre>", meta, meta.Title ?? pageName, [])
        {
            Problem = problem,
            ShowsBeginningOnly = shown.Length < markdown.Length,
        };
    }

    private const int MaxPlainTextChars = 100_000;

    /// <summary>The text without a leading byte order mark: it is kept in the file, but Markdig would read it as text.</summary>
    internal static string WithoutByteOrderMark(string markdown) =>
        markdown.Length > 0 && markdown[0] == FrontMatterText.ByteOrderMark ? markdown[1..] : markdown;

    internal static FrontMatter SafeFrontMatter(string markdown)
    {
        try
        {
            return FrontMatter.Parse(FrontMatterText.Split(markdown).Yaml);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new FrontMatter { Error = e.Message };
        }
    }

    /// <summary>Markdig refuses absurd nesting (thousands of quotes or lists) with an exception: that is a value here.</summary>
    internal static MarkdownDocument? TryParseDocument(string markdown)
    {
        try
        {
            return Markdown.Parse(markdown, Pipeline);
        }
        catch (ArgumentException e) when (e.Message.Contains("nested", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
    }

    internal static FrontMatter ReadFrontMatter(MarkdownDocument document) =>
        document.Count > 0 && document[0] is YamlFrontMatterBlock yaml
            ? FrontMatter.Parse(yaml.Lines.ToString())
            : FrontMatter.Empty;

    private static string? FirstHeading(MarkdownDocument document) =>
        document.Descendants<HeadingBlock>().FirstOrDefault(h => h.Level == 1) is { } h ? InlineText(h.Inline) : null;

    /// <summary>The text of inline content, without markup (wiki links by their label or target).</summary>
    internal static string InlineText(ContainerInline? container)
    {
        if (container is null)
        {
            return "";
        }

        var sb = new StringBuilder();
        foreach (var inline in container.Descendants<Inline>())
        {
            switch (inline)
            {
                case LiteralInline literal:
                    sb.Append(literal.Content.ToString());
                    break;
                case CodeInline code:
                    sb.Append(code.Content);
                    break;
                case WikiLinkInline wiki:
                    sb.Append(wiki.Label ?? wiki.Target);
                    break;
                case LineBreakInline:
                    sb.Append(' ');
                    break;
            }
        }

        return sb.ToString().Trim();
    }
}
