using Handbook.Catalog;
using Handbook.GitStore;
using Handbook.Rendering;
using Microsoft.Extensions.Caching.Memory;

namespace Handbook.Pages;

/// <summary>Everything the page view shows about one page.</summary>
public sealed record PageView(
    PagePath Path,
    PageContent Content,
    RenderedPage Rendered,
    PageChange? LastChange,
    IReadOnlyList<PageSummary> Backlinks,
    bool IsOldRevision);

/// <summary>
/// Reads and renders pages; renders are cached by (blob, path, <see cref="CatalogSnapshot.RenderKey"/>) so a warm view does
/// no Markdown work, also while others save.
/// </summary>
public sealed class PageService(PageStore store, HandbookCatalog catalog, MarkdownRenderer renderer, IMemoryCache cache)
{
    /// <summary>
    /// The memory cache's size limit, in bytes of rendered HTML. Sized by bytes, not entries: 5,000 renders of up
    /// to 40 KB each could hold 200 MB. 24 MB keeps some 1,000 typical pages warm, more than are read in a day;
    /// a page that fell out costs one render (2–8 ms at 10,000 pages).
    /// </summary>
    public const long RenderCacheBytes = 24L * 1024 * 1024;

    public PageView? Get(PagePath path, string? revision = null)
    {
        var content = store.Read(path, revision);
        if (content is null)
        {
            return null;
        }

        var snapshot = catalog.Current;
        var rendered = Render(path, content.Text, content.BlobId, snapshot);
        var backlinks = snapshot.Backlinks.TryGetValue(path, out var from)
            ? from.Select(p => snapshot.Pages[p]).OrderBy(p => p.Title, StringComparer.CurrentCulture).ToList()
            : [];
        return new PageView(path, content, rendered, store.LastChange(path), backlinks, revision is not null);
    }

    /// <summary>Renders Markdown with the current catalog (also for previews of unsaved text).</summary>
    public RenderedPage Render(PagePath path, string markdown, string? blobId = null, CatalogSnapshot? snapshot = null)
    {
        snapshot ??= catalog.Current;
        var isGlossary = snapshot.GlossaryPath == path;
        if (blobId is null)
        {
            return renderer.Render(markdown, HandbookCatalog.Humanize(path), snapshot, isGlossary, CatalogSnapshot.Href(path));
        }

        return cache.GetOrCreate(("render", blobId, path, snapshot.RenderKey), entry =>
        {
            var rendered = renderer.Render(markdown, HandbookCatalog.Humanize(path), snapshot, isGlossary, CatalogSnapshot.Href(path));
            // UTF-16: two bytes a character, plus the table of contents and the record itself.
            entry.Size = 2L * (rendered.Html.Length + rendered.Toc.Sum(t => t.Id.Length + t.Text.Length)) + 256;
            entry.SlidingExpiration = TimeSpan.FromMinutes(30);
            return rendered;
        })!;
    }
}
