using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Handbook.Tests;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Handbook.EndToEnd;

/// <summary>
/// The app process killed with SIGKILL while workers are saving through the editor, then started again on the same
/// data: the repository opens clean, every save a worker saw confirmed is there, search catches up, saving works.
/// </summary>
public sealed class CrashTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly string[] Pages = ["procedures/huurwaarborg", "procedures/leefloon-aanvragen", "doelgroepen/oekrainers", "procedures"];
    private readonly string _root = Directory.CreateTempSubdirectory("handbook-crash-").FullName;
    private IPlaywright? _playwright;
    private IBrowser _browser = null!;

    private string Data => Path.Combine(_root, "data");

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await BrowserFixture.LaunchChromiumAsync(_playwright);
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright?.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task AppKilledDuringABurstOfEditorSaves_LosesNoAcknowledgedSave_AndRecovers()
    {
        var seed = TestHandbook.Create(_root);
        var port = AppProcess.FreePort();
        var app = await AppProcess.StartAsync(Data, seed, port);
        var acknowledged = new ConcurrentQueue<(string Page, string Word)>();
        using var killed = new CancellationTokenSource();
        var workers = Enumerable.Range(0, Pages.Length).Select(w => Task.Run(async () =>
        {
            var page = await SignedInAsync(app.BaseUrl);
            for (var i = 0; !killed.IsCancellationRequested; i++)
            {
                var word = Word(w, i);
                try
                {
                    await SaveThroughEditorAsync(page, app.BaseUrl, Pages[w], word);
                    if (!killed.IsCancellationRequested)
                    {
                        acknowledged.Enqueue((Pages[w], word)); // the worker saw the saved page with the new text
                    }
                }
                catch (Exception) when (killed.IsCancellationRequested)
                {
                    return; // the app is gone: whatever was in flight was never confirmed
                }
            }
        })).ToList();

        var deadline = DateTime.UtcNow.AddSeconds(180); // a busy 2-core machine: in CI one run saw 4 saves in 90 s
        while (acknowledged.Count < 8 && DateTime.UtcNow < deadline && workers.All(t => !t.IsCompleted))
        {
            await Task.Delay(20);
        }

        killed.Cancel();
        app.Kill();
        var failed = workers.FirstOrDefault(t => t.IsFaulted);
        Assert.True(failed is null, failed?.Exception?.ToString());
        await Task.WhenAll(workers);
        var confirmed = acknowledged.ToList();
        Assert.True(confirmed.Count >= 8, $"only {confirmed.Count} saves confirmed before the kill: {app.Output}");
        app.Dispose();

        // The repository is intact and holds every confirmed save.
        var repository = Path.Combine(Data, "handbook.git");
        TestGit.Run(repository, "fsck --strict --no-dangling");
        var landed = TestGit.Run(repository, "log --format=%s main").Split('\n').Count(s => s.StartsWith("burst ", StringComparison.Ordinal));
        output.WriteLine($"{confirmed.Count} saves confirmed before the kill, {landed} on the branch after it");
        foreach (var (page, word) in confirmed)
        {
            Assert.Contains(word, TestGit.Run(repository, $"show main:{page}.md"), StringComparison.Ordinal);
        }

        // Started again on the same data (same port, so the browser's cookie still applies): search catches up
        // with the last saves, and the next save goes through (no lock file left behind).
        using var restarted = await AppProcess.StartAsync(Data, seed, port);
        var reader = await SignedInAsync(restarted.BaseUrl);
        foreach (var (page, word) in confirmed.GroupBy(c => c.Page).Select(g => g.Last()))
        {
            var found = false;
            for (var attempt = 0; attempt < 60 && !found; attempt++)
            {
                await reader.GotoAsync($"{restarted.BaseUrl}/search?q={word}");
                found = await reader.Locator($"a[href='/wiki/{page}']").CountAsync() > 0;
                if (!found)
                {
                    await Task.Delay(500);
                }
            }

            Assert.True(found, $"search did not find '{word}' on {page} after the restart");
        }

        await SaveThroughEditorAsync(reader, restarted.BaseUrl, Pages[0], "naderherstart");
        Assert.Contains("naderherstart", TestGit.Run(repository, $"show main:{Pages[0]}.md"), StringComparison.Ordinal);
        TestGit.Run(repository, "fsck --strict --no-dangling");
    }

    /// <summary>A word of letters only, unique per worker and save, that search indexes as one term.</summary>
    private static string Word(int worker, int save)
    {
        var letters = new string([.. $"{save:D3}".Select(c => (char)('k' + c - '0'))]);
        return $"crashq{(char)('a' + worker)}{letters}";
    }

    private async Task<IPage> SignedInAsync(string baseUrl)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { Locale = "nl-BE" });
        var page = await context.NewPageAsync();
        await page.GotoAsync(baseUrl + "/signin");
        await page.ClickAsync("button[data-worker=ma]");
        await page.WaitForURLAsync(baseUrl + "/");
        return page;
    }

    private static async Task SaveThroughEditorAsync(IPage page, string baseUrl, string path, string word)
    {
        await page.GotoAsync($"{baseUrl}/edit/{path}");
        await Expect(page.Locator(".edit-page[data-ready=true]")).ToBeVisibleAsync(new() { Timeout = 20000 });
        await page.Locator(".editor-host .hb-content").ClickAsync(new() { Position = new() { X = 5, Y = 5 } });
        await page.Keyboard.PressAsync("Control+End");
        await page.Keyboard.PressAsync("Enter");
        await page.Keyboard.TypeAsync(word);
        await page.Locator("#save-summary").FillAsync("burst " + word);
        await page.GetByRole(AriaRole.Button, new() { Name = "Bewaren" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(Regex.Escape($"/wiki/{path}") + "$"), new() { Timeout = 20000 });
        await Expect(page.Locator(".page-body")).ToContainTextAsync(word, new() { Timeout = 20000 });
    }
}
