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
                return Results.Json(new { error = TooLarge(context, limit) }, statusCode: StatusCodes.Status413PayloadTooLarge).ExecuteAsync(context);
            }

            return next(context);
        });
        MapUpload(app);
    }

    /// <summary>The largest upload request body: the file limit plus 1 MB for the form around it.</summary>
    public static long RequestLimit(long maxUploadBytes) => maxUploadBytes + (1 << 20);

    private static string TooLarge(HttpContext context, long limit) =>
        context.RequestServices.GetRequiredService<SaveMessages>().Text("AttachmentTooLarge", limit / (1024 * 1024));

    /// <summary>The rate limiter policy of uploads: per worker, a fixed number a minute.</summary>
    public const string UploadPolicyName = "uploads";

    /// <summary>
    /// Uploads per worker and minute (Handbook:UploadsPerMinute): each is a commit, and one worker made 1,000 in 12.6 s.
    /// Pasting a page full of screenshots stays far below it.
    /// </summary>
    public static WebApplicationBuilder AddHandbookUploads(this WebApplicationBuilder builder)
    {
        var perMinute = builder.Configuration.GetValue<int?>("Handbook:UploadsPerMinute") ?? new HandbookOptions().UploadsPerMinute;
        builder.Services.AddRateLimiter(o =>
        {
            o.AddPolicy(UploadPolicyName, context => System.Threading.RateLimiting.RateLimitPartition.GetFixedWindowLimiter(
                CurrentUser.Email(context.User),
                _ => new System.Threading.RateLimiting.FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            o.OnRejected = (context, cancellationToken) =>
            {
                var messages = context.HttpContext.RequestServices.GetRequiredService<SaveMessages>();
                context.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.HttpContext.Response.Headers.RetryAfter = "60";
                return new ValueTask(context.HttpContext.Response.WriteAsJsonAsync(new { error = messages.Text("UploadsTooFast") }, cancellationToken));
            };
        });
        return builder;
    }

    private static void MapUpload(WebApplication app) =>
        app.MapPost("/api/files/{*page}", async (string? page, IFormFile file, HttpContext context, PageCommands commands, IOptions<HandbookOptions> options) =>
        {
            if (!PagePath.TryParse(page, out var pagePath, out var error))
            {
                return Results.BadRequest(new { error = context.RequestServices.GetRequiredService<SaveMessages>().Text("PathError." + error) });
            }

            if (file.Length > options.Value.MaxUploadBytes)
            {
                return Results.Json(new { error = TooLarge(context, options.Value.MaxUploadBytes) }, statusCode: StatusCodes.Status413PayloadTooLarge);
            }

            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
            var outcome = await commands.AttachAsync(context.User, pagePath, file.FileName, buffer.ToArray(), context.RequestAborted).ConfigureAwait(false);
            if (!outcome.Succeeded || outcome.Attachment is not { } target)
            {
                return outcome.Result is SaveResult.Rejected { Error: SaveError.NotAllowed }
                    ? Results.Json(new { error = outcome.Message }, statusCode: StatusCodes.Status403Forbidden)
                    : Results.BadRequest(new { error = outcome.Message });
            }

            return Results.Json(new { url = "/files/" + target.Value, alt = Path.GetFileNameWithoutExtension(target.Name), name = target.Name });
        }).DisableAntiforgery().RequireRateLimiting(UploadPolicyName).AddEndpointFilter(async (context, next) =>
        {
            // Antiforgery is checked here (not by the automatic form check) so that a refusal is JSON the editor can show.
            var antiforgery = context.HttpContext.RequestServices.GetRequiredService<Microsoft.AspNetCore.Antiforgery.IAntiforgery>();
            if (!await antiforgery.IsRequestValidAsync(context.HttpContext).ConfigureAwait(false))
            {
                return Results.BadRequest(new { error = context.HttpContext.RequestServices.GetRequiredService<SaveMessages>().Text("SessionExpired") });
            }

            return await next(context).ConfigureAwait(false);
        });
}
