using Handbook.GitStore;
using Microsoft.Extensions.Options;

namespace Handbook.Region;

/// <summary>What workers and administrators see of the shared handbook's import.</summary>
/// <param name="Enabled">A region is configured.</param>
/// <param name="Importing">This instance fetches and imports it (see <see cref="RegionSettings.Import"/>).</param>
/// <param name="Remote">The regional repository's address, without credentials.</param>
/// <param name="LastFetch">The last fetch that worked.</param>
/// <param name="LastImported">Regional commits brought in by that fetch.</param>
/// <param name="LastError">Why the last fetch failed, if it did.</param>
/// <param name="LastErrorAt">When.</param>
/// <param name="Failures">Failed fetches in a row.</param>
public sealed record RegionStatus(bool Enabled, bool Importing, string? Remote, DateTimeOffset? LastFetch, int LastImported,
    string? LastError, DateTimeOffset? LastErrorAt, int Failures)
{
    /// <summary>The last fetch failed: the shared part is as it was last imported.</summary>
    public bool Stale => Failures > 0;
}

/// <summary>
/// Keeps the shared part current: fetches the regional branch and imports it on an interval and on demand, with
/// exponential back-off (10 s up to 30 min) when the region cannot be reached. Meanwhile the handbook, its shared part
/// included, is served as last imported: the import is all in the branch.
/// </summary>
public sealed class RegionService : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(30);
    private readonly PageStore _store;
    private readonly RegionSettings _settings;
    private readonly ILogger<RegionService> _log;
    private readonly SemaphoreSlim _signal = new(0, 1);
    private readonly SemaphoreSlim _fetching = new(1, 1);
    private volatile RegionStatus _status;

    public RegionService(PageStore store, IOptions<HandbookOptions> options, ILogger<RegionService> log)
    {
        _store = store;
        _settings = options.Value.Region;
        _log = log;
        var remote = _settings.ToOptions();
        _status = new RegionStatus(remote is not null, remote is not null && _settings.Import, remote?.DisplayUrl, null, 0, null, null, 0);
    }

    /// <summary>The import's state, for notices and the administrators' page.</summary>
    public RegionStatus Status => _status;

    /// <summary>The settings (name, members, city, editors) for the pages that show the shared part.</summary>
    public RegionSettings Settings => _settings;

    /// <summary>Raised after an import brought regional commits in, or after a fetch failed (the status changed).</summary>
    public event Action<RegionStatus>? StatusChanged;

    /// <summary>Asks for a fetch as soon as possible (the administrators' button; tests).</summary>
    public void RequestFetch()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // One is requested already.
        }
    }

    /// <summary>
    /// Fetches and imports now (an instance that does not import only fetches: the regional commits its city's branch
    /// names); failures are recorded in <see cref="Status"/>, never thrown.
    /// </summary>
    public async Task<RegionStatus> FetchNowAsync(CancellationToken cancellationToken = default)
    {
        if (_settings.ToOptions() is not { } remote)
        {
            return _status;
        }

        await _fetching.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await FetchAsync(remote, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _fetching.Release();
        }
    }

    private async Task<RegionStatus> FetchAsync(UpstreamOptions remote, CancellationToken cancellationToken)
    {
        var status = _status;
        try
        {
            var import = await _store.FetchRegionAsync(remote, _settings.Import, cancellationToken).ConfigureAwait(false);
            if (import.HistoryRewritten)
            {
                _log.LogWarning("Region {Event}: the regional branch was rewritten; its state was imported as one commit", "rewritten");
            }

            status = status with { LastFetch = DateTimeOffset.UtcNow, LastImported = import.Commits, LastError = null, Failures = 0 };
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // libgit2's message is about the remote; the credentials are passed apart and the address is shown without them.
            status = status with { LastError = e.Message, LastErrorAt = DateTimeOffset.UtcNow, Failures = status.Failures + 1 };
            _log.LogWarning("Region {Remote} could not be fetched ({Failures} in a row): {Error}", remote.DisplayUrl, status.Failures, e.Message);
        }

        _status = status;
        StatusChanged?.Invoke(status);
        return status;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_status.Enabled)
        {
            return;
        }

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var status = await FetchNowAsync(stoppingToken).ConfigureAwait(false);
                var wait = status.Failures == 0
                    ? TimeSpan.FromSeconds(_settings.IntervalSeconds)
                    : TimeSpan.FromSeconds(Math.Min(MaxBackoff.TotalSeconds, 10 * Math.Pow(2, Math.Min(status.Failures - 1, 16))));
                await _signal.WaitAsync(wait, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override void Dispose()
    {
        _signal.Dispose();
        _fetching.Dispose();
        base.Dispose();
    }
}
