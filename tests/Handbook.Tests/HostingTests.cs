using System.Net;
using System.Text.RegularExpressions;
using Handbook.Catalog;
using Handbook.GitStore;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Handbook.Tests;

/// <summary>What a request may choose: not the host name of the links the app writes, not another site's circuit.</summary>
public sealed class HostingTests(HandbookFactory factory) : IClassFixture<HandbookFactory>
{
    private HttpClient Client(string? host = null)
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (host is not null)
        {
            client.DefaultRequestHeaders.Host = host;
        }

        return client;
    }

    [Theory]
    [InlineData("evil.example")]
    [InlineData("localhost.evil.example")]
    public async Task AnotherHostHeader_IsRefused(string host)
    {
        using var client = Client(host);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync(new Uri("/health", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync(new Uri("/changes.atom", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync(new Uri("/signin", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task ThisMachinesNames_AreAnswered()
    {
        using var client = Client("127.0.0.1:5000");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/health", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task SignOut_WithoutAntiforgeryToken_IsRefused_AndTheWorkerStaysSignedIn()
    {
        using var client = await factory.SignedInClientAsync("ma");
        foreach (var content in new HttpContent?[] { null, new StringContent("", System.Text.Encoding.UTF8, "text/plain"), new FormUrlEncodedContent([]) })
        {
            using var response = await client.PostAsync(new Uri("/signout", UriKind.Relative), content);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/wiki/procedures/huurwaarborg", UriKind.Relative))).StatusCode);

        // With the token from a page of the site it works.
        var page = await client.GetStringAsync(new Uri("/wiki/procedures/huurwaarborg", UriKind.Relative));
        var token = Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(token);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token });
        using var signedOut = await client.PostAsync(new Uri("/signout", UriKind.Relative), form);
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync(new Uri("/wiki/procedures/huurwaarborg", UriKind.Relative))).StatusCode);
    }

    [Theory]
    [InlineData("https://evil.example", HttpStatusCode.Forbidden)]
    [InlineData("http://localhost.evil.example", HttpStatusCode.Forbidden)]
    [InlineData("null", HttpStatusCode.Forbidden)]
    [InlineData("http://localhost", HttpStatusCode.OK)]
    public async Task Circuit_AnswersPagesOfThisSiteOnly(string origin, HttpStatusCode expected)
    {
        using var client = await factory.SignedInClientAsync("ma");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/_blazor/negotiate?negotiateVersion=1", UriKind.Relative));
        request.Headers.Add("Origin", origin);
        using var response = await client.SendAsync(request);
        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task CircuitWebSocket_FromAnotherOrigin_IsRefused()
    {
        var sockets = factory.Server.CreateWebSocketClient();
        sockets.ConfigureRequest = r => r.Headers.Origin = "https://evil.example";
        var e = await Assert.ThrowsAnyAsync<Exception>(() => sockets.ConnectAsync(new Uri(factory.Server.BaseAddress, "/_blazor?id=x"), CancellationToken.None));
        Assert.Contains("403", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/culture/en?returnUrl=/%E3%80%82x")]
    [InlineData("/culture/nl-BE?returnUrl=/wiki/doelgroepen/oekra%C3%AFners")]
    [InlineData("/culture/en?returnUrl=/%F0%9F%98%80")]
    public async Task ReturnUrl_WithCharactersOutsideAscii_RedirectsToThatLocalPath(string url)
    {
        using var client = await factory.SignedInClientAsync("ma");
        using var response = await client.GetAsync(new Uri(url, UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.StartsWith("/", location, StringComparison.Ordinal);
        Assert.True(location.All(char.IsAscii), location);
        Assert.Equal(Uri.UnescapeDataString(url[(url.IndexOf("returnUrl=", StringComparison.Ordinal) + 10)..]), Uri.UnescapeDataString(location));
    }

    [Fact]
    public async Task DevelopmentSignIn_WithANonAsciiReturnUrl_Redirects()
    {
        using var client = Client();
        var form = await client.GetStringAsync(new Uri("/signin", UriKind.Relative));
        var token = Regex.Match(form, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["worker"] = "ma", ["returnUrl"] = "/\u3002x",
        });
        using var response = await client.PostAsync(new Uri("/signin/dev", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/%E3%80%82x", response.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("https://evil.example", "localhost", false)]
    [InlineData("http://localhost", "localhost", true)]
    [InlineData("https://handboek.stad.example", "127.0.0.1:5000", true)]
    [InlineData("https://handboek.stad.example:8443", "127.0.0.1:5000", false)]
    [InlineData("http://127.0.0.1:5000", "127.0.0.1:5000", true)]
    [InlineData("http://127.0.0.1:5001", "127.0.0.1:5000", false)]
    [InlineData("file://", "localhost", false)]
    public void IsSameOrigin_ComparesHostAndPort(string origin, string host, bool expected) =>
        Assert.Equal(expected, HostingExtensions.IsSameOrigin(origin, new Microsoft.AspNetCore.Http.HostString(host), new Uri("https://handboek.stad.example/")));
}

/// <summary>With <c>Handbook:PublicUrl</c>, the links the app writes use it, and only its host is answered.</summary>
public sealed class PublicUrlTests : IDisposable
{
    private readonly HandbookFactory _factory = new() { Settings = { ["Handbook:PublicUrl"] = "https://handboek.stad.example" } };

    [Fact]
    public async Task FeedLinks_UseThePublicUrl_AndOtherHostsAreRefused()
    {
        using var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri("https://handboek.stad.example") });
        await HandbookFactory.SignInAsync(client, "manager");
        var feed = await client.GetStringAsync(new Uri("/changes.atom", UriKind.Relative));
        Assert.Contains("href=\"https://handboek.stad.example/changes\"", feed, StringComparison.Ordinal);
        Assert.DoesNotContain("localhost", feed, StringComparison.Ordinal);

        client.DefaultRequestHeaders.Host = "localhost";
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync(new Uri("/changes.atom", UriKind.Relative))).StatusCode);
    }

    public void Dispose() => _factory.Dispose();
}

/// <summary>One page's content, whatever it is, breaks that page at most: never the catalog, never another route.</summary>
public sealed class PageIsolationTests(HandbookFactory factory) : IClassFixture<HandbookFactory>
{
    [Fact]
    public async Task FrontMatterWithTheSameFieldTwice_BreaksNoRoute_AndIsReportedOnTheMaintenancePage()
    {
        var store = factory.Services.GetRequiredService<PageStore>();
        var path = PagePath.Parse("werking/dubbel");
        var saved = Assert.IsType<SaveResult.Saved>(await store.SaveAsync(new SaveRequest(path,
            "---\ntitle: a\nTitle: b\n---\nTekst van de pagina.\n", new Author("Demo Maatschappelijk Assistent", "ma@demo.handbook.invalid"), "Dubbel veld", null)));

        using var client = await factory.SignedInClientAsync("ma");
        foreach (var route in new[]
        {
            "/", "/wiki/werking/dubbel", "/wiki/procedures/huurwaarborg", "/search?q=tekst", "/changes", "/history/werking/dubbel",
            "/blame/werking/dubbel", "/edit/werking/dubbel", $"/restore/werking/dubbel?rev={saved.Revision}", "/onderhoud", "/review",
            "/raw/werking/dubbel", "/changes.atom",
        })
        {
            using var response = await client.GetAsync(new Uri(route, UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{route}: {(int)response.StatusCode}");
        }

        var page = await client.GetStringAsync(new Uri("/wiki/werking/dubbel", UriKind.Relative));
        Assert.Contains("meer dan eens", page, StringComparison.Ordinal);
        Assert.Contains("Tekst van de pagina.", page, StringComparison.Ordinal);
        var maintenance = await client.GetStringAsync(new Uri("/onderhoud", UriKind.Relative));
        Assert.Contains("href=\"/edit/werking/dubbel\"", maintenance[maintenance.IndexOf("problems-title", StringComparison.Ordinal)..], StringComparison.Ordinal);
        Assert.Equal("ok", await client.GetStringAsync(new Uri("/health", UriKind.Relative)));
    }

    [Fact]
    public async Task APageTooLargeToRead_IsShownAsTooLarge_OnEveryReadPath_AndCanBeDownloaded()
    {
        var store = factory.Services.GetRequiredService<PageStore>();
        var before = store.Head!;
        // Larger than the store reads whole (8 MB), as a push would bring it.
        var size = (int)store.MaxReadBytes + (1 << 20);
        var clone = Path.Combine(factory.Root, "groot");
        TestGit.Run(factory.Root, $"clone -q \"{store.RepositoryPath}\" groot");
        var line = "Een lange regel tekst over het leefloon en de huurwaarborg, keer op keer.\n";
        File.WriteAllText(Path.Combine(clone, "werking", "reus.md"), "---\ntitle: Reus\n---\n" + string.Concat(Enumerable.Repeat(line, size / line.Length)));
        TestGit.Run(clone, "add -A");
        TestGit.Run(clone, "-c user.name=Power -c user.email=p@stad.example commit -q -m Reus");
        TestGit.Run(clone, "push -q origin HEAD:main");
        var after = TestGit.Head(store.RepositoryPath)!;

        using var client = await factory.SignedInClientAsync("ma");
        foreach (var (route, expected) in new[]
        {
            ("/wiki/werking/reus", "te groot om te tonen"),
            ($"/diff/werking/reus?from={before}&to={after}", "te groot om te vergelijken"),
            ("/blame/werking/reus", "te groot om te tonen"),
            ("/history/werking/reus", "Reus"),
            ("/search?q=huurwaarborg", "zoek"),
            ("/onderhoud", "werking/reus"),
        })
        {
            using var response = await client.GetAsync(new Uri(route, UriKind.Relative));
            var html = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{route}: {(int)response.StatusCode}");
            Assert.True(html.Length < 200_000, $"{route}: {html.Length} characters sent");
            Assert.Contains(expected, html, StringComparison.OrdinalIgnoreCase);
        }

        // The text itself is a download, streamed whole.
        using var raw = await client.GetAsync(new Uri("/raw/werking/reus", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, raw.StatusCode);
        Assert.Equal("attachment", raw.Content.Headers.ContentDisposition?.DispositionType);
        var bytes = await raw.Content.ReadAsByteArrayAsync();
        Assert.Equal(File.ReadAllBytes(Path.Combine(clone, "werking", "reus.md")).Length, bytes.Length);
    }

    [Fact]
    public async Task Health_IsUnavailable_WhenTheCatalogCannotBeBuilt()
    {
        var catalog = factory.Services.GetRequiredService<HandbookCatalog>();
        var logger = Microsoft.Extensions.Logging.Abstractions.NullLogger<HostingExtensions.CatalogHealthCheck>.Instance;
        var healthy = new HostingExtensions.CatalogHealthCheck(() => catalog.Current, logger);
        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, (await healthy.CheckHealthAsync(new())).Status);
        var broken = new HostingExtensions.CatalogHealthCheck(() => throw new InvalidOperationException("a bug in the catalog"), logger);
        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Unhealthy, (await broken.CheckHealthAsync(new())).Status);
    }
}
