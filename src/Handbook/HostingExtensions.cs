using System.Globalization;
using Handbook.Catalog;
using Handbook.GitStore;
using Handbook.Pages;
using Handbook.Rendering;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Handbook;

/// <summary>The composition of the app, one feature per method, so Program.cs reads like a table of contents.</summary>
public static class HostingExtensions
{
    public static readonly CultureInfo[] Cultures = [new("nl-BE"), new("en")];

    public static WebApplicationBuilder AddHandbookStore(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<HandbookOptions>()
            .Bind(builder.Configuration.GetSection(HandbookOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<HandbookOptions>>().Value;
            var data = options.DataFullPath;
            Directory.CreateDirectory(data);
            return PageStore.Open(new PageStoreOptions
            {
                RepositoryPath = Path.Combine(data, "handbook.git"),
                IndexPath = Path.Combine(data, "history.idx"),
                SeedPath = options.SeedFullPath,
                Upstream = options.Upstream.ToOptions(),
                Committer = new Author(options.CommitterName, options.CommitterEmail),
            });
        });
        // Keys next to the data (not in a home folder a service user may not have), named for the app so that
        // instances sharing the folder read each other's cookies.
        var settings = builder.Configuration.GetSection(HandbookOptions.Section).Get<HandbookOptions>() ?? new HandbookOptions();
        builder.Services.AddDataProtection()
            .SetApplicationName("Handbook")
            .PersistKeysToFileSystem(new DirectoryInfo(settings.KeysFullPath));
        builder.Services.AddHealthChecks().AddCheck<StoreHealthCheck>("store");
        builder.Services.AddSingleton<Sync.SyncService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Sync.SyncService>());
        return builder;
    }

    public static WebApplicationBuilder AddHandbookPages(this WebApplicationBuilder builder)
    {
        builder.Services.AddMemoryCache(PageService.Configure);
        builder.Services.AddSingleton<MarkdownRenderer>();
        // The catalog's parses are kept in the data folder, so a restart only parses pages changed since.
        builder.Services.AddSingleton(sp => new CatalogSnapshotFile(
            Path.Combine(sp.GetRequiredService<IOptions<HandbookOptions>>().Value.DataFullPath, "catalog.bin"),
            sp.GetRequiredService<ILogger<CatalogSnapshotFile>>()));
        builder.Services.AddSingleton<HandbookCatalog>();
        builder.Services.AddHostedService<CatalogWarmUp>();
        builder.Services.AddSingleton<PageService>();
        builder.Services.AddSingleton<History.VisitStore>();
        builder.Services.AddSingleton<History.ReviewService>();
        builder.Services.AddLocalization(o => o.ResourcesPath = "Resources");
        builder.Services.AddRazorComponents().AddInteractiveServerComponents()
            // The editor sends whole pages (up to the store's limit) over the circuit.
            .AddHubOptions(o => o.MaximumReceiveMessageSize = 4 * 1024 * 1024);
        builder.Services.AddAntiforgery();
        // Uploads above the configured limit are refused before they are read into memory (a 1 GB attempt gets 413).
        var maxUpload = builder.Configuration.GetValue<long?>("Handbook:MaxUploadBytes") ?? new HandbookOptions().MaxUploadBytes;
        builder.Services.Configure<Microsoft.AspNetCore.Http.Features.FormOptions>(o => o.MultipartBodyLengthLimit = Editing.EditingEndpoints.RequestLimit(maxUpload));
        builder.WebHost.ConfigureKestrel(o => o.Limits.MaxRequestBodySize = Editing.EditingEndpoints.RequestLimit(maxUpload));
        return builder;
    }

    public static WebApplication UseHandbookLocalization(this WebApplication app)
    {
        var options = new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture(Cultures[0]),
            SupportedCultures = Cultures,
            SupportedUICultures = Cultures,
        };
        // Dutch unless the worker chose English (cookie) or asked for it (?culture=en); not by browser language,
        // so that a Dutch team with English browsers still sees one language.
        options.RequestCultureProviders = [new QueryStringRequestCultureProvider(), new CookieRequestCultureProvider()];
        app.UseRequestLocalization(options);
        app.MapGet("/culture/{name}", (string name, string? returnUrl, HttpContext context) =>
        {
            var culture = Cultures.FirstOrDefault(c => c.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) ?? Cultures[0];
            context.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true });
            return Results.LocalRedirect(Identity.IdentityExtensions.SafeReturnUrl(returnUrl));
        });
        return app;
    }

    /// <summary>
    /// With <see cref="HandbookOptions.InstanceName"/> set: tells the reverse proxy, through the <c>handbook_node</c>
    /// cookie, which instance this worker sticks to (nginx maps the cookie to the instance's address).
    /// </summary>
    public static WebApplication UseInstanceAffinity(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<HandbookOptions>>().Value.InstanceName is not { Length: > 0 } name)
        {
            return app;
        }

        app.Use((context, next) =>
        {
            context.Response.Headers["X-Handbook-Instance"] = name;
            if (context.Request.Cookies[AffinityCookie] != name)
            {
                context.Response.Cookies.Append(AffinityCookie, name, new CookieOptions
                {
                    HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = context.Request.IsHttps, IsEssential = true, Path = "/",
                });
            }

            return next(context);
        });
        return app;
    }

    /// <summary>The cookie a reverse proxy routes on (nginx: <c>$cookie_handbook_node</c>).</summary>
    public const string AffinityCookie = "handbook_node";

    /// <summary>Security headers on every response; no inline script is allowed anywhere.</summary>
    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy =
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
                "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            await next().ConfigureAwait(false);
        });
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        return app;
    }

    public static void MapHandbookHealth(this WebApplication app) =>
        app.MapHealthChecks("/health", new HealthCheckOptions
        {
            // Status only: no names, timings or exception text for an anonymous caller.
            ResponseWriter = (context, report) => context.Response.WriteAsync(report.Status == HealthStatus.Healthy ? "ok" : "unavailable"),
        }).AllowAnonymous();

    private sealed class StoreHealthCheck(PageStore store) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(store.Head is not null ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy());
    }
}
