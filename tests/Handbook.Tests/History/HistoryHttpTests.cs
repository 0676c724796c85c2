using System.Net;
using System.ServiceModel.Syndication;
using System.Xml;
using Handbook.GitStore;
using Handbook.History;
using Handbook.Rendering;
using Microsoft.Extensions.DependencyInjection;

namespace Handbook.Tests;

public sealed class HistoryHttpTests(HandbookFactory factory) : IClassFixture<HandbookFactory>
{
    private static readonly Author Worker = new("Demo Maatschappelijk Assistent", "ma@demo.handbook.invalid");

    [Fact]
    public async Task HistoryDiffBlameAndChanges_ShowTwoEditsByTwoPeople()
    {
        var store = factory.Services.GetRequiredService<PageStore>();
        var path = PagePath.Parse("doelgroepen/oekrainers");
        var first = store.Read(path)!;
        var a = (SaveResult.Saved)await store.SaveAsync(new SaveRequest(path, first.Text.Replace("Tijdelijke bescherming.", "Tijdelijke bescherming (statuut).", StringComparison.Ordinal), Worker, "Statuut verduidelijkt", first.Revision));
        var b = (SaveResult.Saved)await store.SaveAsync(new SaveRequest(path, store.Read(path)!.Text + "\nNieuwe alinea.\n", new Author("Demo Jurist Backoffice", "jurist@demo.handbook.invalid"), "Alinea toegevoegd", a.Revision));

        using var client = await factory.SignedInClientAsync();
        var history = await client.GetStringAsync(new Uri("/history/doelgroepen/oekrainers", UriKind.Relative));
        Assert.Contains("Statuut verduidelijkt", history, StringComparison.Ordinal);
        Assert.Contains("Alinea toegevoegd", history, StringComparison.Ordinal);
        Assert.Contains("Demo Jurist Backoffice", history, StringComparison.Ordinal);
        Assert.Contains($"/restore/doelgroepen/oekrainers?rev={a.Revision}", history, StringComparison.Ordinal);

        var diff = await client.GetStringAsync(new Uri($"/diff/doelgroepen/oekrainers?from={first.Revision}&to={a.Revision}&view=side", UriKind.Relative));
        var rendered = await client.GetStringAsync(new Uri($"/diff/doelgroepen/oekrainers?from={first.Revision}&to={a.Revision}", UriKind.Relative));
        Assert.Contains("class=\"diff-changed\"", rendered, StringComparison.Ordinal);
        Assert.Contains("statuut", rendered, StringComparison.Ordinal);
        Assert.Contains("<ins>statuut</ins>", diff, StringComparison.Ordinal);
        Assert.Contains("<td class=\"text line-deleted\">", diff, StringComparison.Ordinal);
        var inline = await client.GetStringAsync(new Uri($"/diff/doelgroepen/oekrainers?from={first.Revision}&to={b.Revision}&view=inline", UriKind.Relative));
        Assert.Contains("Nieuwe alinea.", inline, StringComparison.Ordinal);
        Assert.Contains("line-inserted", inline, StringComparison.Ordinal);
        var bad = await client.GetAsync(new Uri("/diff/doelgroepen/oekrainers?from=zzz&to=HEAD", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);

        var blame = await client.GetStringAsync(new Uri("/blame/doelgroepen/oekrainers", UriKind.Relative));
        Assert.Contains("Demo Jurist Backoffice", blame, StringComparison.Ordinal);
        Assert.Contains("Nieuwe alinea.", blame, StringComparison.Ordinal);

        var changes = await client.GetStringAsync(new Uri("/changes?author=jurist", UriKind.Relative));
        Assert.Contains("Alinea toegevoegd", changes, StringComparison.Ordinal);
        Assert.DoesNotContain("Statuut verduidelijkt", changes, StringComparison.Ordinal);
        // The overview per section counts the whole period, whatever the author filter: one page, three changes.
        Assert.Matches("<th scope=\"row\">doelgroepen</th><td>1</td><td>[0-9]+</td><td>3</td>", changes);
        var bySection = await client.GetStringAsync(new Uri("/changes?section=procedures", UriKind.Relative));
        Assert.DoesNotContain("Alinea toegevoegd", bySection, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AtomFeed_StaysValidXml_WhenSummariesAndTitlesHoldControlCharacters()
    {
        var store = factory.Services.GetRequiredService<PageStore>();
        var path = PagePath.Parse("werking/stuurtekens");
        await store.SaveAsync(new SaveRequest(path, "---\ntitle: \"Titel\\u0007met bel\"\n---\nTekst.\n", Worker, "Samenvatting\u001b[31m met ESC,\u0007 BEL en \u000b VT \U0001F600", null));
        // And a message that arrives through git, as a power user's push.
        var clone = Path.Combine(factory.Root, "stuurtekens");
        Handbook.Tests.TestGit.Run(factory.Root, $"clone -q \"{store.RepositoryPath}\" stuurtekens");
        File.WriteAllText(Path.Combine(clone, "werking", "stuurtekens.md"), "---\ntitle: Stuurtekens\n---\nAnder.\n");
        Handbook.Tests.TestGit.Run(clone, "add -A");
        Handbook.Tests.TestGit.Run(clone, "-c user.name=Power -c user.email=p@stad.example commit -q -m \"Via git\u0008\u0001 met stuurtekens\"");
        Handbook.Tests.TestGit.Run(clone, "push -q origin HEAD:main");

        using var client = await factory.SignedInClientAsync();
        var xml = await client.GetStringAsync(new Uri("/changes.atom", UriKind.Relative));
        var document = System.Xml.Linq.XDocument.Parse(xml); // throws on invalid or truncated XML
        var titles = document.Descendants(System.Xml.Linq.XName.Get("title", "http://www.w3.org/2005/Atom")).Select(t => t.Value).ToList();
        Assert.Contains(titles, t => t.Contains("Samenvatting", StringComparison.Ordinal) && t.Contains("met ESC", StringComparison.Ordinal) && t.Contains("\U0001F600", StringComparison.Ordinal));
        Assert.Contains(titles, t => t.Contains("met stuurtekens", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AtomFeed_IsValidAtomForSignedInWorkersOnly()
    {
        using var anonymous = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(new Uri("/changes.atom", UriKind.Relative))).StatusCode);

        using var client = await factory.SignedInClientAsync();
        var response = await client.GetAsync(new Uri("/changes.atom", UriKind.Relative));
        Assert.Equal("application/atom+xml", response.Content.Headers.ContentType!.MediaType);
        using var reader = XmlReader.Create(await response.Content.ReadAsStreamAsync());
        var feed = SyndicationFeed.Load(reader);
        Assert.NotEmpty(feed.Items);
        Assert.Contains(feed.Items, i => i.Title.Text.Contains("Handboek aangemaakt", StringComparison.Ordinal));
        Assert.All(feed.Items, i => Assert.NotEmpty(i.Authors));
    }

    [Fact]
    public async Task ChangedSinceLastVisit_IsShownOnThePageWithALinkToTheDiff()
    {
        using var client = await factory.SignedInClientAsync("manager");
        var first = await client.GetStringAsync(new Uri("/wiki/procedures/huurwaarborg", UriKind.Relative));
        Assert.DoesNotContain("notice-new", first, StringComparison.Ordinal);

        var store = factory.Services.GetRequiredService<PageStore>();
        var page = store.Read(PagePath.Parse("procedures/huurwaarborg"))!;
        await store.SaveAsync(new SaveRequest(page.Path, page.Text + "\nAanvulling.\n", Worker, "Aanvulling", page.Revision));

        var second = await client.GetStringAsync(new Uri("/wiki/procedures/huurwaarborg", UriKind.Relative));
        Assert.Contains("notice-new", second, StringComparison.Ordinal);
        Assert.Contains($"/diff/procedures/huurwaarborg?from={page.Revision}", second, StringComparison.Ordinal);
        var third = await client.GetStringAsync(new Uri("/wiki/procedures/huurwaarborg", UriKind.Relative));
        Assert.DoesNotContain("notice-new", third, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangedSinceLastVisit_IsNotShown_WhenOnlyOtherPagesChanged()
    {
        using var client = await factory.SignedInClientAsync("jurist");
        const string url = "/wiki/doelgroepen/oekrainers";
        await client.GetStringAsync(new Uri(url, UriKind.Relative));
        var store = factory.Services.GetRequiredService<PageStore>();
        var other = store.Read(PagePath.Parse("procedures/huurwaarborg"))!;
        await store.SaveAsync(new SaveRequest(other.Path, other.Text + "\nAndere pagina gewijzigd.\n", Worker, "Andere pagina", other.Revision));

        // A new commit, but this page's text is the same: no "changed since your visit".
        var again = await client.GetStringAsync(new Uri(url, UriKind.Relative));
        Assert.DoesNotContain("changed-since-visit", again, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Review_MarkReviewed_WritesACommitWithTheNewDate()
    {
        var store = factory.Services.GetRequiredService<PageStore>();
        using var client = await factory.SignedInClientAsync("jurist");
        var html = await client.GetStringAsync(new Uri("/review", UriKind.Relative));
        Assert.Contains("data-page=\"procedures/leefloon-aanvragen\"", html, StringComparison.Ordinal);

        var commands = factory.Services.GetRequiredService<Handbook.Editing.PageCommands>();
        var user = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            [new("name", "Demo Jurist Backoffice"), new("email", "jurist@demo.handbook.invalid")], "test", "name", "role"));
        var outcome = await commands.MarkReviewedAsync(user, PagePath.Parse("procedures/leefloon-aanvragen"), new DateOnly(2027, 11, 30));
        Assert.IsType<SaveResult.Saved>(outcome.Result);
        var text = store.Read(PagePath.Parse("procedures/leefloon-aanvragen"))!.Text;
        Assert.Contains("review_by: 2027-11-30\n", text, StringComparison.Ordinal);
        var last = store.LastChange(PagePath.Parse("procedures/leefloon-aanvragen"))!;
        Assert.Equal("Nagekeken; volgende controle 2027-11-30", last.Summary);
        Assert.Equal("Demo Jurist Backoffice", last.Author.Name);
        var diff = store.Diff(last.Path, store.History(last.Path)[1].Revision, last.Revision)!;
        Assert.Equal(1, diff.LinesAdded);
        Assert.Equal(1, diff.LinesDeleted);

        // A protected page is reviewed only by an administrator.
        var refused = await commands.MarkReviewedAsync(user, PagePath.Parse("werking/beleid"), new DateOnly(2027, 11, 30));
        Assert.Equal(SaveError.NotAllowed, Assert.IsType<SaveResult.Rejected>(refused.Result).Error);
        Assert.Contains("beschermd", refused.Message, StringComparison.Ordinal);
    }
}
