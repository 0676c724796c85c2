using System.Collections.Concurrent;

namespace Handbook.GitStore.Tests;

/// <summary>git's own gc run by the store, beside a burst of saves and reads, with the real git CLI checking the result.</summary>
public sealed class MaintenanceTests : IDisposable
{
    private readonly TestRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    [Fact]
    public async Task Maintenance_DuringABurstOfSaves_KeepsEverySave_PacksTheLooseObjects_AndFsckIsClean()
    {
        var store = _repo.Store;
        var acknowledged = new ConcurrentBag<(string Page, int Step)>();
        var steps = new int[3];
        var ran = 0;
        var writers = Enumerable.Range(0, 3).Select(w => Task.Run(async () =>
        {
            var path = PagePath.Parse($"procedures/burst-{w}");
            // At least 25 saves each, and on until gc has run three times beside them (a quiet machine saves fast).
            for (var i = 0; i < 2000 && (i < 25 || Volatile.Read(ref ran) < 3); i++)
            {
                var result = await store.SaveAsync(new SaveRequest(path, $"# Burst {w}\n\nStap {i}.\n", TestRepository.Ann, $"Burst {w} stap {i}", store.Read(path)?.Revision));
                Assert.IsType<SaveResult.Saved>(result);
                acknowledged.Add((path.Value, i));
                steps[w] = i + 1;
            }
        })).ToList();
        var runs = new List<MaintenanceResult>();
        var reads = 0;
        var maintenance = Task.Run(async () =>
        {
            while (!writers.All(t => t.IsCompleted))
            {
                var run = await store.MaintainAsync(force: true);
                runs.Add(run);
                if (run.Ran)
                {
                    Interlocked.Increment(ref ran);
                }

                // Readers go on between and during runs (their repositories were opened before the packs changed).
                Assert.NotNull(store.Read(PagePath.Parse("procedures/leefloon-aanvragen")));
                reads++;
                await Task.Delay(100);
            }
        });
        await Task.WhenAll(writers);
        await maintenance;

        Assert.Equal(steps.Sum(), acknowledged.Count);
        Assert.True(runs.Count(r => r.Ran) >= 3, $"{runs.Count} runs");
        // One more save after the runs (the last run may have come after the last save of the burst).
        Assert.IsType<SaveResult.Saved>(await store.SaveAsync(new SaveRequest(PagePath.Parse("procedures/na-de-burst"), "# Na de burst\n", TestRepository.Bert, "Na de burst", null)));
        var (looseBefore, _) = store.ObjectCounts();
        Assert.True(looseBefore > 0, "a save writes loose objects");
        var last = await store.MaintainAsync(force: true);
        Assert.Equal(looseBefore, last.LooseBefore);
        Assert.True(last.LooseAfter < 10, $"{last.LooseAfter} loose objects after gc");
        _repo.Git("fsck --strict --no-dangling");
        // Every acknowledged save is in git, in order, and every page reads as last saved.
        for (var w = 0; w < 3; w++)
        {
            var path = PagePath.Parse($"procedures/burst-{w}");
            var log = _repo.Git($"log --format=%s main -- procedures/burst-{w}.md").Trim().Split('\n');
            Assert.True(steps[w] >= 25);
            Assert.Equal(Enumerable.Range(0, steps[w]).Reverse().Select(i => $"Burst {w} stap {i}"), log);
            Assert.Equal($"# Burst {w}\n\nStap {steps[w] - 1}.\n", store.Read(path)!.Text);
            Assert.Equal(steps[w], store.History(path, 0, 5000).Count);
        }

        // The store keeps writing and reading after gc (refs packed, loose objects gone).
        var after = await store.SaveAsync(new SaveRequest(PagePath.Parse("procedures/burst-0"), "# Burst 0\n\nNa het onderhoud.\n", TestRepository.Bert, "Na onderhoud", store.Read(PagePath.Parse("procedures/burst-0"))!.Revision));
        Assert.IsType<SaveResult.Saved>(after);
        Assert.Equal(_repo.Git("rev-parse main").Trim(), store.Head);
    }

    [Fact]
    public async Task Maintenance_BelowTheThresholds_DoesNothing()
    {
        var (loose, packs) = _repo.Store.ObjectCounts();
        var result = await _repo.Store.MaintainAsync(looseThreshold: loose + 1, packThreshold: packs + 1);
        Assert.False(result.Ran);
        Assert.Equal((loose, packs), _repo.Store.ObjectCounts());
    }
}
