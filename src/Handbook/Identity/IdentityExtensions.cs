using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Web;

namespace Handbook.Identity;

/// <summary>Sign-in: Entra ID (Microsoft.Identity.Web) when configured; development sign-in only on a laptop.</summary>
public static class IdentityExtensions
{
    public const string DevScheme = CookieAuthenticationDefaults.AuthenticationScheme;

    /// <summary>Paths answered with 401 instead of a redirect to sign-in (feeds, raw text, files, APIs).</summary>
    private static readonly string[] NonInteractivePaths = ["/raw/", "/files/", "/api/", "/changes.atom"];

    public static WebApplicationBuilder AddHandbookIdentity(this WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        var entraConfigured = !string.IsNullOrWhiteSpace(config["AzureAd:ClientId"]);
        var devSignIn = !entraConfigured && builder.Environment.IsDevelopment();
        if (!entraConfigured && !builder.Environment.IsDevelopment())
        {
            throw new InvalidOperationException(
                "No identity provider is configured. Set AzureAd:Instance, AzureAd:TenantId, AzureAd:ClientId and " +
                "AzureAd:ClientSecret (or a certificate) for Microsoft Entra ID; see docs/deployment.md. " +
                "The development sign-in exists only when ASPNETCORE_ENVIRONMENT=Development.");
        }

        builder.Services.AddSingleton(new SignInMode(devSignIn));
        if (entraConfigured)
        {
            builder.Services.AddAuthentication(OpenIdConnectDefaults.AuthenticationScheme)
                .AddMicrosoftIdentityWebApp(config.GetSection("AzureAd"));
            ConfigureTestAuthority(builder);
            builder.Services.Configure<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme, o =>
            {
                o.Events.OnTokenValidated += context =>
                {
                    var log = context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Handbook.Identity");
                    if (context.Principal is { } principal)
                    {
                        log.LogInformation("Sign-in {Event} {User} {Method}", "signin", CurrentUser.Email(principal), "openid-connect");
                    }

                    return Task.CompletedTask;
                };
                o.Events.OnRedirectToIdentityProvider += context =>
                {
                    if (IsNonInteractive(context.Request))
                    {
                        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                        context.HandleResponse();
                    }
                    else if (context.HttpContext.RequestServices.GetRequiredService<IOptions<HandbookOptions>>().Value.PublicBaseUri is { } publicUri)
                    {
                        // The provider sends the worker back to the configured address, never to one a Host header named.
                        context.ProtocolMessage.RedirectUri = new Uri(publicUri, context.Options.CallbackPath.Value!.TrimStart('/')).AbsoluteUri;
                    }

                    return Task.CompletedTask;
                };
            });
        }
        else
        {
            builder.Services.AddAuthentication(DevScheme).AddCookie(DevScheme, o =>
            {
                o.LoginPath = "/signin";
                o.LogoutPath = "/signout";
                o.Cookie.Name = "handbook.dev";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Events.OnRedirectToLogin = context =>
                {
                    if (IsNonInteractive(context.Request))
                    {
                        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    }
                    else
                    {
                        context.Response.Redirect(context.RedirectUri);
                    }

                    return Task.CompletedTask;
                };
            });
        }

        // A signed-in worker without the right role sees a page that says so (Identity.Web's default path needs its UI package).
        builder.Services.Configure<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme, o => o.AccessDeniedPath = "/geen-toegang");
        builder.Services.AddTransient<IClaimsTransformation, AdministratorClaims>();
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(AdministratorPolicy, p => p.RequireRole(CurrentUser.AdministratorRole));
        builder.Services.AddCascadingAuthenticationState();
        return builder;
    }

    public const string AdministratorPolicy = "Beheerder";

    /// <summary>The development sign-in answers loopback callers only, and logs loudly that it is on.</summary>
    public static WebApplication UseHandbookIdentity(this WebApplication app)
    {
        var mode = app.Services.GetRequiredService<SignInMode>();
        if (mode.Development)
        {
            if (!app.Environment.IsDevelopment())
            {
                throw new InvalidOperationException("Development sign-in is only allowed when ASPNETCORE_ENVIRONMENT=Development.");
            }

            app.Logger.LogWarning("Development sign-in is ON: anyone on this machine can sign in as a demo worker. Never use this in production.");
            app.Use(async (context, next) =>
            {
                var remote = context.Connection.RemoteIpAddress;
                if (remote is not null && !IPAddress.IsLoopback(remote))
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    await context.Response.WriteAsync("Development sign-in answers only on this machine.").ConfigureAwait(false);
                    return;
                }

                await next().ConfigureAwait(false);
            });
        }

        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    public static void MapHandbookIdentity(this WebApplication app)
    {
        var mode = app.Services.GetRequiredService<SignInMode>();
        if (mode.Development)
        {
            app.MapPost("/signin/dev", async (HttpContext context, [Microsoft.AspNetCore.Mvc.FromForm] string worker,
                [Microsoft.AspNetCore.Mvc.FromForm] string? returnUrl, ILoggerFactory loggers) =>
            {
                if (DemoWorkers.Find(worker) is not { } w)
                {
                    return Results.BadRequest();
                }

                var claims = new List<Claim>
                {
                    new("sub", w.Id), new("name", w.Name), new("email", w.Email), new(CurrentUser.TeamClaim, w.Team),
                };
                if (w.IsAdministrator)
                {
                    claims.Add(new Claim(ClaimTypes.Role, CurrentUser.AdministratorRole));
                }

                var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, DevScheme, "name", ClaimTypes.Role));
                await context.SignInAsync(DevScheme, principal).ConfigureAwait(false);
                loggers.CreateLogger("Handbook.Identity").LogInformation("Sign-in {Event} {User} {Method}", "signin", w.Email, "development");
                return Results.LocalRedirect(SafeReturnUrl(returnUrl));
            }).AllowAnonymous();
        }
        else
        {
            app.MapGet("/signin/oidc", (string? returnUrl) =>
                Results.Challenge(new AuthenticationProperties { RedirectUri = SafeReturnUrl(returnUrl) },
                    [OpenIdConnectDefaults.AuthenticationScheme])).AllowAnonymous();
        }

        app.MapPost("/signout", async (HttpContext context, ILoggerFactory loggers, Microsoft.AspNetCore.Antiforgery.IAntiforgery antiforgery) =>
        {
            // Checked here: the antiforgery middleware only looks at requests with a form body, and a sign-out needs none.
            if (!await antiforgery.IsRequestValidAsync(context).ConfigureAwait(false))
            {
                return Results.BadRequest();
            }

            loggers.CreateLogger("Handbook.Identity").LogInformation("Sign-out {Event} {User}", "signout", CurrentUser.Email(context.User));
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme).ConfigureAwait(false);
            // The offline copy (Cache Storage, IndexedDB, the service worker) leaves the device with the worker.
            // js/offline.js deletes it too before the form is sent; this covers a browser without script.
            context.Response.Headers["Clear-Site-Data"] = "\"storage\"";
            if (!mode.Development)
            {
                await context.SignOutAsync(OpenIdConnectDefaults.AuthenticationScheme,
                    new AuthenticationProperties { RedirectUri = "/" }).ConfigureAwait(false);
                return Results.Empty;
            }

            return Results.LocalRedirect("/signin");
        }).DisableAntiforgery();
    }

    /// <summary>Only a local path is a valid place to return to: never another site, "//host" or "/\host".</summary>
    public static string SafeReturnUrl(string? returnUrl)
    {
        if (string.IsNullOrEmpty(returnUrl) || returnUrl[0] != '/')
        {
            return "/";
        }

        if (returnUrl.Length > 1 && (returnUrl[1] == '/' || returnUrl[1] == '\\'))
        {
            return "/";
        }

        if (returnUrl.Any(c => char.IsControl(c) || c == '\\'))
        {
            return "/";
        }

        // A Location header carries ASCII only: other characters are sent as UTF-8 escapes ("/wiki/oekraïners"
        // still works), and text that is not valid UTF-16 is refused.
        if (returnUrl.All(char.IsAscii))
        {
            return returnUrl;
        }

        var escaped = new System.Text.StringBuilder(returnUrl.Length * 2);
        foreach (var rune in returnUrl.EnumerateRunes())
        {
            if (rune == System.Text.Rune.ReplacementChar && !returnUrl.Contains('\uFFFD', StringComparison.Ordinal))
            {
                return "/";
            }

            escaped.Append(rune.IsAscii ? rune.ToString() : Uri.EscapeDataString(rune.ToString()));
        }

        return escaped.ToString();
    }

    private static bool IsNonInteractive(HttpRequest request) =>
        NonInteractivePaths.Any(p => request.Path.StartsWithSegments(p.TrimEnd('/'), StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Tests and CI sign in against a local OpenID Connect provider through the very same Identity.Web
    /// registration; these overrides apply only when Auth:TestAuthority is set, and never in Production.
    /// </summary>
    private static void ConfigureTestAuthority(WebApplicationBuilder builder)
    {
        var authority = builder.Configuration["Auth:TestAuthority"];
        if (string.IsNullOrWhiteSpace(authority))
        {
            return;
        }

        if (builder.Environment.IsProduction())
        {
            throw new InvalidOperationException("Auth:TestAuthority must not be set in Production.");
        }

        builder.Services.Configure<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme, o =>
        {
            o.Authority = authority;
            o.MetadataAddress = authority.TrimEnd('/') + "/.well-known/openid-configuration";
            o.RequireHttpsMetadata = false;
            o.ResponseType = "code";
            o.TokenValidationParameters.IssuerValidator = null;
        });
    }

    /// <summary>Adds the Beheerder role for e-mail addresses listed in Handbook:Administrators.</summary>
    private sealed class AdministratorClaims(IOptions<HandbookOptions> options) : IClaimsTransformation
    {
        public Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
        {
            if (principal.Identity?.IsAuthenticated == true && !CurrentUser.IsAdministrator(principal)
                && options.Value.Administrators.Contains(CurrentUser.Email(principal), StringComparer.OrdinalIgnoreCase))
            {
                var identity = new ClaimsIdentity(null, null, null, ClaimTypes.Role);
                identity.AddClaim(new Claim(ClaimTypes.Role, CurrentUser.AdministratorRole));
                principal.AddIdentity(identity);
            }

            // A team from an Entra ID group, when the provider named none.
            if (principal.Identity?.IsAuthenticated == true && CurrentUser.Team(principal) is null
                && principal.FindAll("groups").Select(g => options.Value.TeamGroups.TryGetValue(g.Value, out var team) ? team : null)
                    .FirstOrDefault(t => !string.IsNullOrWhiteSpace(t)) is { } groupTeam)
            {
                principal.AddIdentity(new ClaimsIdentity([new Claim(CurrentUser.TeamClaim, groupTeam)]));
            }

            return Task.FromResult(principal);
        }
    }
}

/// <summary>Whether the development sign-in is on (shown as a banner).</summary>
public sealed record SignInMode(bool Development);
