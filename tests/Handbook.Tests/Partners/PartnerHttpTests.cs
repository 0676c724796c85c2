using System.Net;
using System.Text.Json;
using Handbook.GitStore;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Handbook.Tests.Partners;

/// <summary>
/// The sociale kaart through HTTP on a real repository: partner pages pushed with the git CLI appear on the generated
/// overview, in their theme, in this week's zitdagen and on the card, on a fixed clock (Wednesday 2 December 2026).
/// </summary>
public sealed class PartnerHttpTests : IDisposable
{
    private readonly HandbookFactory _seed = new();
    private readonly WebApplicationFactory<Program> _app;
    private readonly FixedClock _clock = FixedClock.AtBrussels(2026, 12, 2, 10, 0);

    public PartnerHttpTests()
    {
        _app = _seed.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(_clock)));
    }

    public void Dispose()
    {
        _app.Dispose();
        _seed.Dispose();
    }

    private async Task<HttpClient> ClientAsync()
    {
        var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        await HandbookFactory.SignInAsync(client, "ma");
        return client;
    }

    /// <summary>Clones the app's repository, writes the files, commits and pushes with the git CLI.</summary>
    private void Push(string name, params (string Path, string Text)[] files)
    {
        var store = _app.Services.GetRequiredService<PageStore>();
        var clone = Path.Combine(_seed.Root, name);
        TestGit.Run(_seed.Root, $"clone -q \"{store.RepositoryPath}\" {name}");
        foreach (var (path, text) in files)
        {
            var file = Path.Combine(clone, path);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(file, text);
        }

        TestGit.Run(clone, "add -A");
        TestGit.Run(clone, "-c user.name=Power -c user.email=power@demo.handbook.invalid commit -q -m \"Partner via git\"");
        TestGit.Run(clone, "push -q origin HEAD:main");
    }

    /// <summary>A clickable phone number (the renderer may encode the plus sign).</summary>
    private const string TelLink = "href=\"tel:(\\+|&#x2B;)3200000000\"";

    private const string Overview = "---\ntitle: Sociale kaart\nthemas: [wonen, schulden, ruimte]\n---\n# Sociale kaart\n\nAlle partners.\n";

    private const string Zeppelin = """
        ---
        title: Zeppelinhulp
        summary: Testpartner die helpt met testwoningen.
        afkorting: ZPLH
        themas: [ruimte]
        doelgroepen: [Testgroep]
        telefoon: "+32 0 000 00 00"
        zitdagen:
          - dag: donderdag
            uren: "13:30-16:00"
            lokaal: Testlokaal 7
            op_afspraak: nee
          - dag: dinsdag
            uren: "09:00-12:00"
            week: eerste
        ---
        # Zeppelinhulp

        Tekst.
        """;

    [Fact]
    public async Task PartnerPushedWithGit_AppearsOnTheOverviewInItsTheme_InTheWeek_OnTheCard_AndOnTheHomePage()
    {
        using var client = await ClientAsync();
        var before = await client.GetStringAsync(new Uri("/zitdagen", UriKind.Relative));
        Assert.DoesNotContain("ZPLH", before, StringComparison.Ordinal);

        Push("eerste", ("sociale-kaart.md", Overview), ("sociale-kaart/zeppelinhulp.md", Zeppelin));

        var overview = await client.GetStringAsync(new Uri("/wiki/sociale-kaart", UriKind.Relative));
        var ruimte = Section(overview, "data-theme=\"ruimte\"");
        Assert.Contains("ZPLH", ruimte, StringComparison.Ordinal);
        Assert.Contains("Zeppelinhulp", ruimte, StringComparison.Ordinal);
        Assert.Contains("Testpartner die helpt met testwoningen.", ruimte, StringComparison.Ordinal);
        Assert.Matches(TelLink, ruimte);
        Assert.DoesNotContain("data-theme=\"wonen\"", overview, StringComparison.Ordinal); // no partner there: no empty heading

        var filtered = await client.GetStringAsync(new Uri("/wiki/sociale-kaart?thema=wonen", UriKind.Relative));
        Assert.DoesNotContain("Zeppelinhulp", Section(filtered, "class=\"partner-overview\""), StringComparison.Ordinal);
        var byGroup = await client.GetStringAsync(new Uri("/wiki/sociale-kaart?doelgroep=Testgroep", UriKind.Relative));
        Assert.Contains("Zeppelinhulp", Section(byGroup, "class=\"partner-overview\""), StringComparison.Ordinal);
        var otherGroup = await client.GetStringAsync(new Uri("/wiki/sociale-kaart?thema=ruimte&doelgroep=Niemand", UriKind.Relative));
        Assert.DoesNotContain("zeppelinhulp\"", Section(otherGroup, "class=\"partner-overview\""), StringComparison.Ordinal);

        // This week (30 Nov – 6 Dec): Tuesday the 1st (first Tuesday) and Thursday the 3rd; next week only Thursday.
        var week = await client.GetStringAsync(new Uri("/zitdagen", UriKind.Relative));
        var thisWeek = Section(week, "data-week=\"2026-11-30\"");
        Assert.Contains("ZPLH", Section(thisWeek, "data-date=\"2026-12-01\""), StringComparison.Ordinal);
        Assert.Matches("09:00(–|&#x2013;)12:00", Section(thisWeek, "data-date=\"2026-12-01\""));
        Assert.Contains("Testlokaal 7", Section(thisWeek, "data-date=\"2026-12-03\""), StringComparison.Ordinal);
        Assert.DoesNotContain("ZPLH", Section(thisWeek, "data-date=\"2026-12-02\""), StringComparison.Ordinal);
        var nextWeek = Section(week, "data-week=\"2026-12-07\"");
        Assert.DoesNotContain("ZPLH", Section(nextWeek, "data-date=\"2026-12-08\""), StringComparison.Ordinal);
        Assert.Contains("ZPLH", Section(nextWeek, "data-date=\"2026-12-10\""), StringComparison.Ordinal);
        Assert.Contains("zitdag-today\" data-date=\"2026-12-02\"", week, StringComparison.Ordinal);

        var home = await client.GetStringAsync(new Uri("/", UriKind.Relative));
        Assert.Contains("ZPLH", Section(home, "class=\"zitdag-home\""), StringComparison.Ordinal);

        using var card = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/partners/card/sociale-kaart/zeppelinhulp", UriKind.Relative)));
        Assert.Equal("ZPLH", card.RootElement.GetProperty("acronym").GetString());
        Assert.Equal("tel:+3200000000", card.RootElement.GetProperty("tel").GetString());
        Assert.StartsWith("donderdag 3 december, 13:30–16:00", card.RootElement.GetProperty("nextZitdag").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, card.RootElement.GetProperty("email").ValueKind);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri("/api/partners/card/procedures/huurwaarborg", UriKind.Relative))).StatusCode);

        // The partner page itself: its fields, and "nog aan te vullen" where one is empty.
        var page = await client.GetStringAsync(new Uri("/wiki/sociale-kaart/zeppelinhulp", UriKind.Relative));
        var facts = Section(page, "class=\"partner-facts\"");
        Assert.Contains("Testlokaal 7", facts, StringComparison.Ordinal);
        Assert.Contains("nog aan te vullen", facts, StringComparison.Ordinal);
        Assert.Contains("eerste dinsdag van de maand", facts, StringComparison.Ordinal);

        // A second partner pushed later appears by itself; the clock moving on moves the week.
        Push("tweede", ("sociale-kaart/ballonhulp.md", "---\ntitle: Ballonhulp\nthemas: [ruimte]\nzitdagen:\n  - dag: maandag\n    uren: 10-11\n---\nTekst.\n"));
        Assert.Contains("Ballonhulp", Section(await client.GetStringAsync(new Uri("/wiki/sociale-kaart", UriKind.Relative)), "data-theme=\"ruimte\""), StringComparison.Ordinal);
        _clock.Now = FixedClock.AtBrussels(2026, 12, 8, 10, 0).Now;
        var later = await client.GetStringAsync(new Uri("/zitdagen", UriKind.Relative));
        Assert.Contains("data-week=\"2026-12-07\"", Section(later, "class=\"zitdag-week\""), StringComparison.Ordinal);
        Assert.Contains("Ballonhulp", Section(Section(later, "data-week=\"2026-12-14\""), "data-date=\"2026-12-14\""), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidValues_GiveANoticeOnThePage_AndOnOnderhoud_NeverAnErrorOfTheOverview_AndMissingAcronymsAreListed()
    {
        Push("fout", ("sociale-kaart.md", Overview),
            ("sociale-kaart/foutpartner.md", "---\ntitle: Foutpartner\nafkorting: FTPX\nthemas: [wonen, maanreizen]\nzitdagen:\n  - dag: dinsdag\n    uren: half twee\n  - dag: woensdag\n    uren: \"10:00-11:00\"\n---\nTekst.\n"),
            ("sociale-kaart/kapot.md", "---\ntitle: Kapot\nzitdagen: [\n---\nTekst.\n"));
        using var client = await ClientAsync();

        var overview = await client.GetAsync(new Uri("/wiki/sociale-kaart", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, overview.StatusCode);
        Assert.Contains("Foutpartner", Section(await overview.Content.ReadAsStringAsync(), "data-theme=\"wonen\""), StringComparison.Ordinal);

        var page = await client.GetStringAsync(new Uri("/wiki/sociale-kaart/foutpartner", UriKind.Relative));
        var notice = Section(page, "partner-issues");
        Assert.Contains("zitdag 1, Uren: &#x27;half twee&#x27; zijn geen geldige uren", notice, StringComparison.Ordinal);
        Assert.Contains("&#x27;maanreizen&#x27; staat niet in de lijst", notice, StringComparison.Ordinal);

        var week = await client.GetAsync(new Uri("/zitdagen", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, week.StatusCode);
        Assert.Contains("FTPX", Section(await week.Content.ReadAsStringAsync(), "data-date=\"2026-12-02\""), StringComparison.Ordinal);

        var maintenance = await client.GetStringAsync(new Uri("/onderhoud", UriKind.Relative));
        Assert.Contains("<strong>FTPX</strong>", Section(maintenance, "class=\"partner-acronyms-missing\""), StringComparison.Ordinal);
        Assert.Contains("half twee", Section(maintenance, "class=\"partner-field-problems\""), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/wiki/sociale-kaart/kapot", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task SearchResultForAPartner_ShowsItsCard()
    {
        Push("zoek", ("sociale-kaart.md", Overview), ("sociale-kaart/zeppelinhulp.md", Zeppelin));
        using var client = await ClientAsync();
        await TestGit.EventuallyAsync(async () =>
            (await client.GetStringAsync(new Uri("/search?q=Zeppelinhulp", UriKind.Relative))).Contains("partner-card", StringComparison.Ordinal));
        var results = await client.GetStringAsync(new Uri("/search?q=Zeppelinhulp", UriKind.Relative));
        var card = Section(results, "class=\"partner-card\"");
        Assert.Matches(TelLink, card);
        Assert.Contains("donderdag 3 december", card, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheNewScreens_SpeakEnglish_WhenTheWorkerChoosesIt()
    {
        Push("engels", ("sociale-kaart.md", Overview), ("sociale-kaart/zeppelinhulp.md", Zeppelin));
        using var client = await ClientAsync();
        await client.GetAsync(new Uri("/culture/en?returnUrl=%2F", UriKind.Relative));

        var week = await client.GetStringAsync(new Uri("/zitdagen", UriKind.Relative));
        Assert.Contains("This week in the Sociaal Huis", week, StringComparison.Ordinal);
        Assert.Contains("Thursday 3 December", week, StringComparison.Ordinal);
        var page = await client.GetStringAsync(new Uri("/wiki/sociale-kaart/zeppelinhulp", UriKind.Relative));
        Assert.Contains("Contact, referral and consultation hours", page, StringComparison.Ordinal);
        Assert.Contains("To be completed", page, StringComparison.Ordinal);
        Assert.Contains("All partners by theme", await client.GetStringAsync(new Uri("/wiki/sociale-kaart", UriKind.Relative)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PartnerRoutes_RequireSignIn()
    {
        using var anonymous = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        foreach (var url in new[] { "/zitdagen", "/api/partners/card/sociale-kaart/zeppelinhulp" })
        {
            var response = await anonymous.GetAsync(new Uri(url, UriKind.Relative));
            Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Unauthorized, url + ": " + response.StatusCode);
        }
    }

    /// <summary>The element that starts at the first tag holding <paramref name="marker"/>, up to a generous length (enough for these small pages).</summary>
    private static string Section(string html, string marker)
    {
        var at = html.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{marker}' not in the page");
        var start = html.LastIndexOf('<', at);
        var tag = html[(start + 1)..].Split([' ', '>'], 2)[0];
        // Up to the matching close tag, counting nested tags of the same name.
        var depth = 0;
        var i = start;
        while (i < html.Length)
        {
            var open = html.IndexOf("<" + tag, i + 1, StringComparison.Ordinal);
            var close = html.IndexOf("</" + tag + ">", i + 1, StringComparison.Ordinal);
            if (close < 0)
            {
                return html[start..];
            }

            if (open >= 0 && open < close && (html[open + tag.Length + 1] is ' ' or '>'))
            {
                depth++;
                i = open;
                continue;
            }

            if (depth == 0)
            {
                return html[start..(close + tag.Length + 3)];
            }

            depth--;
            i = close;
        }

        return html[start..];
    }
}
