namespace Handbook.Search;

/// <summary>
/// Builds the search index in the background when the app starts, if it is missing or behind the branch, so that
/// start-up never waits for Lucene. Searches made meanwhile see the index as it was, and the UI shows the progress.
/// </summary>
public sealed class SearchIndexService(SearchIndex index, ILogger<SearchIndexService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Let the host finish starting first.
        await Task.Yield();
        try
        {
            await index.UpdateAsync(stoppingToken).ConfigureAwait(false);
            // Not needed to serve pages or searches: done once the first requests have been served.
            await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken).ConfigureAwait(false);
            await index.PrepareAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (IOException e)
        {
            index.ReportFailure(e);
            logger.LogError(e, "Building the search index failed; searches will retry");
        }
    }
}
