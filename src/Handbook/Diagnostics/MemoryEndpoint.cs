using System.Net;
using System.Runtime;

namespace Handbook.Diagnostics;

/// <summary>
/// Where the process's memory is, for the benchmark: working set, the GC heap and what the runtime has committed.
/// Mapped only in Development and answered only to loopback callers: it can force a full collection.
/// </summary>
public static class MemoryEndpoint
{
    public const string Path = "/dev/memory";

    public static void MapDevelopmentMemoryEndpoint(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            return;
        }

        app.MapGet(Path, (bool? collect, HttpContext context) =>
        {
            // As the development sign-in: no remote address means an in-process caller (tests).
            if (context.Connection.RemoteIpAddress is { } remote && !IPAddress.IsLoopback(remote))
            {
                return Results.NotFound();
            }

            if (collect == true)
            {
                // What is still reachable, not what a lazy collector has not yet freed.
                GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
                GC.WaitForPendingFinalizers();
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            }

            using var process = System.Diagnostics.Process.GetCurrentProcess();
            var info = GC.GetGCMemoryInfo();
            var (anonymous, files) = ResidentSplit();
            return Results.Ok(new MemoryReport(
                process.WorkingSet64,
                anonymous,
                files,
                process.PrivateMemorySize64,
                GC.GetTotalMemory(forceFullCollection: false),
                info.HeapSizeBytes,
                info.TotalCommittedBytes,
                GCSettings.IsServerGC,
                GC.CollectionCount(2)));
        }).AllowAnonymous();
    }

    /// <summary>Resident memory that is the process's own (heaps, stacks) and that maps files (code, git packs, Lucene).</summary>
    private static (long Anonymous, long Files) ResidentSplit()
    {
        if (!OperatingSystem.IsLinux())
        {
            return (0, 0);
        }

        long Kb(string[] lines, string key) =>
            lines.FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal)) is { } line
                && long.TryParse(line[key.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture, out var kb)
                ? kb * 1024
                : 0;
        var status = File.ReadAllLines("/proc/self/status");
        return (Kb(status, "RssAnon:"), Kb(status, "RssFile:") + Kb(status, "RssShmem:"));
    }
}

/// <summary>Memory figures in bytes.</summary>
public sealed record MemoryReport(long WorkingSet, long ResidentAnonymous, long ResidentFiles, long Private, long GcLive, long GcHeap, long GcCommitted, bool ServerGc, int Gen2Collections);
