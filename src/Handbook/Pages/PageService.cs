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
public sealed class PageService(PageStore store, HandbookCatalog catalog, MarkdownRenderer renderer, IMemoryCache cache,
    Diagnostics.HandbookMetrics? metrics = null)
{
    /// <summary>
    /// The memory cache's size limit, in bytes of rendered HTML. Sized by bytes, not entries: 5,000 renders of up
    /// to 40 KB each could hold 200 MB. 24 MB keeps some 1,000 typical pages warm, more than are read in a day;
    /// a page that fell out costs one render (2–8 ms at 10,000 pages).
    /// </summary>
    public const long RenderCacheBytes = 24L * 1024 * 1024;

    // Admission once the cache is full: a render is kept only for a page asked for before (a fingerprint of its key
    // in this table). Without it, pages read once (a scan, a link followed once) push out pages read all day, and
    // every one of them lives just long enough to become garbage of the oldest GC generation: under a load reading
    // 10,000 pages at random that was most of the heap's growth. 16,384 slots (64 KB) remember the last misses.
    private readonly int[] _seen = new int[16_384];

    /// <summary>The options of the render cache (the app's <see cref="IMemoryCache"/>): its size limit, and statistics for admission.</summary>
    public static void Configure(MemoryCacheOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.SizeLimit = RenderCacheBytes;
        options.TrackStatistics = true;
    }

    /// <summary>A render cache as the app configures it, for use outside the app (tests, benchmarks).</summary>
    public static MemoryCache CreateCache(long sizeLimit = RenderCacheBytes)
    {
        var options = new MemoryCacheOptions();
        Configure(options);
        options.SizeLimit = sizeLimit;
        return new MemoryCache(options);
    }

    /// <summary>The size limit of <c>cache</c>, for admission (<see cref="RenderCacheBytes"/> in the app).</summary>
    public long CacheLimit { get; init; } = RenderCacheBytes;

    public PageView? Get(PagePath path, string? revision = null, CancellationToken cancellationToken = default)
    {
        var content = store.Read(path, revision);
        if (content is null)
        {
            return null;
        }

        var snapshot = catalog.Current;
        var rendered = content.TooLarge
            ? MarkdownRenderer.TooLargeToShow(HandbookCatalog.Humanize(path), content.Size, store.MaxReadBytes)
            : Render(path, content.Text, content.BlobId, snapshot, cancellationToken);
        var backlinks = snapshot.Backlinks.TryGetValue(path, out var from)
            ? from.Select(p => snapshot.Pages[p]).OrderBy(p => p.Title, StringComparer.CurrentCulture).ToList()
            : [];
        return new PageView(path, content, rendered, store.LastChange(path), backlinks, revision is not null);
    }

    /// <summary>Renders Markdown with the current catalog (also for previews of unsaved text).</summary>
    public RenderedPage Render(PagePath path, string markdown, string? blobId = null, CatalogSnapshot? snapshot = null,
        CancellationToken cancellationToken = default)
    {
        snapshot ??= catalog.Current;
        var isGlossary = snapshot.GlossaryPath == path || snapshot.Glossary.IsPage(path.Value);
        var context = snapshot.For(path);
        if (blobId is null)
        {
            return Timed(() => renderer.Render(markdown, HandbookCatalog.Humanize(path), context, isGlossary, CatalogSnapshot.Href(path), cancellationToken));
        }

        var key = ("render", blobId, path, snapshot.RenderKey);
        if (cache.TryGetValue(key, out RenderedPage? cached) && cached is not null)
        {
            return cached;
        }

        var rendered = Timed(() => renderer.Render(markdown, HandbookCatalog.Humanize(path), context, isGlossary, CatalogSnapshot.Href(path), cancellationToken));
        if (rendered.Lasting && Admit(key.GetHashCode()))
        {
            using var entry = cache.CreateEntry(key);
            entry.Value = rendered;
            entry.Size = EntrySize(rendered);
            entry.SlidingExpiration = TimeSpan.FromMinutes(30);
        }

        return rendered;
    }

    /// <summary>What a render costs the cache: UTF-16, two bytes a character, plus the table of contents and the record itself.</summary>
    internal static long EntrySize(RenderedPage rendered) =>
        2L * (rendered.Html.Length + rendered.Toc.Sum(t => t.Id.Length + t.Text.Length)) + 256;

    /// <summary>Whether a new render is kept: always while the cache has room, else only when asked for before.</summary>
    private bool Admit(int hash)
    {
        if (cache is not MemoryCache { } memory || memory.GetCurrentStatistics() is not { } statistics
            || statistics.CurrentEstimatedSize is not { } size || size < CacheLimit * 9 / 10)
        {
            return true;
        }

        var slot = (int)((uint)hash % (uint)_seen.Length);
        var fingerprint = hash | 1;
        if (Volatile.Read(ref _seen[slot]) == fingerprint)
        {
            return true;
        }

        Volatile.Write(ref _seen[slot], fingerprint);
        return false;
    }

    private RenderedPage Timed(Func<RenderedPage> render)
    {
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        var rendered = render();
        metrics?.Rendered(System.Diagnostics.Stopwatch.GetElapsedTime(start));
        return rendered;
    }
}
