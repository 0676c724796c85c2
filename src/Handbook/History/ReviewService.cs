using System.Globalization;
using System.Security.Claims;
using Handbook.Catalog;
using Handbook.GitStore;
using Handbook.Identity;
using Handbook.Rendering;

namespace Handbook.History;

/// <summary>Marks a page as reviewed by a commit that sets its next review date, so that reviews are in history too.</summary>
public sealed class ReviewService(PageStore store, HandbookCatalog catalog)
{
    public async Task<SaveResult> MarkReviewedAsync(PagePath path, DateOnly next, ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        var page = store.Read(path);
        if (page is null)
        {
            return new SaveResult.Rejected(SaveError.NotFound, $"Page '{path}' does not exist.");
        }

        if (page.TooLarge)
        {
            return new SaveResult.Rejected(SaveError.TooLarge, $"Page '{path}' is too large to change here.");
        }

        var meta = catalog.Current.Pages.TryGetValue(path, out var summary) ? summary.Meta : FrontMatter.Empty;
        if (!CurrentUser.MayChange(user, meta))
        {
            return new SaveResult.Rejected(SaveError.NotAllowed, "Only an administrator may change a protected page.");
        }

        var date = next.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var text = FrontMatterText.SetField(page.Text, "review_by", date);
        return await store.SaveAsync(new SaveRequest(path, text, CurrentUser.Author(user), $"Nagekeken; volgende controle {date}", page.Revision),
            cancellationToken).ConfigureAwait(false);
    }
}
