using System.Globalization;
using Handbook.Catalog;
using Handbook.GitStore;
using Microsoft.Extensions.Options;

namespace Handbook.Tests.Catalog;

/// <summary>
/// A snapshot built from the previous one (after a save) answers exactly as one built from nothing, whatever the save
/// changed; and a save that changes only text reuses what depends on links and titles.
/// </summary>
public sealed class CatalogSnapshotTests : IDisposable
{
    private static readonly Author Writer = new("Test", "t@stad.example");
    private readonly string _root = Directory.CreateTempSubdirectory("handbook-snapshot-").FullName;
    private readonly PageStore _store;
    private readonly HandbookCatalog _catalog;

    public CatalogSnapshotTests()
    {
        _store = PageStore.Open(new PageStoreOptions { RepositoryPath = Path.Combine(_root, "repo.git"), SeedPath = TestHandbook.Create(_root) });
        _catalog = new HandbookCatalog(_store, Options.Create(new HandbookOptions()));
    }

    public void Dispose()
    {
        _store.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task EverySnapshotAfterASave_AnswersAsOneBuiltFromNothing()
    {
        var culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("nl-BE");
        try
        {
            var before = Touch(_catalog.Current);

            // Text only: links, titles and the order of the navigation tree are taken over; the summaries are new.
            await Edit("werking/beleid", t => t + "\nNog een zin.\n");
            var after = Touch(_catalog.Current);
            Assert.NotEqual(before.TreeId, after.TreeId);
            Assert.Same(before.Backlinks, after.Backlinks);
            Assert.Same(before.Doelgroepen(), after.Doelgroepen());
            var beleid = after.Sections().Single(s => s.Section == "werking").Pages.Single(p => p.Path.Value == "werking/beleid");
            Assert.Same(after.Pages[PagePath.Parse("werking/beleid")], beleid);
            Assert.NotEqual(before.Pages[PagePath.Parse("werking/beleid")].BlobId, beleid.BlobId);
            AssertAsFresh(after);

            // Each of these changes something the links, titles, render key or search filters depend on.
            (string Path, Func<string, string> Change, bool Relinks)[] steps =
            [
                ("werking/beleid", t => t + "\nZie ook [[Oekraïners]] en [[werking/nergens]].\n", true),
                ("procedures/huurwaarborg", t => t.Replace("title: Huurwaarborg", "title: Waarborg voor huur", StringComparison.Ordinal), true),
                ("procedures/huurwaarborg", t => t.Replace("owner: Demo Jurist Backoffice", "owner: Demo Budgetteam", StringComparison.Ordinal), false),
                ("doelgroepen/oekrainers", t => t.Replace("title: Oekraïners", "title: Oekraïners\ndoelgroepen: [vluchtelingen]\naliases: [Oekraïne]", StringComparison.Ordinal), true),
                ("afkortingen", t => t + "| VDAB | Vlaamse Dienst voor Arbeidsbemiddeling |\n", true),
                ("werking/nergens", _ => "---\ntitle: Nu wel ergens\n---\nTekst.\n", true),
            ];
            foreach (var (path, change, relinks) in steps)
            {
                var previous = Touch(_catalog.Current);
                await Edit(path, change);
                var next = Touch(_catalog.Current);
                Assert.Equal(relinks, !ReferenceEquals(previous.Backlinks, next.Backlinks));
                AssertAsFresh(next);
            }

            Assert.Equal(["Backoffice juristen", "Demo Budgetteam"], _catalog.Current.Owners());

            Assert.Contains(PagePath.Parse("werking/beleid"), _catalog.Current.Backlinks[PagePath.Parse("doelgroepen/oekrainers")]);
            Assert.Equal(PagePath.Parse("doelgroepen/oekrainers"), _catalog.Current.Find("Oekraïne"));
            Assert.Contains("vluchtelingen", _catalog.Current.Doelgroepen());
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    private async Task Edit(string path, Func<string, string> change)
    {
        var page = PagePath.Parse(path);
        var current = _store.Read(page);
        var saved = await _store.SaveAsync(new SaveRequest(page, change(current?.Text ?? ""), Writer, "Test", current?.Revision));
        Assert.IsType<SaveResult.Saved>(saved);
    }

    /// <summary>Asks for the lists a snapshot builds on first use, so that the next snapshot can take them over.</summary>
    private static CatalogSnapshot Touch(CatalogSnapshot snapshot)
    {
        _ = snapshot.Sections();
        _ = snapshot.Doelgroepen();
        _ = snapshot.Owners();
        return snapshot;
    }

    private static void AssertAsFresh(CatalogSnapshot snapshot)
    {
        var fresh = new CatalogSnapshot(snapshot.TreeId, snapshot.Pages, snapshot.GlossaryPath, snapshot.Glossary);
        Assert.Equal(fresh.RenderKey, snapshot.RenderKey);
        Assert.Equal(Describe(fresh.Backlinks), Describe(snapshot.Backlinks));
        Assert.Equal(fresh.BrokenLinks, snapshot.BrokenLinks);
        Assert.Equal(fresh.Orphans, snapshot.Orphans);
        Assert.Equal(Describe(fresh.Sections()), Describe(snapshot.Sections()));
        Assert.Equal(fresh.Doelgroepen(), snapshot.Doelgroepen());
        Assert.Equal(fresh.Owners(), snapshot.Owners());
        foreach (var page in snapshot.Pages.Values)
        {
            Assert.Equal(fresh.Find(page.Title), snapshot.Find(page.Title));
            Assert.Equal(fresh.Resolve(page.Title), snapshot.Resolve(page.Title));
        }
    }

    private static List<string> Describe(IReadOnlyDictionary<PagePath, IReadOnlyList<PagePath>> backlinks) =>
        backlinks.OrderBy(kv => kv.Key).Select(kv => kv.Key.Value + " <- " + string.Join(", ", kv.Value.Select(p => p.Value))).ToList();

    private static List<string> Describe(IReadOnlyList<(string Section, PageSummary? Landing, IReadOnlyList<PageSummary> Pages)> sections) =>
        sections.Select(s => $"{s.Section} [{s.Landing?.Path.Value} {s.Landing?.BlobId}]: " +
            string.Join(", ", s.Pages.Select(p => $"{p.Path.Value} {p.BlobId} {p.Title}"))).ToList();
}
