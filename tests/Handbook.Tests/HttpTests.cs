using System.Net;
using Handbook.GitStore;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Handbook.Tests;

public sealed class HttpTests(HandbookFactory factory) : IClassFixture<HandbookFactory>
{
    public static TheoryData<string> InteractiveRoutes => new()
    {
        "/", "/wiki/procedures/leefloon-aanvragen", "/onderhoud", "/wiki/bestaat-niet", "/history/procedures/leefloon-aanvragen",
        "/diff/procedures/leefloon-aanvragen?from=abcd&to=abcd", "/blame/procedures/leefloon-aanvragen", "/changes", "/review",
        "/nieuw", "/edit/procedures/leefloon-aanvragen", "/rename/procedures/leefloon-aanvragen", "/delete/procedures/leefloon-aanvragen",
        "/restore/procedures/leefloon-aanvragen?rev=abcd", "/search?q=leefloon",
    };

    public static TheoryData<string> NonInteractiveRoutes => new()
    {
        "/raw/procedures/leefloon-aanvragen", "/files/procedures/schema.png", "/changes.atom", "/api/files/procedures/leefloon-aanvragen",
    };

    [Theory]
    [MemberData(nameof(InteractiveRoutes))]
    public async Task Anonymous_IsSentToSignIn_AndSeesNoContent(string route)
    {
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await client.GetAsync(new Uri(route, UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/signin", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.DoesNotContain("Leefloon", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(NonInteractiveRoutes))]
    public async Task Anonymous_GetsUnauthorizedOnRawAndFiles(string route)
    {
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = route.StartsWith("/api/", StringComparison.Ordinal)
            ? await client.PostAsync(new Uri(route, UriKind.Relative), new MultipartFormDataContent())
            : await client.GetAsync(new Uri(route, UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Health_AnswersWithoutSignInAndRevealsNothing()
    {
        using var client = factory.CreateClient();
        var response = await client.GetAsync(new Uri("/health", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Page_IsPrerenderedWithHeaderGlossaryAndBacklinks()
    {
        using var client = await factory.SignedInClientAsync();
        var html = await client.GetStringAsync(new Uri("/wiki/procedures/leefloon-aanvragen", UriKind.Relative));
        Assert.Contains("<h1 tabindex=\"-1\">Leefloon aanvragen</h1>", html, StringComparison.Ordinal);
        Assert.Contains("Backoffice juristen", html, StringComparison.Ordinal);
        Assert.Contains("badge-overdue", html, StringComparison.Ordinal);
        Assert.Contains("<abbr title=\"sociaal verhuurkantoor\">SVK</abbr>", html, StringComparison.Ordinal);
        Assert.Contains("wikilink-missing", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/wiki/doelgroepen/oekrainers\"", html, StringComparison.Ordinal);
        Assert.Contains("Demo", html, StringComparison.Ordinal);
        Assert.Contains("callout-letop", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Home_ShowsRecentChangesLegalChangesSectionsAndMyReviews()
    {
        using var client = await factory.SignedInClientAsync("jurist");
        var html = await client.GetStringAsync(new Uri("/", UriKind.Relative));
        Assert.Contains("Handboek aangemaakt uit de startinhoud", html, StringComparison.Ordinal);
        Assert.Contains("id=\"legal-title\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/wiki/procedures\"", html, StringComparison.Ordinal);
        // The lawyer's team owns the leefloon page; the lawyer owns the rental guarantee page; both are overdue.
        var reviews = html[html.IndexOf("id=\"review-title\"", StringComparison.Ordinal)..];
        Assert.Contains("Leefloon aanvragen", reviews, StringComparison.Ordinal);
        Assert.Contains("Huurwaarborg", reviews, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Raw_ServesMarkdownAsUtf8()
    {
        using var client = await factory.SignedInClientAsync();
        var response = await client.GetAsync(new Uri("/raw/doelgroepen/oekrainers", UriKind.Relative));
        Assert.Equal("text/markdown; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Contains("title: Oekraïners", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync(new Uri("/raw/..%2Fsecret", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri("/raw/bestaat-niet", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Files_AreServedSandboxedAndNeverOutsideTheRepository()
    {
        using var client = await factory.SignedInClientAsync();
        var response = await client.GetAsync(new Uri("/files/procedures/schema.png", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("sandbox", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        foreach (var evil in new[] { "/files/..%2F..%2Fetc%2Fpasswd", "/files/.git%2Fconfig", "/files/HEAD", "/files/procedures%5C..%5Cx.png" })
        {
            var r = await client.GetAsync(new Uri(evil, UriKind.Relative));
            Assert.True(r.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{evil}: {r.StatusCode}");
        }
    }

    [Fact]
    public async Task EveryResponse_HasSecurityHeaders()
    {
        using var client = await factory.SignedInClientAsync();
        var response = await client.GetAsync(new Uri("/", UriKind.Relative));
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp.Split(';').Single(d => d.Trim().StartsWith("script-src", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task InvalidPageName_GetsAClearMessage()
    {
        using var client = await factory.SignedInClientAsync();
        var response = await client.GetAsync(new Uri("/wiki/Procedures/X", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("kleine letters", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/history/..%2Fx")]
    [InlineData("/blame/Grote-Letters")]
    [InlineData("/diff/a%5Cb?from=abcd&to=abcd")]
    [InlineData("/delete/con")]
    [InlineData("/rename/..%2Fx")]
    public async Task InvalidPageName_OnEveryPageRoute_IsAClearMessageNotAnError(string route)
    {
        using var client = await factory.SignedInClientAsync();
        var response = await client.GetAsync(new Uri(route, UriKind.Relative));
        Assert.NotEqual(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("role=\"alert\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingPage_Is404WithAnInvitation()
    {
        using var client = await factory.SignedInClientAsync();
        var response = await client.GetAsync(new Uri("/wiki/procedures/nog-niet", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("bestaat nog niet", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenamedPage_RedirectsWithNotice_AndOldRevisionIsShown()
    {
        var store = factory.Services.GetRequiredService<PageStore>();
        var old = store.Read(PagePath.Parse("procedures/huurwaarborg"))!;
        await store.RenameAsync(old.Path, PagePath.Parse("procedures/huurwaarborg-nieuw"), new Author("T", "t@stad.example"), "hernoemd");
        try
        {
            using var client = await factory.SignedInClientAsync();
            var response = await client.GetAsync(new Uri("/wiki/procedures/huurwaarborg", UriKind.Relative));
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/wiki/procedures/huurwaarborg-nieuw?van=procedures%2Fhuurwaarborg", response.Headers.Location!.PathAndQuery);
            var html = await client.GetStringAsync(response.Headers.Location);
            Assert.Contains("doorgestuurd van", html, StringComparison.Ordinal);

            var oldHtml = await client.GetStringAsync(new Uri($"/wiki/procedures/huurwaarborg?rev={old.Revision}", UriKind.Relative));
            Assert.Contains("oude versie", oldHtml, StringComparison.Ordinal);
        }
        finally
        {
            await store.RenameAsync(PagePath.Parse("procedures/huurwaarborg-nieuw"), old.Path, new Author("T", "t@stad.example"), "terug");
        }
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("//evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("javascript:alert(1)")]
    public async Task SignIn_NeverRedirectsOffSite(string returnUrl)
    {
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var form = await client.GetStringAsync(new Uri("/signin?returnUrl=" + Uri.EscapeDataString(returnUrl), UriKind.Relative));
        var token = System.Text.RegularExpressions.Regex.Match(form, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["worker"] = "ma", ["returnUrl"] = returnUrl,
        });
        var response = await client.PostAsync(new Uri("/signin/dev", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task SignIn_WithoutAntiforgeryToken_IsRefused()
    {
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var content = new FormUrlEncodedContent(new Dictionary<string, string> { ["worker"] = "manager" });
        var response = await client.PostAsync(new Uri("/signin/dev", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Role_IsVisibleInTheUi()
    {
        using var manager = await factory.SignedInClientAsync("manager");
        Assert.Contains("<span class=\"user-role\">Beheerder</span>", await manager.GetStringAsync(new Uri("/", UriKind.Relative)), StringComparison.Ordinal);
        using var worker = await factory.SignedInClientAsync("ma");
        Assert.Contains("<span class=\"user-role\">Medewerker</span>", await worker.GetStringAsync(new Uri("/", UriKind.Relative)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LargeSection_IsListedOnlyOnItsOwnPages()
    {
        using var own = new HandbookFactory();
        var store = own.Services.GetRequiredService<PageStore>();
        for (var i = 0; i < 45; i++)
        {
            await store.SaveAsync(new SaveRequest(PagePath.Parse($"backoffice/veel-{i:D2}"), $"# Pagina {i:D2}\n", new Author("T", "t@stad.example"), "veel", null));
        }

        using var client = await own.SignedInClientAsync();
        var home = await client.GetStringAsync(new Uri("/", UriKind.Relative));
        Assert.DoesNotContain("/wiki/backoffice/veel-07", home, StringComparison.Ordinal);
        Assert.Contains("(45 pagina", home, StringComparison.Ordinal);
        var inside = await client.GetStringAsync(new Uri("/wiki/backoffice/veel-01", UriKind.Relative));
        Assert.Contains("/wiki/backoffice/veel-07", inside, StringComparison.Ordinal);
    }

    [Fact]
    public async Task English_IsAvailable()
    {
        using var client = await factory.SignedInClientAsync();
        var html = await client.GetStringAsync(new Uri("/?culture=en", UriKind.Relative));
        Assert.Contains("Recent changes", html, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"en\">", html, StringComparison.Ordinal);
    }
}

public sealed class StartupTests
{
    [Fact]
    public void Production_WithoutIdentityProvider_RefusesToStartWithAClearMessage()
    {
        using var factory = new HandbookFactory().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Production");
            b.UseSetting("Handbook:PublicUrl", "https://handboek.stad.example");
        });
        var e = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        Assert.Contains("AzureAd:ClientId", (e.InnerException ?? e).Message + e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_WithEntraConfigured_HasNoDevelopmentSignIn()
    {
        using var factory = new HandbookFactory().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Production");
            b.UseSetting("Handbook:PublicUrl", "https://handboek.stad.example");
            b.UseSetting("AzureAd:Instance", "https://login.microsoftonline.com/");
            b.UseSetting("AzureAd:TenantId", "00000000-0000-0000-0000-000000000001");
            b.UseSetting("AzureAd:ClientId", "00000000-0000-0000-0000-000000000002");
            b.UseSetting("AzureAd:ClientSecret", "not-a-secret");
        });
        // Building the host runs the production registration; no request is made (there is no Entra ID here).
        var endpoints = factory.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints
            .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>().Select(e => e.RoutePattern.RawText).ToList();
        Assert.Contains("/signin/oidc", endpoints);
        Assert.DoesNotContain("/signin/dev", endpoints);
        Assert.False(factory.Services.GetRequiredService<Handbook.Identity.SignInMode>().Development);

        // Only the public URL's host is answered (health needs no sign-in, so no identity provider is asked).
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Host = "handboek.stad.example";
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync(new Uri("/health", UriKind.Relative))).StatusCode);
        client.DefaultRequestHeaders.Host = "evil.example";
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, (await client.GetAsync(new Uri("/health", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public void Production_WithoutPublicUrlOrAllowedHosts_RefusesToStartWithAClearMessage()
    {
        using var factory = new HandbookFactory().WithWebHostBuilder(b => b.UseEnvironment("Production"));
        var e = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        Assert.Contains("Handbook:PublicUrl", (e.InnerException ?? e).Message + e.Message, StringComparison.Ordinal);
    }
}
