using Handbook.Catalog;
using Handbook.GitStore;
using Handbook.Search;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Handbook.Tests.Search;

/// <summary>The index on disk survives a restart and is only brought up to date, not rebuilt.</summary>
public sealed class SearchIndexPersistenceTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("handbook-search-").FullName;

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
    public async Task Restart_KeepsTheIndex_AndCatchesUpOnlyWithWhatChangedMeanwhile()
    {
        var seed = TestHandbook.Create(_root);
        var options = Options.Create(new HandbookOptions { DataPath = Path.Combine(_root, "data"), SeedPath = seed });
        var storeOptions = new PageStoreOptions { RepositoryPath = Path.Combine(_root, "data", "handbook.git"), SeedPath = seed };
        int pages;
        using (var store = PageStore.Open(storeOptions))
        using (var index = new SearchIndex(store, new HandbookCatalog(store, options), options, NullLogger<SearchIndex>.Instance))
        {
            await index.UpdateAsync();
            pages = index.Status.Pages;
            Assert.True(pages > 3);
        }

        using (var store = PageStore.Open(storeOptions))
        {
            // A change while the app was down.
            await store.SaveAsync(new SaveRequest(PagePath.Parse("procedures/nieuw"), "# Nieuw\n\nEen mantelzorgpremie.\n",
                new Author("An", "an@stad.example"), "Nieuw", null));
            using var index = new SearchIndex(store, new HandbookCatalog(store, options), options, NullLogger<SearchIndex>.Instance);
            Assert.Equal(pages, index.Status.Pages);
            Assert.False(index.IsCurrent);

            var statuses = new List<SearchIndexStatus>();
            index.StatusChanged += statuses.Add;
            var results = await index.SearchAsync(new SearchRequest("mantelzorgpremie"));
            Assert.Equal("procedures/nieuw", Assert.Single(results.Hits).Path.Value);
            Assert.Equal(1, statuses[^1].Total);
            Assert.False(statuses[0].Building);
            Assert.Equal(pages + 1, index.Status.Pages);
        }
    }
}
