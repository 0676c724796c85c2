using Handbook.GitStore;
using Microsoft.Extensions.Localization;

namespace Handbook.Editing;

/// <summary>
/// The one place where what a write did becomes words for the worker, in the UI language: the store's outcomes and
/// <see cref="SaveError"/>s (whose own messages are English, for logs) never reach a screen as they are.
/// </summary>
public sealed class SaveMessages(IStringLocalizer<SharedResource> localizer, PageStore store)
{
    /// <summary>Why a write was refused, for the page <paramref name="path"/>.</summary>
    public string Describe(SaveError error, PagePath path) =>
        localizer["SaveError." + error, path.Value, store.MaxPageBytes / (1024 * 1024)];

    /// <summary>What a write did when it did not succeed (refused, or a conflict); null when it succeeded.</summary>
    public string? Describe(SaveResult result, PagePath path) => result switch
    {
        SaveResult.Rejected rejected => Describe(rejected.Error, path),
        SaveResult.Conflict => localizer["ConflictTitle"],
        _ => null,
    };

    /// <summary>A message by its resource name (for the refusals that are not the store's).</summary>
    public string Text(string name, params object[] arguments) => localizer[name, arguments];
}
