using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Handbook.GitStore;
using Handbook.Tests;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Handbook.EndToEnd;

/// <summary>
/// The production sign-in registration (Microsoft.Identity.Web, section AzureAd) against a real OpenID Connect
/// provider on 127.0.0.1 (npm oidc-provider), with the guarded test-authority override; no development sign-in.
/// </summary>
public sealed class OidcFixture : IAsyncLifetime
{
    private Process? _provider;
    private IPlaywright? _playwright;

    public HandbookFactory Seed { get; } = new();

    public WebApplicationFactory<Program> App { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public string BaseUrl { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var providerPort = FreePort();
        var authority = $"http://127.0.0.1:{providerPort}";
        App = Seed.WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Testing");
            // Outside Development the project's wwwroot is served only through the static web assets manifest.
            b.UseStaticWebAssets();
            b.UseSetting("AzureAd:Instance", authority + "/");
            b.UseSetting("AzureAd:TenantId", "test");
            b.UseSetting("AzureAd:ClientId", "handbook-test");
            b.UseSetting("AzureAd:ClientSecret", "test-secret-not-for-production");
            b.UseSetting("AzureAd:CallbackPath", "/signin-oidc");
            b.UseSetting("Auth:TestAuthority", authority);
        });
        App.UseKestrel(0);
        App.StartServer();
        BaseUrl = App.ClientOptions.BaseAddress.ToString().TrimEnd('/');

        var folder = Path.Combine(StarterContentTests.RepositoryRoot, "tests", "oidc-provider");
        _provider = Process.Start(new ProcessStartInfo("node", ["provider.mjs", providerPort.ToString(System.Globalization.CultureInfo.InvariantCulture), BaseUrl])
        {
            WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("node did not start");
        var ready = _provider.StandardOutput.ReadLineAsync();
        if (await Task.WhenAny(ready, Task.Delay(TimeSpan.FromSeconds(30))) != ready || ready.Result?.StartsWith("listening", StringComparison.Ordinal) != true)
        {
            throw new InvalidOperationException("The test OpenID Connect provider did not start (is tests/oidc-provider installed? ./test.sh does it): "
                                                + await _provider.StandardError.ReadToEndAsync());
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await BrowserFixture.LaunchChromiumAsync(_playwright);
    }

    /// <summary>Signs in through the provider's login and consent screens, as a worker would.</summary>
    public async Task<IPage> SignInAsync(string account, string returnPath)
    {
        var context = await Browser.NewContextAsync(new() { Locale = "nl-BE" });
        var page = await context.NewPageAsync();
        await page.GotoAsync(BaseUrl + returnPath);
        await page.WaitForURLAsync(new Regex("127\\.0\\.0\\.1:\\d+/interaction/"));
        Assert.DoesNotContain(new Uri(BaseUrl).Authority, new Uri(page.Url).Authority, StringComparison.Ordinal);
        await page.FillAsync("input[name=login]", account);
        await page.FillAsync("input[name=password]", "any");
        await page.ClickAsync("button[type=submit]");
        // The provider (a Node process) can be slow to answer while the rest of the suite runs beside it.
        await page.WaitForURLAsync(new Regex("/interaction/|" + Regex.Escape(BaseUrl)), new() { Timeout = 90_000 });
        if (page.Url.Contains("/interaction/", StringComparison.Ordinal))
        {
            await page.ClickAsync("button[type=submit]"); // consent
        }

        await page.WaitForURLAsync(BaseUrl + returnPath, new() { Timeout = 90_000 });
        return page;
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (_provider is { HasExited: false })
        {
            _provider.Kill(entireProcessTree: true);
        }

        _provider?.Dispose();
        await App.DisposeAsync();
        await Seed.DisposeAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

public sealed class SignInTests(OidcFixture fixture) : IClassFixture<OidcFixture>
{
    [Fact]
    public async Task Worker_SignsInThroughOpenIdConnect_AndTheirSaveIsACommitInTheirName()
    {
        var page = await fixture.SignInAsync("medewerker", "/wiki/procedures/huurwaarborg");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Huurwaarborg");
        await Expect(page.Locator(".user-name")).ToHaveTextAsync("Test Medewerker");
        await Expect(page.Locator(".user-role")).ToHaveTextAsync("Medewerker");
        await Expect(page.Locator(".dev-banner")).ToHaveCountAsync(0);

        await page.GotoAsync(fixture.BaseUrl + "/edit/procedures/huurwaarborg");
        await Expect(page.Locator(".edit-page[data-ready=true]")).ToBeVisibleAsync(new() { Timeout = 15000 });
        await page.Locator(".editor-host .hb-content").ClickAsync(new() { Position = new() { X = 5, Y = 5 } });
        await page.Keyboard.PressAsync("Control+End");
        await page.Keyboard.PressAsync("Enter");
        await page.Keyboard.TypeAsync("Aangevuld na aanmelden.");
        await page.Locator("#save-summary").FillAsync("Aangevuld via echte aanmelding");
        await page.GetByRole(AriaRole.Button, new() { Name = "Bewaren" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/wiki/procedures/huurwaarborg$"));

        var store = fixture.App.Services.GetRequiredService<PageStore>();
        var last = store.LastChange(PagePath.Parse("procedures/huurwaarborg"))!;
        Assert.Equal(new Author("Test Medewerker", "medewerker@stad.example"), last.Author);
        Assert.Equal("Aangevuld via echte aanmelding", last.Summary);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Administrator_RoleComesFromTheRolesClaim()
    {
        var page = await fixture.SignInAsync("beheerder", "/");
        await Expect(page.Locator(".user-role")).ToHaveTextAsync("Beheerder");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task DevelopmentSignIn_IsAbsentWhenAProviderIsConfigured()
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false };
        using var client = new HttpClient(handler) { BaseAddress = new Uri(fixture.BaseUrl) };
        var signin = await client.GetAsync(new Uri("/signin/oidc?returnUrl=%2F", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, signin.StatusCode);
        Assert.StartsWith("http://127.0.0.1:", signin.Headers.Location!.OriginalString, StringComparison.Ordinal);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["worker"] = "manager" });
        var dev = await client.PostAsync(new Uri("/signin/dev", UriKind.Relative), form);
        Assert.NotEqual(HttpStatusCode.OK, dev.StatusCode);
        Assert.False(dev.Headers.Contains("Set-Cookie") && dev.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("handbook.dev", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(new Uri("/raw/index", UriKind.Relative))).StatusCode);
    }
}
