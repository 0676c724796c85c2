namespace Handbook.GitStore;

/// <summary>How far the history index is: complete, or being built in the background (with its progress).</summary>
/// <param name="Building">
/// A background build is under way: history reads show the changes made since it started, older ones once it is done.
/// </param>
/// <param name="Done">Commits read so far.</param>
/// <param name="Total">Commits to read.</param>
/// <param name="Error">Why the last build failed, if it did (it is tried again at the next read).</param>
public sealed record HistoryIndexStatus(bool Building, int Done, int Total, string? Error = null)
{
    /// <summary>The index is current (no build under way).</summary>
    public static readonly HistoryIndexStatus Complete = new(false, 0, 0);

    /// <summary>How far the build is, 0–100.</summary>
    public int Percent => Total == 0 ? (Building ? 0 : 100) : (int)(100L * Done / Total);
}

/// <summary>
/// Building the history index in the background, for a start without a snapshot (a new data folder, a restore): a new
/// index is built from the repository beside the one reads use, then caught up with the commits made meanwhile and
/// put in its place. Meanwhile reads use an index that follows the branch from where the build started (saves, pulls
/// and commits by the git CLI appear at once). A restart during the walk of the history starts the build again (nothing
/// is saved before the walk is complete); a restart after it resumes from the snapshot the walk wrote.
/// </summary>
public sealed partial class PageStore
{
    private readonly CancellationTokenSource _indexBuildStop = new();
    private volatile HistoryIndexStatus _indexStatus = HistoryIndexStatus.Complete;
    private Task _indexBuild = Task.CompletedTask;

    /// <summary>Whether the history index is complete, or how far its background build is.</summary>
    public HistoryIndexStatus IndexStatus => _indexStatus;

    /// <summary>Completes when no background build is under way (for tests and benchmarks).</summary>
    public Task IndexBuilt => _indexBuild;

    private void StartIndexBuild(string startTip)
    {
        _indexStatus = new HistoryIndexStatus(true, 0, 0);
        var empty = _index;
        _index = HistoryIndex.From(startTip);
        empty.Discard();
        var stop = _indexBuildStop.Token;
        _indexBuild = Task.Run(() =>
        {
            var built = new HistoryIndex(_options.IndexPath);
            try
            {
                using (var lease = _readers.Rent())
                {
                    built.CatchUp(lease.Repository, Tip, (done, total) =>
                    {
                        stop.ThrowIfCancellationRequested();
                        _indexStatus = new HistoryIndexStatus(true, done, total);
                    });
                }

                _options.HoldIndexBuild?.Invoke(stop).GetAwaiter().GetResult();

                // Under the writer lock: commits made during the build are added, then the new index takes over.
                _writeLock.Wait(stop);
                try
                {
                    built.CatchUp(_writer, Tip);
                    // The interim index is not disposed: a read may still be using it (it has no file to save).
                    _index = built;
                    _indexStatus = HistoryIndexStatus.Complete;
                }
                finally
                {
                    _writeLock.Release();
                }
            }
            catch (OperationCanceledException)
            {
                built.Discard();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                built.Discard();
                // Reads then catch up the ordinary way (in the foreground, from the root commit) and try again.
                _index = new HistoryIndex(_options.IndexPath);
                _indexStatus = HistoryIndexStatus.Complete with { Error = e.Message };
            }
        }, CancellationToken.None);
    }

    private int _indexBuildStopped;

    private void StopIndexBuild()
    {
        // Disposing the store twice is allowed.
        if (Interlocked.Exchange(ref _indexBuildStopped, 1) == 1)
        {
            return;
        }

        _indexBuildStop.Cancel();
        try
        {
            _indexBuild.Wait(TimeSpan.FromSeconds(30));
        }
        catch (AggregateException)
        {
        }

        _indexBuildStop.Dispose();
    }
}
