using Handbook.GitStore;
using Microsoft.Extensions.Options;

namespace Handbook.Sync;

/// <summary>What administrators see of the sync with the upstream remote.</summary>
public sealed record SyncStatus(
    bool Enabled,
    string? Upstream,
    DateTimeOffset? LastFetch,
    DateTimeOffset? LastPush,
    Integration? LastIntegration,
    string? LastError,
    DateTimeOffset? LastErrorAt,
    int Failures);

/// <summary>
/// Keeps the repository in step with the upstream remote: after every commit it pushes (fetching and integrating
/// first), and it fetches on an interval and on demand. Failures are retried with exponential back-off (1 s up to
/// 5 min) while saves go on locally; nothing is pushed by force.
/// </summary>
public sealed class SyncService : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);
    private readonly PageStore _store;
    private readonly UpstreamSettings _settings;
    private readonly ILogger<SyncService> _log;
    private readonly SemaphoreSlim _signal = new(0, 1);
    private volatile SyncStatus _status;

    public SyncService(PageStore store, IOptions<HandbookOptions> options, ILogger<SyncService> log)
    {
        _store = store;
        _settings = options.Value.Upstream;
        _log = log;
        var upstream = Upstream;
        _status = new SyncStatus(upstream is not null, upstream?.DisplayUrl, null, null, null, null, null, 0);
    }

    public SyncStatus Status => _status;

    private UpstreamOptions? Upstream => _settings.ToOptions();

    /// <summary>Asks for a sync as soon as possible (after a commit, or from the administrators' page).</summary>
    public void RequestSync()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // A sync is already requested.
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (Upstream is not { } upstream)
        {
            return;
        }

        _store.Committed += OnCommitted;
        try
        {
            var wait = TimeSpan.Zero;
            while (!stoppingToken.IsCancellationRequested)
            {
                await _signal.WaitAsync(wait, stoppingToken).ConfigureAwait(false);
                wait = await SyncOnceAsync(upstream, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            _store.Committed -= OnCommitted;
        }
    }

    /// <summary>One fetch-integrate-push round; returns how long to wait before the next one.</summary>
    private async Task<TimeSpan> SyncOnceAsync(UpstreamOptions upstream, CancellationToken cancellationToken)
    {
        var status = _status;
        try
        {
            var integration = await _store.FetchAndIntegrateAsync(upstream, cancellationToken).ConfigureAwait(false);
            status = status with { LastFetch = DateTimeOffset.UtcNow, LastIntegration = integration };
            if (integration == Integration.Merged && _store.SyncConflicts().Count > 0)
            {
                _log.LogWarning("Sync {Event}: {Count} pages changed on both sides; upstream text kept and pages flagged", "conflict", _store.SyncConflicts().Count);
            }

            if (!_store.IsPushed())
            {
                await _store.PushAsync(upstream, cancellationToken).ConfigureAwait(false);
                status = status with { LastPush = DateTimeOffset.UtcNow };
            }

            _status = status with { LastError = null, Failures = 0 };
            return TimeSpan.FromSeconds(_settings.IntervalSeconds);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var failures = status.Failures + 1;
            // The message comes from libgit2 about the remote; credentials are never part of it (they are passed
            // separately), and the URL is shown without user information.
            _status = status with { LastError = e.Message, LastErrorAt = DateTimeOffset.UtcNow, Failures = failures };
            var backoff = TimeSpan.FromSeconds(Math.Min(MaxBackoff.TotalSeconds, Math.Pow(2, Math.Min(failures - 1, 16))));
            _log.LogWarning("Sync with {Upstream} failed ({Failures} in a row), retrying in {Backoff}: {Error}", upstream.DisplayUrl, failures, backoff, e.Message);
            return backoff;
        }
    }

    private void OnCommitted(string revision)
    {
        if (!_store.IsPushed())
        {
            RequestSync();
        }
    }

    public override void Dispose()
    {
        _signal.Dispose();
        base.Dispose();
    }
}
