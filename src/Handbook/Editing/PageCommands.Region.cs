using System.Security.Claims;
using Handbook.GitStore;
using Handbook.Identity;

namespace Handbook.Editing;

/// <summary>What a worker does with a page the city adapted from the shared handbook.</summary>
public enum RegionalAction
{
    /// <summary>Take the region's change into our version (three-way merge).</summary>
    Merge,
    /// <summary>Read the shared version again; our adaptation stays in history.</summary>
    Follow,
    /// <summary>Keep our version as it is; the region's change counts as seen.</summary>
    Keep,
}

/// <summary>The shared handbook's actions, through the same door as every write.</summary>
public sealed partial class PageCommands
{
    /// <summary>
    /// Takes, follows or sets aside the region's change to a page the city adapted. A merge whose edits overlap is a
    /// <see cref="SaveResult.Conflict"/> (nothing written): the worker then keeps ours or follows the region.
    /// </summary>
    public async Task<CommandOutcome> RegionalAsync(ClaimsPrincipal user, PagePath path, RegionalAction action, CancellationToken cancellationToken = default)
    {
        var region = options.Value.Region.Name;
        var summary = action switch
        {
            RegionalAction.Merge => messages.Text("RegionMergeSummary", region),
            RegionalAction.Follow => messages.Text("RegionFollowSummary", region),
            _ => messages.Text("RegionKeepSummary", region),
        };
        if (Refuse(user, path, summary) is { } refused)
        {
            return refused;
        }

        var author = CurrentUser.Author(user);
        var result = action switch
        {
            RegionalAction.Merge => await store.MergeFromRegionAsync(path, author, summary, cancellationToken).ConfigureAwait(false),
            RegionalAction.Follow => await store.FollowRegionAsync(path, author, summary, cancellationToken).ConfigureAwait(false),
            _ => await store.KeepAdaptationAsync(path, author, summary, cancellationToken).ConfigureAwait(false),
        };
        switch (result)
        {
            case SaveResult.Merged merged:
                Seen(user, path, merged.Revision, merged.MergedText);
                break;
            case SaveResult.Saved saved when store.Read(path, saved.Revision) is { TooLarge: false } page:
                Seen(user, path, saved.Revision, page.Text);
                break;
        }

        if (result is SaveResult.Saved or SaveResult.Merged)
        {
            log.LogInformation("Shared page {Event} {Path} by {User}", action.ToString().ToLowerInvariant(), path.Value, author.Email);
        }

        return result is SaveResult.Rejected { Error: SaveError.NotFound }
            ? new CommandOutcome(result, messages.Text("RegionNotAdapted"))
            : Outcome(result, path);
    }

    /// <summary>
    /// Offers the city's version of a shared page to the region as a branch (<see cref="PageStore.ProposeToRegionAsync"/>):
    /// the outcome's message says which branch, or why not (nothing to offer, the region unreachable or refusing).
    /// </summary>
    public async Task<(RegionProposal? Proposal, string Message)> ProposeToRegionAsync(ClaimsPrincipal user, PagePath path, string? summary,
        CancellationToken cancellationToken = default)
    {
        var region = options.Value.Region;
        if (string.IsNullOrWhiteSpace(summary))
        {
            return (null, messages.Text("SummaryRequired"));
        }

        if (region.ToOptions() is not { } remote || store.Region is not { } mount || !mount.Contains(path))
        {
            return (null, messages.Text("RegionNotAdapted"));
        }

        if (string.IsNullOrWhiteSpace(region.City))
        {
            return (null, messages.Text("RegionNoCity"));
        }

        var author = CurrentUser.Author(user);
        try
        {
            var proposal = await store.ProposeToRegionAsync(remote, path, author, summary.Trim(), region.City, cancellationToken).ConfigureAwait(false);
            if (proposal is null)
            {
                return (null, messages.Text("RegionNothingToPropose"));
            }

            log.LogInformation("Shared page {Event} {Path} by {User} as {Branch}", "proposed", path.Value, author.Email, proposal.Branch);
            return (proposal, messages.Text("RegionProposed", region.Name, proposal.Branch));
        }
        catch (Exception e) when (e is LibGit2Sharp.LibGit2SharpException or InvalidOperationException)
        {
            log.LogWarning("Proposal of {Path} to the region failed: {Error}", path.Value, e.Message);
            return (null, messages.Text("RegionProposalFailed", region.Name));
        }
    }

    /// <summary>Whether the page belongs to the shared handbook (its actions differ: adapt, not rename or delete).</summary>
    public bool IsShared(PagePath path) => store.Region?.Contains(path) == true;
}
