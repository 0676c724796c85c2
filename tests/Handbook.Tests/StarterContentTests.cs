using Handbook.Catalog;
using Handbook.GitStore;
using Handbook.Pages;
using Handbook.Rendering;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Handbook.Tests;

/// <summary>The real starter handbook in content/handbook: it seeds, every page reads and renders cleanly.</summary>
public sealed class StarterContentTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("handbook-content-").FullName;

    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Handbook.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException("Handbook.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void StarterHandbook_SeedsAndEveryPageRendersWithoutErrors()
    {
        using var store = PageStore.Open(new PageStoreOptions
        {
            RepositoryPath = Path.Combine(_root, "repo.git"),
            SeedPath = Path.Combine(RepositoryRoot, "content", "handbook"),
        });
        var catalog = new HandbookCatalog(store, Options.Create(new HandbookOptions()));
        var pages = new PageService(store, catalog, new MarkdownRenderer(), new MemoryCache(new MemoryCacheOptions()));
        var snapshot = catalog.Current;

        Assert.True(snapshot.Pages.Count >= 40, $"{snapshot.Pages.Count} pages");
        foreach (var section in new[] { "werking", "procedures", "wetgeving", "doelgroepen", "sociale-kaart", "backoffice" })
        {
            Assert.Contains(snapshot.Sections(), s => s.Section == section && s.Landing is not null);
        }

        Assert.True(snapshot.Glossary.Entries.Count >= 40, $"{snapshot.Glossary.Entries.Count} acronyms");
        foreach (var acronym in new[] { "OCMW", "SVK", "CAW", "VDAB", "MA" })
        {
            Assert.True(snapshot.Glossary.Entries.ContainsKey(acronym), acronym);
        }

        foreach (var page in snapshot.Pages.Values)
        {
            Assert.Null(page.Meta.Error);
            Assert.False(string.IsNullOrWhiteSpace(page.Meta.Title), $"{page.Path} has no title");
            var view = pages.Get(page.Path)!;
            Assert.True(view.Rendered.Problem is null, $"{page.Path}: {view.Rendered.Problem}");
            if (page.Path != snapshot.GlossaryPath && page.Path.Value != "index")
            {
                Assert.True(snapshot.Backlinks.ContainsKey(page.Path), $"{page.Path} is linked from nowhere");
            }
        }
    }

    [Fact]
    public void StarterHandbook_HoldsNoPersonalData()
    {
        var rrn = new System.Text.RegularExpressions.Regex(@"\b\d{2}[.\s]?\d{2}[.\s]?\d{2}[-\s]?\d{3}[.\s]?\d{2}\b");
        var iban = new System.Text.RegularExpressions.Regex(@"\bBE\d{2}\s?\d{4}\s?\d{4}\s?\d{4}\b");
        var phone = new System.Text.RegularExpressions.Regex(@"\b0\d{1,2}[ /.]?\d{2,3}[ .]?\d{2}[ .]?\d{2}\b");
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepositoryRoot, "content", "handbook"), "*.md", SearchOption.AllDirectories))
        {
            var text = File.ReadAllText(file);
            Assert.False(rrn.IsMatch(text), $"{file} looks like it holds a national register number");
            Assert.False(iban.IsMatch(text), $"{file} looks like it holds an IBAN");
            Assert.False(phone.IsMatch(text), $"{file} looks like it holds a phone number");
        }
    }
}
