using System.Collections.Concurrent;
using System.Diagnostics;
using Handbook.GitStore;
using Handbook.Sync;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Handbook.Tests;

/// <summary>
/// The app's sync against a real git server on loopback (git's smart-HTTP server behind Basic authentication):
/// the credentials path a city git server uses, pushes and fetches over the network, an outage, two instances.
/// </summary>
public sealed class GitServerSyncTests : IAsyncLifetime
{
    private const string Repository = "handbook.git";
    private readonly string _root = Directory.CreateTempSubdirectory("handbook-gitserver-").FullName;
    private readonly string _password = "tok-" + Guid.NewGuid().ToString("N");
    private readonly List<IDisposable> _owned = [];
    private readonly CollectingLogs _logs = new();
    private GitHttpServer _server = null!;

    private string Upstream => Path.Combine(_root, "server", Repository);

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(_root, "server"));
        TestGit.Run(Path.Combine(_root, "server"), $"init -q --bare -b main {Repository}");
        _server = await GitHttpServer.StartAsync(Path.Combine(_root, "server"), "handbook-bot", _password);
    }

    public async Task DisposeAsync()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            owned.Dispose();
        }

        await _server.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task SaveIsPushed_CliCommitShowsUpInHistoryChangesAndSearch_CredentialsNeverShown()
    {
        var app = Instance();
        var store = app.Services.GetRequiredService<PageStore>();

        // The new instance seeds the empty upstream, then every save is pushed.
        await TestGit.Eventually(() => TestGit.Head(Upstream) == store.Head);
        var saved = (SaveResult.Saved)await store.SaveAsync(new SaveRequest(PagePath.Parse("werking/lokaal"), "lokaal\n", new Author("Lokale Medewerker", "l@stad.example"), "lokaal", null));
        await TestGit.Eventually(() => TestGit.Head(Upstream) == saved.Revision);
        Assert.True(_server.Refused > 0, "libgit2 should first be challenged and then send the configured credentials");

        // A power user clones over HTTP, commits with git and pushes.
        TestGit.Run(_root, $"clone -q {_server.UrlWithCredentials(Repository)} power");
        var clone = Path.Combine(_root, "power");
        var file = Path.Combine(clone, "procedures", "huurwaarborg.md");
        File.AppendAllText(file, "\nNieuw: de zonnepanelenpremie telt niet mee.\n");
        TestGit.Run(clone, "-c user.name=\"Power Gebruiker\" -c user.email=power@stad.example commit -q -am \"Premie toegevoegd via git\"");
        TestGit.Run(clone, "push -q origin HEAD:main");

        await TestGit.Eventually(() => store.LastChange(PagePath.Parse("procedures/huurwaarborg"))?.Author.Name == "Power Gebruiker");
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        await HandbookFactory.SignInAsync(client, "manager");
        var history = await client.GetStringAsync(new Uri("/history/procedures/huurwaarborg", UriKind.Relative));
        Assert.Contains("Power Gebruiker", history, StringComparison.Ordinal);
        Assert.Contains("Premie toegevoegd via git", history, StringComparison.Ordinal);
        var changes = await client.GetStringAsync(new Uri("/changes", UriKind.Relative));
        Assert.Contains("Power Gebruiker", changes, StringComparison.Ordinal);
        await TestGit.EventuallyAsync(async () => (await client.GetStringAsync(new Uri("/search?q=zonnepanelenpremie", UriKind.Relative)))
            .Contains("/wiki/procedures/huurwaarborg", StringComparison.Ordinal));

        // The administrators' page shows the server and its state, never the secret; neither does any log line.
        var status = await client.GetStringAsync(new Uri("/beheer/sync", UriKind.Relative));
        Assert.Contains(_server.Url(Repository), status, StringComparison.Ordinal);
        Assert.DoesNotContain(_password, status, StringComparison.Ordinal);
        Assert.NotEmpty(_logs.Lines);
        Assert.DoesNotContain(_logs.Lines, l => l.Contains(_password, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SyncNow_OnTheAdministratorsPage_FetchesWithoutWaitingForTheInterval()
    {
        var app = Instance(intervalSeconds: 3600);
        var store = app.Services.GetRequiredService<PageStore>();
        await TestGit.Eventually(() => TestGit.Head(Upstream) == store.Head);
        TestGit.Run(_root, $"clone -q {_server.UrlWithCredentials(Repository)} power");
        var clone = Path.Combine(_root, "power");
        File.AppendAllText(Path.Combine(clone, "procedures", "huurwaarborg.md"), "\nOp aanvraag opgehaald.\n");
        TestGit.Run(clone, "-c user.name=Power -c user.email=power@stad.example commit -q -am \"Op aanvraag\"");
        TestGit.Run(clone, "push -q origin HEAD:main");
        await Task.Delay(1500);
        Assert.NotEqual("Power", store.LastChange(PagePath.Parse("procedures/huurwaarborg"))!.Author.Name);

        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        await HandbookFactory.SignInAsync(client, "manager");
        var page = await client.GetStringAsync(new Uri("/beheer/sync", UriKind.Relative));
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["_handler"] = "sync-now" });
        var posted = await client.PostAsync(new Uri("/beheer/sync", UriKind.Relative), form);
        Assert.True(posted.IsSuccessStatusCode || posted.StatusCode == System.Net.HttpStatusCode.Redirect, posted.StatusCode.ToString());
        await TestGit.Eventually(() => store.LastChange(PagePath.Parse("procedures/huurwaarborg"))?.Author.Name == "Power");
        await TestGit.EventuallyAsync(async () => (await client.GetStringAsync(new Uri("/beheer/sync", UriKind.Relative))).Contains("bijgewerkt naar de git-server", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WrongPassword_IsAClearErrorForAdministrators_AndSavesStillWork()
    {
        var app = Instance(password: "wrong-" + _password);
        var store = app.Services.GetRequiredService<PageStore>();
        var sync = app.Services.GetRequiredService<SyncService>();
        await TestGit.Eventually(() => sync.Status.LastError is not null);
        var saved = await store.SaveAsync(new SaveRequest(PagePath.Parse("werking/lokaal"), "lokaal\n", new Author("L", "l@stad.example"), "lokaal", null));
        Assert.IsType<SaveResult.Saved>(saved);
        Assert.Null(TestGit.Head(Upstream));

        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        await HandbookFactory.SignInAsync(client, "manager");
        var status = await client.GetStringAsync(new Uri("/beheer/sync", UriKind.Relative));
        Assert.Contains(System.Net.WebUtility.HtmlEncode(sync.Status.LastError!), status, StringComparison.Ordinal);
        Assert.DoesNotContain(_password, status, StringComparison.Ordinal);
        Assert.DoesNotContain(_logs.Lines, l => l.Contains(_password, StringComparison.Ordinal));
    }

    [Fact]
    public async Task UpstreamUnreachable_SavesWorkLocally_AndArePushedOnceItIsBack()
    {
        var app = Instance();
        var store = app.Services.GetRequiredService<PageStore>();
        var sync = app.Services.GetRequiredService<SyncService>();
        await TestGit.Eventually(() => TestGit.Head(Upstream) == store.Head);

        await _server.StopAsync();
        var saves = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var result = await store.SaveAsync(new SaveRequest(PagePath.Parse($"werking/offline-{i}"), $"offline {i}\n", new Author("L", "l@stad.example"), "tijdens de storing", null));
            saves.Add(Assert.IsType<SaveResult.Saved>(result).Revision);
        }

        await TestGit.Eventually(() => sync.Status.LastError is not null && sync.Status.Failures > 0);
        Assert.False(store.IsPushed());

        await _server.StartAsync(); // same port: the server is back
        await TestGit.Eventually(() => TestGit.Head(Upstream) == saves[^1], seconds: 60);
        await TestGit.Eventually(() => sync.Status.LastError is null);
        var upstreamLog = TestGit.Run(Upstream, "rev-list main");
        Assert.All(saves, s => Assert.Contains(s, upstreamLog, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TwoInstances_Converge_AndSameLineEditsKeepBothTextsAndFlagThePage()
    {
        var a = Instance();
        var storeA = a.Services.GetRequiredService<PageStore>();
        await TestGit.Eventually(() => TestGit.Head(Upstream) == storeA.Head);
        var b = Instance();
        var storeB = b.Services.GetRequiredService<PageStore>();

        // The second instance starts from the first one's history, not from its own seed.
        Assert.Equal(storeA.History(PagePath.Parse("procedures/huurwaarborg"))[^1].Revision, storeB.History(PagePath.Parse("procedures/huurwaarborg"))[^1].Revision);

        // Edits on either appear on both.
        await storeA.SaveAsync(new SaveRequest(PagePath.Parse("werking/van-a"), "geschreven op A\n", new Author("Anna", "a@stad.example"), "op A", null));
        await storeB.SaveAsync(new SaveRequest(PagePath.Parse("werking/van-b"), "geschreven op B\n", new Author("Bram", "b@stad.example"), "op B", null));
        await TestGit.Eventually(() => storeA.Exists(PagePath.Parse("werking/van-b")) && storeB.Exists(PagePath.Parse("werking/van-a")));
        Assert.Equal("Bram", storeA.LastChange(PagePath.Parse("werking/van-b"))!.Author.Name);

        // The same line changed on both while the server is down: after it is back both converge on one text,
        // the page is flagged on both, and the other text is still in history.
        var path = PagePath.Parse("procedures/huurwaarborg");
        await TestGit.Eventually(() => storeA.Head == storeB.Head);
        await _server.StopAsync();
        var page = storeA.Read(path)!;
        var onA = (SaveResult.Saved)await storeA.SaveAsync(new SaveRequest(path, page.Text.Replace("Huurwaarborg via het OCMW.", "Huurwaarborg via het OCMW (A).", StringComparison.Ordinal), new Author("Anna", "a@stad.example"), "A", page.Revision));
        var onB = (SaveResult.Saved)await storeB.SaveAsync(new SaveRequest(path, page.Text.Replace("Huurwaarborg via het OCMW.", "Huurwaarborg via het OCMW (B).", StringComparison.Ordinal), new Author("Bram", "b@stad.example"), "B", page.Revision));
        await _server.StartAsync();
        await TestGit.Eventually(() => storeA.Head == storeB.Head && storeA.Head == TestGit.Head(Upstream) && storeA.SyncConflicts().ContainsKey(path), seconds: 60);

        var kept = storeA.Read(path)!.Text;
        var conflict = storeB.SyncConflicts()[path];
        var (winner, loser) = kept.Contains("(A)", StringComparison.Ordinal) ? (onA, onB) : (onB, onA);
        Assert.Contains(kept.Contains("(A)", StringComparison.Ordinal) ? "(A)" : "(B)", kept, StringComparison.Ordinal);
        Assert.Equal(loser.Revision, conflict.LocalRevision);
        Assert.Equal(winner.Revision, conflict.UpstreamRevision);
        Assert.Contains(loser == onA ? "(A)" : "(B)", storeB.Read(path, conflict.LocalRevision)!.Text, StringComparison.Ordinal);

        // The notice links both versions on either instance.
        foreach (var app in new[] { a, b })
        {
            using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
            await HandbookFactory.SignInAsync(client, "ma");
            var html = await client.GetStringAsync(new Uri("/wiki/procedures/huurwaarborg", UriKind.Relative));
            Assert.Contains("tegelijk hier en op de git-server", html, StringComparison.Ordinal);
            Assert.Contains(conflict.LocalRevision, html, StringComparison.Ordinal);
        }

        TestGit.Run(Upstream, "fsck --strict --no-dangling");
    }

    private WebApplicationFactory<Program> Instance(string? password = null, int intervalSeconds = 1)
    {
        var seed = new HandbookFactory();
        _owned.Add(seed);
        var app = seed.WithWebHostBuilder(b =>
        {
            b.UseSetting("Handbook:Upstream:Url", _server.Url(Repository));
            b.UseSetting("Handbook:Upstream:Username", _server.Username);
            b.UseSetting("Handbook:Upstream:Password", password ?? _password);
            b.UseSetting("Handbook:Upstream:IntervalSeconds", intervalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
            b.ConfigureLogging(l => l.AddProvider(_logs).SetMinimumLevel(LogLevel.Debug));
        });
        _owned.Add(app);
        _ = app.Server; // start now, as a deployed instance would
        return app;
    }

    /// <summary>Every log line the app writes, formatted, with exceptions.</summary>
    private sealed class CollectingLogs : ILoggerProvider
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(CollectingLogs owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var line = $"{category}: {formatter(state, exception)} {exception}";
                if (state is IEnumerable<KeyValuePair<string, object?>> values)
                {
                    line += " " + string.Join(' ', values.Select(v => $"{v.Key}={v.Value}"));
                }

                owner.Lines.Enqueue(line);
            }
        }
    }
}
