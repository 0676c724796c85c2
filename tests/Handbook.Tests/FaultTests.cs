using System.Diagnostics;
using Handbook.GitStore;

namespace Handbook.Tests;

public sealed class FaultTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("handbook-fault-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task WriterKilledWithSigkill_DuringABurst_LosesNoAcknowledgedSave()
    {
        var repository = Path.Combine(_root, "data", "handbook.git");
        PageStore.Open(new PageStoreOptions { RepositoryPath = repository, SeedPath = TestHandbook.Create(_root) }).Dispose();

        // The bench project is built with the same configuration as this test (it is a build dependency).
        var configuration = Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)))!;
        var bench = Path.Combine(StarterContentTests.RepositoryRoot, "bench", "bin", configuration, "net10.0", "Handbook.Bench.dll");
        var writer = Process.Start(new ProcessStartInfo("dotnet", [bench, "burst", repository])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        })!;
        var acknowledged = new List<string>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (acknowledged.Count < 40 && DateTime.UtcNow < deadline)
        {
            var line = await writer.StandardOutput.ReadLineAsync();
            if (line is null)
            {
                break;
            }

            if (line.StartsWith("ack ", StringComparison.Ordinal))
            {
                acknowledged.Add(line[4..]);
            }
        }

        writer.Kill(); // SIGKILL on Linux: no finally blocks, no flush, mid-save
        await writer.WaitForExitAsync();
        Assert.True(acknowledged.Count >= 40, $"only {acknowledged.Count} saves acknowledged: {await writer.StandardError.ReadToEndAsync()}");

        using var store = PageStore.Open(new PageStoreOptions { RepositoryPath = repository, IndexPath = Path.Combine(_root, "data", "history.idx") });
        var onBranch = TestGit.Run(repository, "rev-list main").Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        Assert.All(acknowledged, a => Assert.Contains(a, onBranch));
        TestGit.Run(repository, "fsck --strict --no-dangling");
        var saved = await store.SaveAsync(new SaveRequest(PagePath.Parse("werking/burst-0"), "na de crash\n", new Author("T", "t@stad.example"), "na de crash", store.Head));
        Assert.True(saved is SaveResult.Saved or SaveResult.Merged, saved.ToString());
        var indexed = store.RecentChanges(new ChangeQuery(Take: 10_000, Folder: "werking")).Items.Select(c => c.Revision).ToHashSet();
        Assert.All(acknowledged, a => Assert.Contains(a, indexed));
    }
}
