using System.Diagnostics;
using System.Diagnostics.Metrics;
using Handbook.GitStore;

namespace Handbook.Diagnostics;

/// <summary>
/// The handbook's own measurements, for OpenTelemetry (exported over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is
/// set) or any other listener of the "Handbook" meter: writes by outcome, render and search time, how far the
/// indexes lag behind the branch, sync failures and the mail queue. Made per app by its IMeterFactory, so two apps in
/// one process (tests) do not mix their figures.
/// </summary>
public sealed class HandbookMetrics
{
    public const string MeterName = "Handbook";

    /// <summary>Traces of our own work (saves, searches), beside ASP.NET Core's.</summary>
    public static readonly ActivitySource Activities = new(MeterName);

    private readonly Counter<long> _writes;
    private readonly Histogram<double> _render;
    private readonly Histogram<double> _search;

    public HandbookMetrics(IMeterFactory meters, PageStore store, Search.SearchIndex search, Sync.SyncService sync, Notifications.Mail.MailOutbox mail)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _writes = meter.CreateCounter<long>("handbook.writes", "{write}", "Writes through the one door, by operation and outcome (saved, merged, unchanged, conflict, refused).");
        _render = meter.CreateHistogram<double>("handbook.render.duration", "ms", "Rendering a page's Markdown (cache misses only).");
        _search = meter.CreateHistogram<double>("handbook.search.duration", "ms", "A search, full results or as-you-type.");
        meter.CreateObservableGauge("handbook.history_index.lag", () => store.IndexStatus is { Building: true } s ? Math.Max(0, s.Total - s.Done) : 0,
            "{commit}", "Commits the history index has still to read (a background build).");
        meter.CreateObservableGauge("handbook.search_index.lag", () => search.Status is { Building: true } s ? Math.Max(0, s.Total - s.Done) : search.IsCurrent ? 0 : 1,
            "{page}", "Pages the search index has still to read; 1 when it is behind the branch and not yet updating.");
        meter.CreateObservableGauge("handbook.sync.failures", () => sync.Status.Failures, "{failure}", "Failed syncs with the upstream in a row.");
        meter.CreateObservableGauge("handbook.mail.pending", () => mail.Status.Pending, "{mail}", "Mails waiting in the outbox.");
        meter.CreateObservableGauge("handbook.mail.failed", () => mail.Status.Failed, "{mail}", "Mails given up on.");
    }

    /// <summary>Counts a write by what it was and how it ended.</summary>
    public void Write(string operation, SaveResult? result) =>
        _writes.Add(1, new KeyValuePair<string, object?>("operation", operation), new KeyValuePair<string, object?>("outcome", result switch
        {
            SaveResult.Saved => "saved",
            SaveResult.Merged => "merged",
            SaveResult.Unchanged => "unchanged",
            SaveResult.Conflict => "conflict",
            _ => "refused",
        }));

    public void Rendered(TimeSpan duration) => _render.Record(duration.TotalMilliseconds);

    public void Searched(TimeSpan duration, bool asYouType) =>
        _search.Record(duration.TotalMilliseconds, new KeyValuePair<string, object?>("kind", asYouType ? "suggest" : "full"));
}
