using System.Security.Cryptography;
using System.Text;
using Handbook.Identity;
using Microsoft.Extensions.Options;

namespace Handbook.Offline;

/// <summary>The offline copy's server side: the manifest a signed-in device asks for. Everything else it takes is an ordinary page or file.</summary>
public static class OfflineEndpoints
{
    public const string ManifestPath = "/api/offline/manifest";

    /// <summary>The pages every offline copy holds besides the handbook's: the search page and the "not offline" page.</summary>
    public static readonly IReadOnlyList<string> ShellPages = ["/offline/zoeken", "/offline/niet-beschikbaar"];

    public static WebApplicationBuilder AddHandbookOffline(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<OfflineManifestBuilder>();
        return builder;
    }

    public static void MapHandbookOffline(this WebApplication app) =>
        app.MapGet(ManifestPath, (string? sections, HttpContext context, OfflineManifestBuilder manifests, IOptions<HandbookOptions> options) =>
        {
            // Never kept by a browser or proxy cache: it says who the copy belongs to and is a fresh sign-in check.
            context.Response.Headers.CacheControl = "no-store";
            var o = options.Value;
            return Results.Ok(manifests.Build(UserKey(CurrentUser.Email(context.User)), sections, o.OfflineDays, o.OfflineMaxAttachmentBytes, ShellPages));
        });

    /// <summary>
    /// Who an offline copy belongs to, without putting the address on the device: a hash of the e-mail address.
    /// A device whose copy has another owner than the worker signed in deletes it.
    /// </summary>
    public static string UserKey(string email) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(email.Trim().ToLowerInvariant())))[..16];
}
