namespace Handbook.Catalog;

/// <summary>Builds the catalog in the background as soon as the app starts, so the first page view finds it ready.</summary>
public sealed class CatalogWarmUp(HandbookCatalog catalog, ILogger<CatalogWarmUp> log) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(() =>
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var pages = catalog.Current.Pages.Count;
        log.LogInformation("Catalog of {Pages} pages ready in {Milliseconds} ms", pages, watch.ElapsedMilliseconds);
    }, stoppingToken);
}
