using System.Diagnostics;
using Handbook.GitStore;
using Handbook.Sync;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Handbook.Tests;

/// <summary>The app's background sync against a bare upstream over file://.</summary>
public sealed class SyncHttpTests : IDisposable
{
    private readonly HandbookFactory _seed = new();
    private readonly Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> _app;
    private readonly string _upstream;

    public SyncHttpTests()
    {
        // The upstream starts as a copy of what the app seeds.
        _upstream = Path.Combine(_seed.Root, "upstream.git");
        PageStore.Open(new PageStoreOptions { RepositoryPath = Path.Combine(_seed.DataPath, "handbook.git"), SeedPath = _seed.SeedPath }).Dispose();
        TestGit.Run(_seed.Root, $"clone -q --bare \"{Path.Combine(_seed.DataPath, "handbook.git")}\" upstream.git");
        _app = _seed.WithWebHostBuilder(b =>
        {
            b.UseSetting("Handbook:Upstream:Url", "file://" + _upstream);
            b.UseSetting("Handbook:Upstream:IntervalSeconds", "1");
        });
    }

    public void Dispose()
    {
        _app.Dispose();
        _seed.Dispose();
    }

    [Fact]
    public async Task SaveIsPushed_ExternalCommitArrives_ConflictIsFlaggedOnThePage()
    {
        using var client = _app.CreateClient();
        var store = _app.Services.GetRequiredService<PageStore>();
        var sync = _app.Services.GetRequiredService<SyncService>();

        // A save is pushed in the background.
        var saved = (SaveResult.Saved)await store.SaveAsync(new SaveRequest(PagePath.Parse("werking/lokaal"), "lokaal\n", new Author("Lokaal", "l@stad.example"), "lokaal", null));
        await TestGit.Eventually(() => TestGit.Run(_upstream, "rev-parse main").Trim() == saved.Revision);

        // A power user's push arrives within the interval, with its author.
        var clone = Path.Combine(_seed.Root, "power");
        TestGit.Run(_seed.Root, $"clone -q \"{_upstream}\" power");
        var file = Path.Combine(clone, "procedures", "huurwaarborg.md");
        File.WriteAllText(file, File.ReadAllText(file).Replace("Huurwaarborg via het OCMW.", "Huurwaarborg via het OCMW (upstream).", StringComparison.Ordinal));
        TestGit.Run(clone, "-c user.name=\"Power Gebruiker\" -c user.email=power@stad.example commit -q -am \"Via git\"");
        TestGit.Run(clone, "push -q origin HEAD:main");
        await TestGit.Eventually(() => store.LastChange(PagePath.Parse("procedures/huurwaarborg"))?.Author.Name == "Power Gebruiker");

        // Same line on both sides: upstream's text is kept and the page shows a conflict notice.
        var page = store.Read(PagePath.Parse("procedures/huurwaarborg"))!;
        File.WriteAllText(file, File.ReadAllText(file).Replace("(upstream)", "(upstream 2)", StringComparison.Ordinal));
        TestGit.Run(clone, "-c user.name=Power -c user.email=power@stad.example commit -q -am \"Tweede\"");
        TestGit.Run(clone, "push -q origin HEAD:main");
        await store.SaveAsync(new SaveRequest(page.Path, page.Text.Replace("(upstream)", "(lokaal)", StringComparison.Ordinal), new Author("Lokaal", "l@stad.example"), "lokaal", page.Revision));
        sync.RequestSync();
        await TestGit.Eventually(() => store.SyncConflicts().ContainsKey(page.Path));
        Assert.Contains("(upstream 2)", store.Read(page.Path)!.Text, StringComparison.Ordinal);
        using var signedIn = await SignIn();
        var html = await signedIn.GetStringAsync(new Uri("/wiki/procedures/huurwaarborg", UriKind.Relative));
        Assert.Contains("tegelijk hier en op de git-server", html, StringComparison.Ordinal);
        Assert.Null(sync.Status.LastError);
    }

    [Fact]
    public async Task SyncStatus_IsForAdministratorsOnly()
    {
        using var manager = await SignIn("manager");
        var html = await manager.GetStringAsync(new Uri("/beheer/sync", UriKind.Relative));
        Assert.Contains("file://" + _upstream, html, StringComparison.Ordinal);

        using var worker = await SignIn("ma");
        var response = await worker.GetAsync(new Uri("/beheer/sync", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/geen-toegang", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    private async Task<HttpClient> SignIn(string worker = "ma")
    {
        var client = _app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        await HandbookFactory.SignInAsync(client, worker);
        return client;
    }
}
