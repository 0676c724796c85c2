using System.Diagnostics;

namespace Handbook.GitStore;

/// <summary>What one maintenance run found and did.</summary>
/// <param name="Ran">Whether git gc ran (false: nothing to do).</param>
/// <param name="LooseBefore">Loose objects before.</param>
/// <param name="LooseAfter">Loose objects after.</param>
/// <param name="PacksBefore">Pack files before.</param>
/// <param name="PacksAfter">Pack files after.</param>
/// <param name="Duration">How long the run held the writer lock.</param>
public sealed record MaintenanceResult(bool Ran, int LooseBefore, int LooseAfter, int PacksBefore, int PacksAfter, TimeSpan Duration);

public sealed partial class PageStore
{
    /// <summary>Loose objects and pack files in the repository now (a directory count, cheap).</summary>
    public (int Loose, int Packs) ObjectCounts()
    {
        var objects = Path.Combine(_options.RepositoryPath, "objects");
        var loose = 0;
        foreach (var dir in Directory.EnumerateDirectories(objects))
        {
            var name = Path.GetFileName(dir);
            if (name.Length == 2 && Uri.IsHexDigit(name[0]) && Uri.IsHexDigit(name[1]))
            {
                loose += Directory.EnumerateFiles(dir).Count();
            }
        }

        var pack = Path.Combine(objects, "pack");
        var packs = Directory.Exists(pack) ? Directory.EnumerateFiles(pack, "*.pack").Count() : 0;
        return (loose, packs);
    }

    /// <summary>
    /// Packs loose objects and prunes what is safe to prune, with git's own <c>gc</c>, when there are at least
    /// <paramref name="looseThreshold"/> loose objects or <paramref name="packThreshold"/> packs (or always, with
    /// <paramref name="force"/>). It runs under the writer lock, so never beside a save of this store, and waits for
    /// the save in progress; saves asked for meanwhile wait for it (seconds on a large handbook). Unreferenced objects
    /// are pruned only when older than two weeks: never an object a save of these two weeks wrote. Readers go on: git
    /// writes the new pack before it deletes what it replaces, and libgit2 looks again when an object moved.
    /// </summary>
    /// <exception cref="GitCliException">git is not installed or gc failed (the repository is as it was: gc replaces,
    /// never edits).</exception>
    public async Task<MaintenanceResult> MaintainAsync(int looseThreshold = 1000, int packThreshold = 20, bool force = false, CancellationToken cancellationToken = default)
    {
        var (looseBefore, packsBefore) = ObjectCounts();
        if (!force && looseBefore < looseThreshold && packsBefore < packThreshold)
        {
            return new MaintenanceResult(false, looseBefore, looseBefore, packsBefore, packsBefore, TimeSpan.Zero);
        }

        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        var watch = Stopwatch.StartNew();
        try
        {
            (looseBefore, packsBefore) = ObjectCounts();
            await Task.Run(() => GitCli.Run(_options.RepositoryPath, "-c", "gc.autoDetach=false", "-c", "gc.auto=0", "gc", "--quiet", "--prune=2.weeks.ago"),
                cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }

        var (looseAfter, packsAfter) = ObjectCounts();
        return new MaintenanceResult(true, looseBefore, looseAfter, packsBefore, packsAfter, watch.Elapsed);
    }
}
