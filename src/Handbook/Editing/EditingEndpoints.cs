using Handbook.GitStore;
using Handbook.Identity;
using Microsoft.Extensions.Options;

namespace Handbook.Editing;

/// <summary>Uploads of attachments next to a page (form post with antiforgery token; JSON answer for the editor).</summary>
public static class EditingEndpoints
{
    public static void MapEditingEndpoints(this WebApplication app)
    {
        // A body announced larger than the limit is answered at once, in words the editor shows; otherwise Kestrel
        // stops reading it while the form is bound and answers a bare "413 Payload Too Large".
        app.Use((context, next) =>
        {
            var limit = context.RequestServices.GetRequiredService<IOptions<HandbookOptions>>().Value.MaxUploadBytes;
            if (HttpMethods.IsPost(context.Request.Method) && context.Request.Path.StartsWithSegments("/api/files")
                && context.Request.ContentLength > RequestLimit(limit))
            {
                context.Response.Headers.Connection = "close";
                return Results.Json(new { error = TooLarge(limit) }, statusCode: StatusCodes.Status413PayloadTooLarge).ExecuteAsync(context);
            }

            return next(context);
        });
        MapUpload(app);
    }

    /// <summary>The largest upload request body: the file limit plus 1 MB for the form around it.</summary>
    public static long RequestLimit(long maxUploadBytes) => maxUploadBytes + (1 << 20);

    private static string TooLarge(long limit) => $"Het bestand is groter dan {limit / (1024 * 1024)} MB.";

    private static void MapUpload(WebApplication app) =>
        app.MapPost("/api/files/{*page}", async (string? page, IFormFile file, HttpContext context, PageStore store, IOptions<HandbookOptions> options) =>
        {
            if (!PagePath.TryParse(page, out var pagePath, out var error))
            {
                return Results.BadRequest(new { error = PagePath.Describe(error) });
            }

            if (file.Length > options.Value.MaxUploadBytes)
            {
                return Results.Json(new { error = TooLarge(options.Value.MaxUploadBytes) }, statusCode: StatusCodes.Status413PayloadTooLarge);
            }

            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
            var bytes = buffer.ToArray();
            var verdict = UploadPolicy.Inspect(bytes.AsSpan(0, Math.Min(bytes.Length, 512)), file.FileName);
            if (verdict.Extension is null)
            {
                return Results.BadRequest(new
                {
                    error = verdict.Refusal == "svg"
                        ? "SVG-bestanden worden geweigerd: ze kunnen code bevatten. Bewaar de afbeelding als PNG of JPEG."
                        : "Dit soort bestand wordt niet aanvaard. Toegelaten: PNG, JPEG, GIF, WebP, PDF en Office-documenten.",
                });
            }

            var name = AttachmentPath.SlugifyFileName(file.FileName);
            name = Path.GetFileNameWithoutExtension(name) + "." + verdict.Extension;
            if (!AttachmentPath.TryParse(pagePath.Value + "/" + name, out var target, out _))
            {
                return Results.BadRequest(new { error = "De bestandsnaam is niet geldig." });
            }

            var result = await store.SaveAttachmentAsync(target, bytes, CurrentUser.Author(context.User),
                $"Bijlage {name} toegevoegd bij {pagePath.Value}", context.RequestAborted).ConfigureAwait(false);
            return result is SaveResult.Rejected rejected
                ? Results.BadRequest(new { error = rejected.Message })
                : Results.Json(new { url = "/files/" + target.Value, alt = Path.GetFileNameWithoutExtension(name), name });
        }).DisableAntiforgery().AddEndpointFilter(async (context, next) =>
        {
            // Antiforgery is checked here (not by the automatic form check) so that a refusal is JSON the editor can show.
            var antiforgery = context.HttpContext.RequestServices.GetRequiredService<Microsoft.AspNetCore.Antiforgery.IAntiforgery>();
            if (!await antiforgery.IsRequestValidAsync(context.HttpContext).ConfigureAwait(false))
            {
                return Results.BadRequest(new { error = "De sessie is verlopen; laad de pagina opnieuw." });
            }

            return await next(context).ConfigureAwait(false);
        });
}
