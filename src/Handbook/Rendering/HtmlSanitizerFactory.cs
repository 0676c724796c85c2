using System.Text.RegularExpressions;
using Ganss.Xss;

namespace Handbook.Rendering;

/// <summary>
/// The allow-list every rendered page goes through: what Markdown produces, nothing that runs, no event handlers,
/// no <c>javascript:</c> URLs, <c>data:</c> URLs only for raster images. Text alignment (the only CSS a page may
/// ask for) becomes a class, because the site's CSP allows no inline style; every <c>id</c> gets
/// <see cref="MarkdownRenderer.IdPrefix"/>, and in-page links with it.
/// </summary>
public static class HtmlSanitizerFactory
{
    private static readonly Regex TextAlign = new(@"text-align\s*:\s*(left|center|right)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));

    private static readonly Regex SafeImageData = new(@"^data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]+$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(200));

    public static HtmlSanitizer Create()
    {
        var options = new HtmlSanitizerOptions
        {
            AllowedTags = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
            {
                "a", "abbr", "aside", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del",
                "details", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
                "i", "img", "input", "ins", "kbd", "li", "mark", "ol", "p", "pre", "s", "section", "small", "span",
                "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
            },
            AllowedAttributes = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
            {
                "href", "src", "alt", "title", "id", "class", "colspan", "rowspan", "start", "type", "checked",
                "disabled", "role", "aria-label", "aria-hidden", "scope", "style", "width", "height", "open",
            },
            AllowedCssProperties = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "text-align" },
            AllowedSchemes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "http", "https", "mailto", "tel", "data" },
            UriAttributes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "href", "src" },
            AllowedClasses = new HashSet<string>(StringComparer.Ordinal)
            {
                "wikilink", "wikilink-missing", "glossary", "callout", "callout-title", "callout-letop", "callout-tip",
                "callout-wetgeving", "callout-info", "task-list-item", "task-list-item-checkbox", "contains-task-list",
                "footnotes", "footnote-ref", "footnote-back-ref", "table", "external", "align-left", "align-center", "align-right",
            },
        };
        var sanitizer = new HtmlSanitizer(options);
        sanitizer.FilterUrl += (_, e) =>
        {
            if (e.OriginalUrl.TrimStart().StartsWith("data:", StringComparison.OrdinalIgnoreCase)
                && !(e.Tag.TagName.Equals("IMG", StringComparison.OrdinalIgnoreCase) && SafeImageData.IsMatch(e.OriginalUrl.Trim())))
            {
                e.SanitizedUrl = null;
            }
        };
        sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is AngleSharp.Dom.IElement element)
            {
                if (element.GetAttribute("style") is { } style)
                {
                    element.RemoveAttribute("style");
                    if (TextAlign.Match(style) is { Success: true } align)
                    {
                        element.ClassList.Add("align-" + align.Groups[1].Value.ToLowerInvariant());
                    }
                }

                if (element.GetAttribute("id") is { Length: > 0 } id && !id.StartsWith(MarkdownRenderer.IdPrefix, StringComparison.Ordinal))
                {
                    element.SetAttribute("id", MarkdownRenderer.IdPrefix + id);
                }

                if (element.TagName.Equals("A", StringComparison.OrdinalIgnoreCase) && element.GetAttribute("href") is { Length: > 1 } local
                    && local[0] == '#' && !local.AsSpan(1).StartsWith(MarkdownRenderer.IdPrefix, StringComparison.Ordinal))
                {
                    element.SetAttribute("href", "#" + MarkdownRenderer.IdPrefix + local[1..]);
                }

                if (element.TagName.Equals("INPUT", StringComparison.OrdinalIgnoreCase))
                {
                    // Task-list boxes only: never a live form field.
                    if (!string.Equals(element.GetAttribute("type"), "checkbox", StringComparison.OrdinalIgnoreCase))
                    {
                        element.Remove();
                        return;
                    }

                    element.SetAttribute("disabled", "disabled");
                    // A task-list box is labelled by its item's text.
                    var label = element.ParentElement?.TextContent.Trim();
                    element.SetAttribute("aria-label", string.IsNullOrEmpty(label) ? "taak" : label);
                }
                else if (element.TagName.Equals("A", StringComparison.OrdinalIgnoreCase)
                         && element.GetAttribute("href") is { } href
                         && (href.StartsWith("http:", StringComparison.OrdinalIgnoreCase) || href.StartsWith("https:", StringComparison.OrdinalIgnoreCase)))
                {
                    element.SetAttribute("rel", "noopener noreferrer nofollow");
                    element.ClassList.Add("external");
                }
            }
        };
        return sanitizer;
    }
}
