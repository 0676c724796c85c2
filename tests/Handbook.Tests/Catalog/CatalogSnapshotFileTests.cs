using Handbook.Catalog;
using Handbook.GitStore;
using Microsoft.Extensions.Options;

namespace Handbook.Tests.Catalog;

/// <summary>The catalog's parses kept on disk: used at a restart, followed when pages changed, ignored when damaged.</summary>
public sealed class CatalogSnapshotFileTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("handbook-catalog-").FullName;
    private readonly IOptions<HandbookOptions> _options;
    private readonly PageStoreOptions _storeOptions;
    private readonly string _file;

    public CatalogSnapshotFileTests()
    {
        var seed = TestHandbook.Create(_root);
        _options = Options.Create(new HandbookOptions { DataPath = Path.Combine(_root, "data"), SeedPath = seed });
        _storeOptions = new PageStoreOptions { RepositoryPath = Path.Combine(_root, "data", "handbook.git"), SeedPath = seed };
        _file = Path.Combine(_root, "data", "catalog.bin");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task Restart_WithSnapshotOfTheSameTree_ParsesNoPage_AndKnowsTheSameHandbook()
    {
        using var store = PageStore.Open(_storeOptions);
        var first = new HandbookCatalog(store, _options, new CatalogSnapshotFile(_file));
        var before = first.Current;
        Assert.Equal(before.Pages.Count, first.LastBuildParsed);
        await first.PersistedAsync();
        Assert.True(File.Exists(_file));

        var second = new HandbookCatalog(store, _options, new CatalogSnapshotFile(_file));
        var after = second.Current;

        Assert.Equal(0, second.LastBuildParsed);
        Assert.Equal(before.TreeId, after.TreeId);
        Assert.Equal(before.Pages.Keys.Order(), after.Pages.Keys.Order());
        Assert.Equal(before.Pages.Values.Select(p => (p.Path, p.BlobId, p.Title)).Order(), after.Pages.Values.Select(p => (p.Path, p.BlobId, p.Title)).Order());
        Assert.Equal(Flatten(before.Backlinks), Flatten(after.Backlinks));
        Assert.Equal(before.BrokenLinks, after.BrokenLinks);
        Assert.Equal(before.Orphans, after.Orphans);

        // Every front matter field survives the round trip.
        var leefloon = PagePath.Parse("procedures/leefloon-aanvragen");
        var (a, b) = (before.Pages[leefloon].Meta, after.Pages[leefloon].Meta);
        Assert.Equal((a.Title, a.Summary, a.Owner, a.ReviewBy, a.ValidFrom, a.Protected, a.Error), (b.Title, b.Summary, b.Owner, b.ReviewBy, b.ValidFrom, b.Protected, b.Error));
        Assert.Equal(a.Doelgroepen, b.Doelgroepen);
        Assert.Equal(a.Tags, b.Tags);
        Assert.Equal(a.Sources, b.Sources);
        Assert.Equal(a.Aliases, b.Aliases);
        Assert.Equal(before.Pages[leefloon].Parsed.LinkTargets, after.Pages[leefloon].Parsed.LinkTargets);
        Assert.True(after.Pages[PagePath.Parse("werking/beleid")].Meta.Protected);
        Assert.Equal(leefloon, after.Find("RMI"));
    }

    [Fact]
    public void APageWithMoreThanAHundredThousandLinks_StillRoundTrips()
    {
        var links = Enumerable.Range(0, 120_000).Select(i => $"werking/p{i}").ToList();
        var page = new PageSummary(PagePath.Parse("werking/links"), "0123456789abcdef0123456789abcdef01234567",
            new Handbook.Rendering.ParsedPage(Handbook.Rendering.FrontMatter.Empty, "Links", links, ""));
        var file = new CatalogSnapshotFile(_file);
        Directory.CreateDirectory(Path.GetDirectoryName(_file)!);
        file.Save("tree", [page]);

        var loaded = file.Load();

        Assert.NotNull(loaded);
        Assert.Equal(links, loaded.Pages.Single().Parsed.LinkTargets);
    }

    [Fact]
    public async Task Restart_AfterPagesChangedSinceTheSnapshot_ParsesOnlyThoseAndReflectsThem()
    {
        using (var store = PageStore.Open(_storeOptions))
        {
            var first = new HandbookCatalog(store, _options, new CatalogSnapshotFile(_file));
            _ = first.Current;
            await first.PersistedAsync();
        }

        using (var store = PageStore.Open(_storeOptions))
        {
            // Changed while the app was down (or by a push): a new title and a new link, and a new page.
            var author = new Author("An", "an@stad.example");
            var huur = store.Read(PagePath.Parse("procedures/huurwaarborg"))!;
            await store.SaveAsync(new SaveRequest(huur.Path, "---\ntitle: Huurwaarborg aanvragen\n---\nZie [[doelgroepen/oekrainers]].\n", author, "Titel", huur.Revision));
            await store.SaveAsync(new SaveRequest(PagePath.Parse("werking/nieuw"), "# Nieuwe pagina\n\nNaar [[Huurwaarborg aanvragen]].\n", author, "Nieuw", null));

            var catalog = new HandbookCatalog(store, _options, new CatalogSnapshotFile(_file));
            var current = catalog.Current;

            Assert.Equal(2, catalog.LastBuildParsed);
            Assert.Equal(store.ListPageBlobs().TreeId, current.TreeId);
            Assert.Equal("Huurwaarborg aanvragen", current.Pages[huur.Path].Title);
            Assert.Equal("Nieuwe pagina", current.Pages[PagePath.Parse("werking/nieuw")].Title);
            Assert.Contains(huur.Path, current.Backlinks[PagePath.Parse("doelgroepen/oekrainers")]);
            Assert.Contains(PagePath.Parse("werking/nieuw"), current.Backlinks[huur.Path]);

            // The file follows: the next start parses nothing.
            await catalog.PersistedAsync();
            var again = new HandbookCatalog(store, _options, new CatalogSnapshotFile(_file));
            Assert.Equal("Huurwaarborg aanvragen", again.Current.Pages[huur.Path].Title);
            Assert.Equal(0, again.LastBuildParsed);
        }
    }

    [Theory]
    [InlineData("flip")]
    [InlineData("truncate")]
    [InlineData("garbage")]
    [InlineData("empty")]
    public async Task DamagedSnapshot_IsIgnored_TheCatalogIsParsedFromGit_AndTheFileRewritten(string damage)
    {
        using var store = PageStore.Open(_storeOptions);
        var first = new HandbookCatalog(store, _options, new CatalogSnapshotFile(_file));
        var expected = first.Current.Pages.Values.Select(p => (p.Path, p.Title)).Order().ToList();
        await first.PersistedAsync();

        var bytes = await File.ReadAllBytesAsync(_file);
        byte[] damaged = damage switch
        {
            "flip" => Flip(bytes, bytes.Length / 2),
            "truncate" => bytes[..(bytes.Length * 2 / 3)],
            "garbage" => System.Text.Encoding.UTF8.GetBytes("dit is geen catalogus"),
            _ => [],
        };
        await File.WriteAllBytesAsync(_file, damaged);
        Assert.Null(new CatalogSnapshotFile(_file).Load());

        var catalog = new HandbookCatalog(store, _options, new CatalogSnapshotFile(_file));
        var current = catalog.Current;

        Assert.Equal(expected.Count, catalog.LastBuildParsed);
        Assert.Equal(expected, current.Pages.Values.Select(p => (p.Path, p.Title)).Order().ToList());
        await catalog.PersistedAsync();
        Assert.Equal(current.TreeId, new CatalogSnapshotFile(_file).Load()?.TreeId);
    }

    [Fact]
    public void Save_ReplacesTheFileWhole_AndLeavesNoTempFiles()
    {
        using var store = PageStore.Open(_storeOptions);
        var pages = new HandbookCatalog(store, _options).Current.Pages.Values.ToList();
        var file = new CatalogSnapshotFile(_file);

        file.Save("tree-1", pages);
        file.Save("tree-2", pages.Take(2));

        var loaded = file.Load();
        Assert.NotNull(loaded);
        Assert.Equal("tree-2", loaded.TreeId);
        Assert.Equal(2, loaded.Pages.Count);
        Assert.Equal(["catalog.bin"], Directory.EnumerateFiles(Path.GetDirectoryName(_file)!, "catalog.bin*").Select(Path.GetFileName));
    }

    private static List<string> Flatten(IReadOnlyDictionary<PagePath, IReadOnlyList<PagePath>> links) =>
        links.SelectMany(kv => kv.Value.Select(v => kv.Key.Value + "<-" + v.Value)).Order().ToList();

    private static byte[] Flip(byte[] bytes, int at)
    {
        var copy = (byte[])bytes.Clone();
        copy[at] ^= 0x5A;
        return copy;
    }
}
