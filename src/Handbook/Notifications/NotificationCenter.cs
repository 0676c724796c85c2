using System.Security.Claims;
using Handbook.Catalog;
using Handbook.GitStore;
using Handbook.Identity;
using Handbook.Questions;

namespace Handbook.Notifications;

/// <summary>How the worker follows a page: herself, through a section, or as a member of the owning team.</summary>
public sealed record FollowState(bool Page, string? Section, bool AsTeam)
{
    public bool Any => Page || Section is not null || AsTeam;
}

/// <summary>What the screens ask about a worker's notifications and follows; the decisions live here, not in components.</summary>
public sealed class NotificationCenter(NotificationStore notifications, HandbookCatalog catalog)
{
    /// <summary>The bell's count. Also records the worker and her team, so that her team's questions reach her.</summary>
    public int Unread(ClaimsPrincipal user)
    {
        var email = CurrentUser.Email(user);
        notifications.SeeWorker(new Worker(email, CurrentUser.Name(user), CurrentUser.Team(user)));
        return notifications.UnreadCount(email);
    }

    public FollowState Following(ClaimsPrincipal user, PagePath page)
    {
        var email = CurrentUser.Email(user);
        var follows = notifications.Following(email);
        var targets = NotificationFanout.Targets(page);
        var section = targets.Skip(1).FirstOrDefault(follows.Contains);
        var asTeam = catalog.Current.Pages.TryGetValue(page, out var summary) && Teams.Same(summary.Meta.Owner, CurrentUser.Team(user))
            && !notifications.Unfollowed(email).Overlaps(targets);
        return new FollowState(follows.Contains(page.Value), section, asTeam);
    }

    /// <summary>Follows or stops following a page ("pad") or a section ("pad/"); false when the target is no page or section name.</summary>
    public bool SetFollowing(ClaimsPrincipal user, string? target, bool follow)
    {
        if (string.IsNullOrEmpty(target) || !PagePath.TryParse(target.TrimEnd('/'), out var path, out _))
        {
            return false;
        }

        var key = target.EndsWith('/') ? path.Value + "/" : path.Value;
        var email = CurrentUser.Email(user);
        if (follow)
        {
            notifications.Follow(email, key);
        }
        else
        {
            notifications.Unfollow(email, key);
        }

        return true;
    }
}
