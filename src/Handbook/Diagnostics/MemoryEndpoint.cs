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
            if (context.Connection.RemoteIpAddress is not { } remote || !IPAddress.IsLoopback(remote))
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
            return Results.Ok(new MemoryReport(
                process.WorkingSet64,
                process.PrivateMemorySize64,
                GC.GetTotalMemory(forceFullCollection: false),
                info.HeapSizeBytes,
                info.TotalCommittedBytes,
                GCSettings.IsServerGC,
                GC.CollectionCount(2)));
        }).AllowAnonymous();
    }
}

/// <summary>Memory figures in bytes.</summary>
public sealed record MemoryReport(long WorkingSet, long Private, long GcLive, long GcHeap, long GcCommitted, bool ServerGc, int Gen2Collections);
