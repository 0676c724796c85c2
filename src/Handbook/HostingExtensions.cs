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
                // A restore or a new data folder for a large handbook: pages are served while history is indexed.
                BuildIndexInBackgroundAbove = options.HistoryInBackgroundAbove,
                // Registered by tests only, to hold a build halfway.
                HoldIndexBuild = sp.GetKeyedService<Func<CancellationToken, Task>>(PageStoreKeys.HoldIndexBuild),
                SeedPath = options.SeedFullPath,
                Upstream = options.Upstream.ToOptions(),
                Region = options.Region.ToMount(),
                Committer = new Author(options.CommitterName, options.CommitterEmail),
                // The store decides protection where the commit is made; it reads the flag as every page view does.
                IsProtected = text => FrontMatter.Parse(FrontMatterText.Split(text).Yaml).Protected,
            });
        });
        // Keys next to the data (not in a home folder a service user may not have), named for the app so that
        // instances sharing the folder read each other's cookies.
        var settings = builder.Configuration.GetSection(HandbookOptions.Section).Get<HandbookOptions>() ?? new HandbookOptions();
        builder.Services.AddDataProtection()
            .SetApplicationName("Handbook")
            .PersistKeysToFileSystem(new DirectoryInfo(settings.KeysFullPath));
        builder.Services.AddHealthChecks().AddCheck<StoreHealthCheck>("store").AddCheck<IndexHealthCheck>("index").Add(new HealthCheckRegistration("catalog",
            sp => new CatalogHealthCheck(() => sp.GetRequiredService<HandbookCatalog>().Current, sp.GetRequiredService<ILogger<CatalogHealthCheck>>()),
            failureStatus: null, tags: null));
        builder.Services.AddSingleton<Sync.SyncService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Sync.SyncService>());
        builder.Services.AddHostedService<Maintenance.GitMaintenance>();
        builder.Services.AddSingleton<Region.RegionService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Region.RegionService>());
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
        // The one door for writes (Editing/PageCommands.cs) and the one place that puts their outcomes into words.
        builder.Services.AddSingleton<Editing.SaveMessages>();
        builder.Services.AddSingleton<Editing.PageCommands>();
        builder.Services.AddSingleton<Editing.PageEditor>();
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

    /// <summary>
    /// Which Host headers are answered: <c>AllowedHosts</c> when it names hosts; else the host of
    /// <see cref="HandbookOptions.PublicUrl"/>; else, outside Production, this machine's loopback names. Production
    /// with neither refuses to start: accepting any Host lets a request choose the links the app writes.
    /// </summary>
    public static WebApplicationBuilder AddHandbookHosts(this WebApplicationBuilder builder)
    {
        var configured = (builder.Configuration["AllowedHosts"] ?? "")
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (configured.Length > 0 && !configured.Contains("*"))
        {
            return builder; // the framework's host filtering reads AllowedHosts itself
        }

        var settings = builder.Configuration.GetSection(HandbookOptions.Section).Get<HandbookOptions>() ?? new HandbookOptions();
        string[] hosts;
        if (settings.PublicBaseUri is { } publicUri)
        {
            hosts = [publicUri.IdnHost];
        }
        else if (builder.Environment.IsProduction())
        {
            throw new InvalidOperationException(
                "Set Handbook:PublicUrl (the address workers use, e.g. https://handboek.stad.example) or AllowedHosts " +
                "(the host names to answer, separated by ';'); see docs/deployment.md. Answering any Host header would let " +
                "a request choose the host name in the links and sign-in redirects the app writes.");
        }
        else
        {
            hosts = ["localhost", "127.0.0.1", "[::1]"];
        }

        builder.Services.PostConfigure<Microsoft.AspNetCore.HostFiltering.HostFilteringOptions>(o => o.AllowedHosts = hosts);
        return builder;
    }

    /// <summary>
    /// The Blazor circuit (<c>/_blazor</c>: negotiate and the WebSocket) answers pages of this site only. Browsers
    /// send the Origin of the page that opens it; a WebSocket is not covered by CORS, so without this check another
    /// site could open a circuit with a signed-in worker's cookies.
    /// </summary>
    public static WebApplication UseSameOriginCircuit(this WebApplication app)
    {
        var publicUri = app.Services.GetRequiredService<IOptions<HandbookOptions>>().Value.PublicBaseUri;
        app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/_blazor", StringComparison.OrdinalIgnoreCase)
                && context.Request.Headers.Origin is { Count: > 0 } origin
                && !IsSameOrigin(origin.ToString(), context.Request.Host, publicUri))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            }

            return next(context);
        });
        return app;
    }

    /// <summary>
    /// Whether an Origin header names this site: its host and port are the request's Host (which host filtering has
    /// checked) or the public URL's. The scheme is not compared: behind a TLS proxy the app may see http.
    /// </summary>
    internal static bool IsSameOrigin(string origin, HostString host, Uri? publicUri)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/")
        {
            return false; // "null" (a sandboxed frame, a file) and anything odd
        }

        var authority = uri.IsDefaultPort ? uri.Host : uri.Host + ":" + uri.Port.ToString(CultureInfo.InvariantCulture);
        if (publicUri is not null && string.Equals(uri.GetLeftPart(UriPartial.Authority), publicUri.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (!host.HasValue)
        {
            return false;
        }

        var requestHost = host.Port is null ? host.Host : host.Host + ":" + host.Port.Value.ToString(CultureInfo.InvariantCulture);
        return string.Equals(authority, requestHost, StringComparison.OrdinalIgnoreCase)
            || (host.Port is 80 or 443 && string.Equals(uri.Host, host.Host, StringComparison.OrdinalIgnoreCase) && uri.IsDefaultPort);
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

    /// <summary>
    /// <c>/health/live</c>: the process answers (no checks; a restart is the remedy for a "no"). <c>/health/ready</c>:
    /// the store is open, the catalog can be built and no index failed: traffic may come. <c>/health</c>: as ready,
    /// kept for monitors set up before. Status only: no names, timings or exception text for an anonymous caller.
    /// </summary>
    public static void MapHandbookHealth(this WebApplication app)
    {
        static Task Write(HttpContext context, HealthReport report) =>
            context.Response.WriteAsync(report.Status == HealthStatus.Healthy ? "ok" : "unavailable");
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = Write }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { ResponseWriter = Write }).AllowAnonymous();
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = Write }).AllowAnonymous();
    }

    /// <summary>Not ready when an index failed: the history index's background build, or the search index.</summary>
    private sealed class IndexHealthCheck(PageStore store, Search.SearchIndex search) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(store.IndexStatus.Error is not null || search.Failed
                ? HealthCheckResult.Unhealthy("index")
                : HealthCheckResult.Healthy());
    }

    /// <summary>Ready only when the handbook can be listed: every page view needs the catalog.</summary>
    internal sealed class CatalogHealthCheck(Func<CatalogSnapshot> current, ILogger<CatalogHealthCheck> logger) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                _ = current();
                return Task.FromResult(HealthCheckResult.Healthy());
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                logger.LogError(e, "The catalog cannot be built");
                return Task.FromResult(HealthCheckResult.Unhealthy("catalog"));
            }
        }
    }

    private sealed class StoreHealthCheck(PageStore store) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(store.Head is not null ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy());
    }
}

/// <summary>Keys of services the store takes from the container when present.</summary>
public static class PageStoreKeys
{
    /// <summary>
    /// A <c>Func&lt;CancellationToken, Task&gt;</c> awaited by a background history build before it takes over
    /// (<see cref="PageStoreOptions.HoldIndexBuild"/>): registered by tests only.
    /// </summary>
    public const string HoldIndexBuild = "hold-index-build";
}
