using Handbook.GitStore;
using Microsoft.Extensions.Options;

namespace Handbook.Maintenance;

/// <summary>
/// Keeps the repository in shape by itself: every <see cref="HandbookOptions.MaintenanceMinutes"/> it counts loose
/// objects and packs, and past the thresholds asks the store to run git gc (under its writer lock: never beside a save
/// of its own). Without the git command line it says so once and stops; the handbook works on without it.
/// </summary>
public sealed partial class GitMaintenance(PageStore store, IOptions<HandbookOptions> options, ILogger<GitMaintenance> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var minutes = options.Value.MaintenanceMinutes;
        if (minutes <= 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(minutes));
        do
        {
            try
            {
                var result = await store.MaintainAsync(options.Value.MaintenanceLooseObjects, cancellationToken: stoppingToken);
                if (result.Ran)
                {
                    Ran(log, result.LooseBefore, result.LooseAfter, result.PacksBefore, result.PacksAfter, (long)result.Duration.TotalMilliseconds);
                }
            }
            catch (GitCliException e)
            {
                Failed(log, e.Message);
                if (e.NotInstalled)
                {
                    return;
                }
            }
            catch (IOException e)
            {
                Failed(log, e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Repository maintenance: loose objects {LooseBefore} → {LooseAfter}, packs {PacksBefore} → {PacksAfter}, writes held {Milliseconds} ms")]
    private static partial void Ran(ILogger logger, int looseBefore, int looseAfter, int packsBefore, int packsAfter, long milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Repository maintenance did not run: {Reason}")]
    private static partial void Failed(ILogger logger, string reason);
}
