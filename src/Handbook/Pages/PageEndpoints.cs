using Handbook.GitStore;

namespace Handbook.Pages;

/// <summary>Non-HTML routes of pages: the Markdown source and attachments.</summary>
public static class PageEndpoints
{
    /// <summary>Attachment types served inline; everything else is downloaded.</summary>
    private static readonly Dictionary<string, string> InlineTypes = new(StringComparer.Ordinal)
    {
        ["png"] = "image/png", ["jpg"] = "image/jpeg", ["jpeg"] = "image/jpeg", ["gif"] = "image/gif",
        ["webp"] = "image/webp", ["pdf"] = "application/pdf",
    };

    private static readonly Dictionary<string, string> DownloadTypes = new(StringComparer.Ordinal)
    {
        ["docx"] = "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ["xlsx"] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ["pptx"] = "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ["doc"] = "application/msword", ["xls"] = "application/vnd.ms-excel", ["odt"] = "application/vnd.oasis.opendocument.text",
        ["txt"] = "text/plain; charset=utf-8", ["csv"] = "text/csv; charset=utf-8", ["svg"] = "image/svg+xml",
    };

    public static void MapPageEndpoints(this WebApplication app)
    {
        app.MapGet("/raw/{*path}", async (string? path, string? rev, PageStore store, CancellationToken cancellationToken) =>
        {
            if (!PagePath.TryParse(path, out var page, out var error))
            {
                return Results.BadRequest(PagePath.Describe(error));
            }

            var content = store.Read(page, rev);
            if (content is null)
            {
                return Results.NotFound();
            }

            if (!content.TooLarge)
            {
                return Results.Text(content.Text, "text/markdown; charset=utf-8");
            }

            // Too large to show: a download, streamed from git (one large read at a time), never a string in memory.
            var stream = await store.OpenText(page, rev, cancellationToken).ConfigureAwait(false);
            return stream is null
                ? Results.NotFound()
                : Results.Stream(stream, "text/markdown; charset=utf-8", fileDownloadName: page.Name + PagePath.Extension);
        });

        app.MapGet("/files/{*path}", (string? path, string? rev, PageStore store, HttpContext context) =>
        {
            if (!AttachmentPath.TryParse(path, out var file, out var error))
            {
                return Results.BadRequest(PagePath.Describe(error));
            }

            var bytes = store.ReadAttachment(file, rev);
            if (bytes is null)
            {
                return Results.NotFound();
            }

            // Whatever a file contains, it never runs as a page of this site.
            context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; sandbox";
            if (InlineTypes.TryGetValue(file.Extension, out var inlineType))
            {
                return Results.File(bytes, inlineType);
            }

            return Results.File(bytes, DownloadTypes.GetValueOrDefault(file.Extension, "application/octet-stream"), file.Name);
        });
    }
}
