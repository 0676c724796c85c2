using Handbook.GitStore;
using Microsoft.Extensions.DependencyInjection;

namespace Handbook.Tests;

/// <summary>The app packs its repository by itself once loose objects pass the configured threshold.</summary>
public sealed class GitMaintenanceTests
{
    [Fact]
    public async Task PastTheThreshold_TheAppRunsGitGc_AndEveryPageStillReads()
    {
        await using var app = new HandbookFactory();
        app.Settings["Handbook:MaintenanceLooseObjects"] = "1"; // the seed commit alone passes it
        var store = app.Services.GetRequiredService<PageStore>();
        var pages = store.ListPages();
        Assert.NotEmpty(pages);

        await TestGit.Eventually(() => store.ObjectCounts() is { Loose: 0, Packs: > 0 });

        TestGit.Run(Path.Combine(app.DataPath, "handbook.git"), "fsck --strict --no-dangling");
        Assert.All(pages, p => Assert.NotNull(store.Read(p)));
        using var client = await app.SignedInClientAsync();
        Assert.True((await client.GetAsync(new Uri("/wiki/" + pages[0].Value, UriKind.Relative))).IsSuccessStatusCode);
    }
}
