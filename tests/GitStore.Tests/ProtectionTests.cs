namespace Handbook.GitStore.Tests;

/// <summary>
/// Protected pages, decided where the commit is made: against the branch tip, under the writer lock, whatever the
/// screen that started the write saw. Workers are refused; administrators are not.
/// </summary>
public sealed class ProtectionTests : IDisposable
{
    private const string Page = "procedures/leefloon-aanvragen";
    private readonly TestRepository _repo = new();

    private PageStore Store => _repo.Store;

    private static PagePath Path => PagePath.Parse(Page);

    /// <summary>An administrator protects the page and changes <paramref name="line"/>; returns the worker's base from before.</summary>
    private async Task<PageContent> ProtectMeanwhileAsync(string line = "Stap 1.", string by = "Stap 1 (beheer).")
    {
        var before = Store.Read(Path)!;
        var text = before.Text.Replace("---\ntitle:", "---\nprotected: true\ntitle:", StringComparison.Ordinal).Replace(line, by, StringComparison.Ordinal);
        Assert.IsType<SaveResult.Saved>(await Store.SaveAsync(TestRepository.Request(Page, text, TestRepository.Admin, baseRevision: before.Revision)));
        return before;
    }

    private void AssertUnchangedSince(string head) => Assert.Equal(head, Store.Head);

    [Fact]
    public async Task KeepMine_OnAPageProtectedMeanwhile_IsRefused()
    {
        var opened = await ProtectMeanwhileAsync();
        var mine = opened.Text.Replace("Stap 1.", "Stap 1 (mijn versie).", StringComparison.Ordinal);
        var head = Store.Head!;
        // The overlapping save is refused before it could be a conflict the worker resolves by keeping her version...
        var first = await Store.SaveAsync(TestRepository.Request(Page, mine, TestRepository.Ann, baseRevision: opened.Revision));
        Assert.Equal(SaveError.NotAllowed, Assert.IsType<SaveResult.Rejected>(first).Error);

        // ... and "Toch mijn versie bewaren" (my text on top of theirs, without their protected flag) is refused too.
        var keep = await Store.SaveAsync(TestRepository.Request(Page, mine, TestRepository.Ann, baseRevision: head));
        Assert.Equal(SaveError.NotAllowed, Assert.IsType<SaveResult.Rejected>(keep).Error);
        AssertUnchangedSince(head);
        Assert.Contains("protected: true", Store.Read(Path)!.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MergeIntoAPageProtectedMeanwhile_IsRefused()
    {
        var opened = await ProtectMeanwhileAsync();
        var head = Store.Head!;
        var mine = opened.Text.Replace("Stap 3.", "Stap 3 (aangevuld).", StringComparison.Ordinal);
        var result = await Store.SaveAsync(TestRepository.Request(Page, mine, TestRepository.Ann, baseRevision: opened.Revision));
        Assert.Equal(SaveError.NotAllowed, Assert.IsType<SaveResult.Rejected>(result).Error);
        AssertUnchangedSince(head);
    }

    [Fact]
    public async Task Administrator_MergesIntoAProtectedPage_AndTheFlagStays()
    {
        var opened = await ProtectMeanwhileAsync();
        var mine = opened.Text.Replace("Stap 3.", "Stap 3 (aangevuld).", StringComparison.Ordinal);
        var merged = Assert.IsType<SaveResult.Merged>(await Store.SaveAsync(TestRepository.Request(Page, mine, TestRepository.Admin, baseRevision: opened.Revision)));
        Assert.Contains("protected: true", merged.MergedText, StringComparison.Ordinal);
        Assert.Contains("Stap 3 (aangevuld).", merged.MergedText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Attachments_OfAProtectedPage_CannotBeAddedOrOverwrittenByAWorker()
    {
        Assert.True(AttachmentPath.TryParse(Page + "/schema.png", out var file, out _));
        Assert.IsType<SaveResult.Saved>(await Store.SaveAttachmentAsync(file, [0x89, 0x50, 1], TestRepository.Ann, "schema"));
        await ProtectMeanwhileAsync();
        var head = Store.Head!;
        var overwrite = await Store.SaveAttachmentAsync(file, [0x89, 0x50, 2], TestRepository.Ann, "ander schema");
        Assert.Equal(SaveError.NotAllowed, Assert.IsType<SaveResult.Rejected>(overwrite).Error);
        Assert.True(AttachmentPath.TryParse(Page + "/nieuw.png", out var added, out _));
        Assert.Equal(SaveError.NotAllowed, Assert.IsType<SaveResult.Rejected>(await Store.SaveAttachmentAsync(added, [1], TestRepository.Ann, "nieuw")).Error);
        AssertUnchangedSince(head);
        Assert.Equal([0x89, 0x50, 1], Store.ReadAttachment(file));
        Assert.IsType<SaveResult.Saved>(await Store.SaveAttachmentAsync(file, [0x89, 0x50, 3], TestRepository.Admin, "beheer"));
    }

    [Fact]
    public async Task Attachments_OfAPageThatDoesNotExist_AreRefused()
    {
        Assert.True(AttachmentPath.TryParse("procedures/bestaat-niet/schema.png", out var file, out _));
        var head = Store.Head!;
        Assert.Equal(SaveError.NotFound, Assert.IsType<SaveResult.Rejected>(await Store.SaveAttachmentAsync(file, [1], TestRepository.Ann, "x")).Error);
        Assert.True(AttachmentPath.TryParse("los.png", out var root, out _));
        Assert.Equal(SaveError.NotFound, Assert.IsType<SaveResult.Rejected>(await Store.SaveAttachmentAsync(root, [1], TestRepository.Ann, "x")).Error);
        AssertUnchangedSince(head);
    }

    [Fact]
    public async Task RenameAndDelete_OfAProtectedPage_AreRefusedForAWorker()
    {
        await ProtectMeanwhileAsync();
        var head = Store.Head!;
        Assert.Equal(SaveError.NotAllowed, Assert.IsType<SaveResult.Rejected>(await Store.RenameAsync(Path, PagePath.Parse("procedures/ander"), TestRepository.Ann, "weg")).Error);
        Assert.Equal(SaveError.NotAllowed, Assert.IsType<SaveResult.Rejected>(await Store.DeleteAsync(Path, TestRepository.Ann, "weg")).Error);
        AssertUnchangedSince(head);
        Assert.IsType<SaveResult.Saved>(await Store.RenameAsync(Path, PagePath.Parse("procedures/ander"), TestRepository.Admin, "hernoemd"));
    }

    [Fact]
    public async Task RestoreOfAProtectedPageThatAnAdministratorDeleted_IsRefusedForAWorker()
    {
        await ProtectMeanwhileAsync();
        var protectedVersion = Store.Head!;
        Assert.IsType<SaveResult.Saved>(await Store.DeleteAsync(Path, TestRepository.Admin, "weg"));
        var head = Store.Head!;
        var restore = await Store.RestoreAsync(Path, protectedVersion, TestRepository.Ann, "terug");
        Assert.Equal(SaveError.NotAllowed, Assert.IsType<SaveResult.Rejected>(restore).Error);
        AssertUnchangedSince(head);
        Assert.IsType<SaveResult.Saved>(await Store.RestoreAsync(Path, protectedVersion, TestRepository.Admin, "terug"));
    }

    [Fact]
    public async Task AWorker_CannotProtectAPage_ByWritingTheFlag()
    {
        var page = Store.Read(Path)!;
        var head = Store.Head!;
        var flagged = page.Text.Replace("---\ntitle:", "---\nprotected: true\ntitle:", StringComparison.Ordinal);
        Assert.Equal(SaveError.NotAllowed, Assert.IsType<SaveResult.Rejected>(await Store.SaveAsync(TestRepository.Request(Page, flagged, TestRepository.Ann, baseRevision: page.Revision))).Error);
        // Nor a new page that starts protected.
        Assert.Equal(SaveError.NotAllowed, Assert.IsType<SaveResult.Rejected>(await Store.SaveAsync(TestRepository.Request("werking/nieuw", "---\nprotected: true\n---\nx\n", TestRepository.Ann))).Error);
        AssertUnchangedSince(head);
        Assert.IsType<SaveResult.Saved>(await Store.SaveAsync(TestRepository.Request(Page, flagged, TestRepository.Admin, baseRevision: page.Revision)));
    }

    [Fact]
    public async Task AWorker_StillEditsUnprotectedPages_AndAProtectedPageAfterItIsUnprotected()
    {
        await ProtectMeanwhileAsync();
        var current = Store.Read(Path)!;
        var unprotected = current.Text.Replace("protected: true\n", "", StringComparison.Ordinal);
        Assert.IsType<SaveResult.Saved>(await Store.SaveAsync(TestRepository.Request(Page, unprotected, TestRepository.Admin, baseRevision: current.Revision)));
        current = Store.Read(Path)!;
        Assert.IsType<SaveResult.Saved>(await Store.SaveAsync(TestRepository.Request(Page, current.Text + "\nAanvulling.\n", TestRepository.Ann, baseRevision: current.Revision)));
    }

    public void Dispose() => _repo.Dispose();
}
