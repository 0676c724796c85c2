using System.Net;
using Handbook.Editing;
using Handbook.GitStore;
using Handbook.Region;
using Handbook.Search;
using Handbook.Tests.Questions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Handbook.Tests.Region;

/// <summary>
/// Two cities and one regional repository served by a real git smart-HTTP server on loopback: the shared pages in
/// both, found by search in both; city A adapts one, the region changes it, A's adaptation is flagged with the
/// region's change, A takes it; B (no adaptation) reads the new version; A offers its version back as a branch.
/// Everything through the app's own pages and forms, as workers use them.
/// </summary>
public sealed class RegionalHandbookTests : IAsyncLifetime
{
    private const string Repository = "regio.git";
    private readonly string _root = Directory.CreateTempSubdirectory("handbook-region-").FullName;
    private readonly string _password = "tok-" + Guid.NewGuid().ToString("N");
    private readonly List<IDisposable> _owned = [];
    private GitHttpServer _server = null!;
    private string _work = null!;

    private string RegionPath => Path.Combine(_root, "server", Repository);

    private static readonly PagePath Leefloon = PagePath.Parse("regio/leefloon");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(_root, "server"));
        TestGit.Run(Path.Combine(_root, "server"), $"init -q --bare -b main {Repository}");
        _server = await GitHttpServer.StartAsync(Path.Combine(_root, "server"), "regio-bot", _password);
        // The region's editors write its handbook with git (or their own Handbook instance on it).
        TestGit.Run(_root, $"clone -q {_server.UrlWithCredentials(Repository)} werk");
        _work = Path.Combine(_root, "werk");
        TestGit.Run(_work, "checkout -q -b main");
        Write("leefloon.md", "---\ntitle: Leefloon in de regio\n---\n# Leefloon in de regio\n\nDe aanvraag gebeurt bij het OCMW van de woonplaats.\n\n" +
            "Het sociaal onderzoek volgt binnen een termijn die nog aan te vullen is.\n\nDe beslissing komt van het bijzonder comité.\n\n" +
            "Beroep kan bij de arbeidsrechtbank.\n");
        Write("wetgeving/artikel-zestig.md", "---\ntitle: Artikel zestig\n---\n# Artikel zestig\n\nTewerkstelling als opstap; zie ook [[leefloon]] en [[Leefloon in de regio]].\n\nDe RTA regelt dit.\n");
        Write("afkortingen.md", "---\ntitle: Afkortingen van de regio\n---\n# Afkortingen van de regio\n\n| Afkorting | Betekenis |\n|---|---|\n| RTA | Regionale testafspraak |\n| OCMW | Zo zegt de regio het |\n");
        Write("synoniemen.md", "---\ntitle: Synoniemen van de regio\n---\n# Synoniemen van de regio\n\n| Woord of uitdrukking | Betekent ook |\n|---|---|\n| kraanwatergeld | leefloon |\n| schulden | regionale schuldhulp |\n");
        Commit("Gedeeld handboek begonnen", "Regio Redactie", "redactie@regio.example");
    }

    public async Task DisposeAsync()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            owned.Dispose();
        }

        await _server.DisposeAsync();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task SharedPage_InBothCities_AdaptedByA_ChangedByTheRegion_FlaggedMergedAndProposed_BReadsTheNewVersion()
    {
        var (a, storeA) = await CityAsync("Stad A", editor: "manager@demo.handbook.invalid");
        var (b, storeB) = await CityAsync("Stad B");
        using var ma = await SignedInAsync(a, "ma");
        using var manager = await SignedInAsync(a, "manager");
        using var maB = await SignedInAsync(b, "ma");

        // In both cities: the page, where it comes from and who shares it, found by search.
        foreach (var client in new[] { ma, maB })
        {
            var page = await client.GetStringAsync(Url(Leefloon));
            Assert.Contains("bijzonder comité", page, StringComparison.Ordinal);
            Assert.Contains("Uit Regio Rivierenland", page, StringComparison.Ordinal);
            Assert.Contains("gedeeld met: Stad A, Stad B", page, StringComparison.Ordinal);
            Assert.Contains(">Aanpassen voor onze stad<", page, StringComparison.Ordinal);
            Assert.DoesNotContain("/rename/regio/leefloon", page, StringComparison.Ordinal);
            Assert.DoesNotContain("/delete/regio/leefloon", page, StringComparison.Ordinal);
            // The result links to the page (through /zoeken/open, which notes the search was answered).
            var results = await client.GetStringAsync(new Uri("/search?q=arbeidsrechtbank", UriKind.Relative));
            Assert.Contains("pad=regio%2Fleefloon", results, StringComparison.Ordinal);
            Assert.Contains("Leefloon in de regio", results, StringComparison.Ordinal);
            Assert.Contains("badge-shared", results, StringComparison.Ordinal);
            // The regional page's links name the regional page, by path and by title; its acronym, the regional glossary.
            var law = await client.GetStringAsync(Url(PagePath.Parse("regio/wetgeving/artikel-zestig")));
            Assert.Contains("href=\"/wiki/regio/leefloon\"", law, StringComparison.Ordinal);
            Assert.DoesNotContain("href=\"/wiki/leefloon\"", law, StringComparison.Ordinal);
            Assert.Contains("/wiki/regio/afkortingen#", law, StringComparison.Ordinal);
            Assert.Contains("Regionale testafspraak", law, StringComparison.Ordinal);
        }

        // The shared glossary and synonyms combine with A's own (the test handbook's): its own rows win.
        var snapshot = a.Services.GetRequiredService<Handbook.Catalog.HandbookCatalog>().Current;
        Assert.Equal("Regionale testafspraak", snapshot.Glossary.Entries["RTA"]);
        Assert.Equal("regio/afkortingen", snapshot.Glossary.PageOf("RTA"));
        Assert.NotEqual("Zo zegt de regio het", snapshot.Glossary.Entries["OCMW"]);
        Assert.Equal("afkortingen", snapshot.Glossary.PageOf("OCMW"));
        Assert.Contains("leefloon", snapshot.Synonyms.Lookup["kraanwatergeld"]);

        // Regional editors get the link to edit the page in the region itself; other workers do not.
        Assert.Contains("href=\"https://regio.handbook.invalid/edit/leefloon\"", await manager.GetStringAsync(Url(Leefloon)), StringComparison.Ordinal);
        Assert.DoesNotContain("regio.handbook.invalid", await ma.GetStringAsync(Url(Leefloon)), StringComparison.Ordinal);

        // A question on a shared page is the city's own (an entry in its repository), like any other.
        var asked = await a.Services.GetRequiredService<PageCommands>().AddQuestionEntryAsync(QuestionTests.Principal("ma"),
            new QuestionCommand(Leefloon, Handbook.Questions.EntryKind.Question, "Geldt dit ook voor studenten?"));
        Assert.True(asked.Succeeded, asked.Message);
        Assert.Contains("Geldt dit ook voor studenten?", await ma.GetStringAsync(Url(Leefloon)), StringComparison.Ordinal);

        // Offline copies take the shared pages along.
        var manifest = await ma.GetStringAsync(new Uri("/api/offline/manifest", UriKind.Relative));
        Assert.Contains("\"regio/leefloon\"", manifest, StringComparison.Ordinal);

        // A adapts the page for itself, as the editor saves (through the one door).
        var original = storeA.Read(Leefloon)!;
        var ours = original.Text.Replace("bij het OCMW van de woonplaats.", "bij het onthaal van het Sociaal Huis, zonder afspraak.", StringComparison.Ordinal);
        var saved = await a.Services.GetRequiredService<PageCommands>().SaveAsync(QuestionTests.Principal("ma"),
            new SaveCommand(Leefloon, ours, "Bij ons aan het onthaal", original.Revision, original.Text));
        Assert.True(saved.Succeeded, saved.Message);
        var adapted = await ma.GetStringAsync(Url(Leefloon));
        Assert.Contains("Aangepast voor onze stad", adapted, StringComparison.Ordinal);
        Assert.Contains("zonder afspraak", adapted, StringComparison.Ordinal);
        Assert.DoesNotContain("zonder afspraak", await maB.GetStringAsync(Url(Leefloon)), StringComparison.Ordinal);

        // The region changes another paragraph; an administrator of A fetches now, B on its own.
        Write("leefloon.md", Read("leefloon.md").Replace("Beroep kan bij de arbeidsrechtbank.", "Beroep kan bij de arbeidsrechtbank, binnen een termijn die nog aan te vullen is.", StringComparison.Ordinal));
        Commit("Beroepstermijn vermeld", "Regio Redactie", "redactie@regio.example");
        var admin = await manager.GetStringAsync(new Uri("/beheer/regio", UriKind.Relative));
        var fetched = await QuestionTests.PostFormAsync(manager, "/beheer/regio", admin, "region-fetch", []);
        Assert.Equal(HttpStatusCode.OK, fetched.StatusCode);
        Assert.Contains("Opgehaald: 1 nieuwe wijzigingen", await fetched.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await b.Services.GetRequiredService<RegionService>().FetchNowAsync();

        // A: ours still wins, flagged with the region's change (and only that change); on the review page too.
        var flagged = await ma.GetStringAsync(Url(Leefloon));
        Assert.Contains("zonder afspraak", flagged, StringComparison.Ordinal);
        Assert.Contains("heeft de gedeelde versie gewijzigd sinds jullie aanpassing", flagged, StringComparison.Ordinal);
        var shared = await ma.GetStringAsync(new Uri("/gedeeld/regio/leefloon", UriKind.Relative));
        var changes = Section(shared, "region-changes-title");
        Assert.Contains("binnen een termijn die nog aan te vullen is", changes, StringComparison.Ordinal);
        Assert.Contains("<ins", changes, StringComparison.Ordinal);
        Assert.DoesNotContain("zonder afspraak", changes, StringComparison.Ordinal);
        Assert.Contains("/gedeeld/regio/leefloon", await ma.GetStringAsync(new Uri("/review", UriKind.Relative)), StringComparison.Ordinal);
        // B: no adaptation, simply the new version.
        Assert.Contains("binnen een termijn die nog aan te vullen is", await maB.GetStringAsync(Url(Leefloon)), StringComparison.Ordinal);

        // A takes the change: both texts, no flag, still A's own version.
        var merged = await QuestionTests.PostFormAsync(ma, "/gedeeld/regio/leefloon", shared, "region-merge", []);
        Assert.Contains("De wijzigingen van de regio staan nu in jullie versie.", await merged.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var text = storeA.Read(Leefloon)!.Text;
        Assert.Contains("zonder afspraak", text, StringComparison.Ordinal);
        Assert.Contains("binnen een termijn die nog aan te vullen is", text, StringComparison.Ordinal);
        var after = await ma.GetStringAsync(Url(Leefloon));
        Assert.DoesNotContain("heeft de gedeelde versie gewijzigd", after, StringComparison.Ordinal);
        Assert.Contains("Aangepast voor onze stad", after, StringComparison.Ordinal);

        // A's history of the page: the region's author, A's adaptation, the region's change taken into it (the
        // regional commit itself changed nothing A reads); B's: the region's two commits.
        var history = await ma.GetStringAsync(new Uri("/history/regio/leefloon", UriKind.Relative));
        Assert.Contains("Regio Redactie", history, StringComparison.Ordinal);
        Assert.Contains("Bij ons aan het onthaal", history, StringComparison.Ordinal);
        Assert.Contains("Wijzigingen van Regio Rivierenland overgenomen", history, StringComparison.Ordinal);
        Assert.DoesNotContain("Beroepstermijn vermeld", history, StringComparison.Ordinal);
        Assert.Equal(["Beroepstermijn vermeld", "Gedeeld handboek begonnen"], storeB.History(Leefloon).Select(c => c.Summary));

        // A proposes its version back: a branch on the regional server, its main branch untouched.
        var regionalMain = TestGit.Head(RegionPath);
        shared = await ma.GetStringAsync(new Uri("/gedeeld/regio/leefloon", UriKind.Relative));
        var proposed = await QuestionTests.PostFormAsync(ma, "/gedeeld/regio/leefloon", shared, "region-propose",
            new() { ["ProposalSummary"] = "Onthaal zonder afspraak: ook voor de andere steden?" });
        var answer = WebUtility.HtmlDecode(await proposed.Content.ReadAsStringAsync());
        Assert.Contains("Voorstel verstuurd naar Regio Rivierenland als tak voorstel/stad-a/leefloon-", answer, StringComparison.Ordinal);
        Assert.Equal(regionalMain, TestGit.Head(RegionPath));
        var branches = TestGit.Run(RegionPath, "for-each-ref --format=%(refname) refs/heads/").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var branch = Assert.Single(branches, r => r.StartsWith("refs/heads/voorstel/stad-a/leefloon-", StringComparison.Ordinal));
        Assert.Equal(text, TestGit.Run(RegionPath, $"show {branch}:leefloon.md"));
        Assert.Equal(regionalMain, TestGit.Run(RegionPath, $"rev-parse {branch}~1").Trim());
        Assert.Contains("Demo Maatschappelijk Assistent", TestGit.Run(RegionPath, $"log -1 --format=%an {branch}"), StringComparison.Ordinal);

        // The cities' repositories are plain git.
        TestGit.Run(storeA.RepositoryPath, "fsck --strict --no-dangling");
        TestGit.Run(storeB.RepositoryPath, "fsck --strict --no-dangling");
    }

    [Fact]
    public async Task RegionUnreachable_BothCitiesServePagesSearchAndHistory_WithANotice()
    {
        var (a, _) = await CityAsync("Stad A");
        var (b, _) = await CityAsync("Stad B");
        await _server.StopAsync();
        foreach (var app in new[] { a, b })
        {
            var status = await app.Services.GetRequiredService<RegionService>().FetchNowAsync();
            Assert.True(status.Stale);
            using var client = await SignedInAsync(app, "ma");
            var page = await client.GetStringAsync(Url(Leefloon));
            Assert.Contains("bijzonder comité", page, StringComparison.Ordinal);
            Assert.Contains("kon niet worden bijgewerkt sinds", page, StringComparison.Ordinal);
            var search = await client.GetStringAsync(new Uri("/search?q=arbeidsrechtbank", UriKind.Relative));
            Assert.Contains("kon niet worden bijgewerkt sinds", search, StringComparison.Ordinal);
            Assert.Contains("leefloon", search, StringComparison.Ordinal);
            var history = await client.GetStringAsync(new Uri("/history/regio/leefloon", UriKind.Relative));
            Assert.Contains("Gedeeld handboek begonnen", history, StringComparison.Ordinal);
            Assert.Contains("kon niet worden bijgewerkt sinds", await client.GetStringAsync(new Uri("/changes", UriKind.Relative)), StringComparison.Ordinal);
            // A save of the city's own goes on.
            var local = await app.Services.GetRequiredService<PageStore>().SaveAsync(new SaveRequest(PagePath.Parse("werking/tijdens-storing"), "# Tijdens de storing\n",
                new Author("Demo", "demo@demo.handbook.invalid"), "tijdens de storing", null));
            Assert.IsType<SaveResult.Saved>(local);
        }

        // Back: the next fetch clears the notice.
        await _server.StartAsync();
        Assert.False((await a.Services.GetRequiredService<RegionService>().FetchNowAsync()).Stale);
        using var again = await SignedInAsync(a, "ma");
        Assert.DoesNotContain("kon niet worden bijgewerkt", await again.GetStringAsync(Url(Leefloon)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FirstImport_IsNoNewsToTheOwningTeam_ALaterRegionalChangeIs()
    {
        // The region is down when the city starts: the owning team's jurist signs in meanwhile (the app learns her team).
        Write("leefloon.md", Read("leefloon.md").Replace("title: Leefloon in de regio\n", "title: Leefloon in de regio\nowner: Backoffice juristen\n", StringComparison.Ordinal));
        Commit("Eigenaar vermeld", "Regio Redactie", "redactie@regio.example");
        await _server.StopAsync();
        var (a, store) = await CityAsync("Stad A", waitForImport: false);
        var region = a.Services.GetRequiredService<RegionService>();
        await TestGit.Eventually(() => region.Status.Stale);
        using var jurist = await SignedInAsync(a, "jurist");
        Assert.Equal(HttpStatusCode.OK, (await jurist.GetAsync(new Uri("/", UriKind.Relative))).StatusCode);
        var notifications = a.Services.GetRequiredService<Handbook.Notifications.NotificationStore>();
        var fanout = a.Services.GetRequiredService<Handbook.Notifications.NotificationFanout>();

        // The first import brings the region's past: no notification for it.
        await _server.StartAsync();
        await region.FetchNowAsync();
        Assert.True(store.Exists(Leefloon));
        fanout.CatchUp();
        Assert.Empty(notifications.List("jurist@demo.handbook.invalid"));

        // A later change of the region to a page her team owns is news.
        Write("leefloon.md", Read("leefloon.md").Replace("Beroep kan bij de arbeidsrechtbank.", "Beroep kan bij de arbeidsrechtbank of de raad.", StringComparison.Ordinal));
        Commit("Beroep aangevuld", "Regio Redactie", "redactie@regio.example");
        await region.FetchNowAsync();
        fanout.CatchUp();
        var news = Assert.Single(notifications.List("jurist@demo.handbook.invalid"));
        Assert.Equal(Leefloon.Value, news.Page);
        Assert.Equal("Beroep aangevuld", news.Summary);
    }

    private async Task<(WebApplicationFactory<Program> App, PageStore Store)> CityAsync(string city, string? editor = null, bool waitForImport = true)
    {
        var seed = new HandbookFactory();
        _owned.Add(seed);
        var app = seed.WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Handbook:Region:Url", _server.Url(Repository));
            builder.UseSetting("Handbook:Region:Username", _server.Username);
            builder.UseSetting("Handbook:Region:Password", _password);
            builder.UseSetting("Handbook:Region:IntervalSeconds", "3600");
            builder.UseSetting("Handbook:Region:Name", "Regio Rivierenland");
            builder.UseSetting("Handbook:Region:City", city);
            builder.UseSetting("Handbook:Region:Members:0", "Stad A");
            builder.UseSetting("Handbook:Region:Members:1", "Stad B");
            if (editor is not null)
            {
                builder.UseSetting("Handbook:Region:EditUrl", "https://regio.handbook.invalid/");
                builder.UseSetting("Handbook:Region:Editors:0", editor);
            }
        });
        _owned.Add(app);
        var store = app.Services.GetRequiredService<PageStore>();
        if (!waitForImport)
        {
            return (app, store);
        }

        // The first fetch runs when the app starts.
        await TestGit.Eventually(() => store.Exists(Leefloon), seconds: 60);
        await app.Services.GetRequiredService<SearchIndex>().UpdateAsync();
        return (app, store);
    }

    private static async Task<HttpClient> SignedInAsync(WebApplicationFactory<Program> app, string worker)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        await HandbookFactory.SignInAsync(client, worker);
        return client;
    }

    private static Uri Url(PagePath path) => new("/wiki/" + path.Value, UriKind.Relative);

    /// <summary>The section of <paramref name="html"/> labelled by the heading with id <paramref name="titleId"/>.</summary>
    private static string Section(string html, string titleId)
    {
        var start = html.IndexOf($"aria-labelledby=\"{titleId}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no section {titleId}");
        var end = html.IndexOf("</section>", start, StringComparison.Ordinal);
        return html[start..end];
    }

    private string Read(string file) => File.ReadAllText(Path.Combine(_work, file));

    private void Write(string file, string text)
    {
        var full = Path.Combine(_work, file);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    private void Commit(string message, string name, string email)
    {
        TestGit.Run(_work, "add -A");
        TestGit.Run(_work, $"-c user.name=\"{name}\" -c user.email={email} commit -q -m \"{message}\"");
        TestGit.Run(_work, "push -q origin main");
    }
}
