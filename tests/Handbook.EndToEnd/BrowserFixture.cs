using Handbook.Tests;
using Microsoft.Playwright;

namespace Handbook.EndToEnd;

/// <summary>The real app on a real loopback socket, and Debian's chromium driven by Playwright.</summary>
public class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public HandbookFactory App { get; } = new();

    public IBrowser Browser { get; private set; } = null!;

    public string BaseUrl { get; private set; } = "";

    public static string ArtifactsPath =>
        Path.Combine(Environment.GetEnvironmentVariable("HANDBOOK_ARTIFACTS") ?? Path.Combine(AppContext.BaseDirectory, "artifacts"), "screenshots");

    /// <summary>Writes the handbook the app is seeded with (the small test handbook and a hostile page by default).</summary>
    protected virtual void Seed() => TestHandbook.AddHostilePage(App.SeedPath);

    public async Task InitializeAsync()
    {
        Seed();
        // A 2 MB upload limit instead of 20: the refusal test then sends 3 MB through Playwright, not 21 (90 s in CI).
        App.Settings["Handbook:MaxUploadBytes"] = (2 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture);
        App.UseKestrel(0);
        App.StartServer();
        BaseUrl = App.ClientOptions.BaseAddress.ToString().TrimEnd('/');
        _playwright = await Playwright.CreateAsync();
        Browser = await LaunchChromiumAsync(_playwright);
    }

    /// <summary>Debian's chromium (never a downloaded browser), headless, with no background network traffic.</summary>
    public static Task<IBrowser> LaunchChromiumAsync(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        ExecutablePath = Environment.GetEnvironmentVariable("HANDBOOK_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium",
        Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"],
    });

    /// <summary>A new browser context (its own cookies), signed in as a demo worker through the sign-in page.</summary>
    public Task<IPage> SignedInPageAsync(string worker = "ma", BrowserNewContextOptions? options = null) =>
        SignInAsync(Browser, BaseUrl, worker, options);

    /// <summary>A new context of <paramref name="browser"/> signed in at <paramref name="baseUrl"/> (also for other fixtures).</summary>
    public static async Task<IPage> SignInAsync(IBrowser browser, string baseUrl, string worker, BrowserNewContextOptions? options = null)
    {
        var context = await browser.NewContextAsync(options ?? new BrowserNewContextOptions { Locale = "nl-BE" });
        var page = await context.NewPageAsync();
        await page.GotoAsync(baseUrl + "/");
        await page.WaitForURLAsync("**/signin**");
        await page.ClickAsync($"button[data-worker={worker}]");
        // The first sign-ins run while the unit tests load both cores: 30 s was once not enough for the redirect.
        await page.WaitForURLAsync(baseUrl + "/", new() { Timeout = 90_000 });
        return page;
    }

    /// <summary>
    /// Collects what must never happen on a page: console errors, uncaught errors and CSP violations (reported
    /// through the console by a script added before the page's own). Assert the list is empty at the end.
    /// </summary>
    public static async Task<List<string>> WatchForProblemsAsync(IPage page)
    {
        var problems = new List<string>();
        page.Console += (_, m) => { if (m.Type is "error") { problems.Add("console: " + m.Text); } };
        page.PageError += (_, e) => problems.Add("page error: " + e);
        await page.AddInitScriptAsync("document.addEventListener('securitypolicyviolation', e => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sample))");
        return problems;
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright?.Dispose();
        await App.DisposeAsync();
    }
}
