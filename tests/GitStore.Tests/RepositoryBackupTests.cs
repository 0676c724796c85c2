namespace Handbook.GitStore.Tests;

/// <summary>The backup and restore drill with the real git CLI: every page and its history come back as they were.</summary>
public sealed class RepositoryBackupTests : IDisposable
{
    private readonly TestRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    private async Task SaveAsync(string path, string text, Author author, string summary)
    {
        var page = PagePath.Parse(path);
        var saved = await _repo.Store.SaveAsync(new SaveRequest(page, text, author, summary, _repo.Store.Read(page)?.Revision));
        Assert.IsType<SaveResult.Saved>(saved);
    }

    [Fact]
    public async Task Backup_RestoredIntoANewFolder_HasEveryPageAndItsHistory_AndFsckIsClean()
    {
        await SaveAsync("procedures/leefloon-aanvragen", "---\ntitle: Leefloon aanvragen\n---\n# Leefloon aanvragen\n\nStap 1, herschreven.\n", TestRepository.Ann, "Stap 1 herschreven");
        await SaveAsync("procedures/nieuw", "# Nieuw\n\nEen nieuwe pagina.\n", TestRepository.Bert, "Nieuwe pagina");
        var bundle = Path.Combine(_repo.Root, "backups", "handboek.bundle");

        var size = RepositoryBackup.Create(_repo.RepositoryPath, bundle);

        Assert.True(size > 0 && new FileInfo(bundle).Length == size);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(bundle)!, "*.part-*"));
        var restored = Path.Combine(_repo.Root, "elders", "data", "handbook.git");
        RepositoryBackup.Restore(bundle, restored);
        TestRepository.RunGit(restored, "fsck --strict --no-dangling");
        Assert.Equal(_repo.Git("rev-parse main").Trim(), TestRepository.RunGit(restored, "rev-parse main").Trim());
        Assert.Equal(_repo.Git("log --format=%H%x09%an%x09%s --name-status main"), TestRepository.RunGit(restored, "log --format=%H%x09%an%x09%s --name-status main"));
        // The app's store opens it as it is (no seeding: it is not empty) and reads the same pages and history.
        using var store = PageStore.Open(new PageStoreOptions { RepositoryPath = restored, IndexPath = Path.Combine(_repo.Root, "elders", "data", "history.idx") });
        foreach (var path in new[] { "index", "procedures/leefloon-aanvragen", "procedures/nieuw" })
        {
            Assert.Equal(_repo.Store.Read(PagePath.Parse(path))!.Text, store.Read(PagePath.Parse(path))!.Text);
        }

        Assert.Equal(
            _repo.Store.History(PagePath.Parse("procedures/leefloon-aanvragen")).Select(c => (c.Revision, c.Author.Name, c.Summary, c.When)),
            store.History(PagePath.Parse("procedures/leefloon-aanvragen")).Select(c => (c.Revision, c.Author.Name, c.Summary, c.When)));
    }

    [Fact]
    public void Restore_OfADamagedBundle_IsRefusedWithAMessage_AndLeavesNothing()
    {
        var bundle = Path.Combine(_repo.Root, "handboek.bundle");
        RepositoryBackup.Create(_repo.RepositoryPath, bundle);
        var bytes = File.ReadAllBytes(bundle);
        File.WriteAllBytes(bundle, bytes[..(bytes.Length / 2)]); // cut off half way, as a failed copy would
        var target = Path.Combine(_repo.Root, "nieuw", "handbook.git");

        var error = Assert.Throws<BackupException>(() => RepositoryBackup.Restore(bundle, target));

        Assert.Contains("damaged", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(target));
        Assert.Empty(Directory.GetDirectories(Path.Combine(_repo.Root, "nieuw")));
    }

    [Fact]
    public void Restore_IntoAFolderThatHoldsAHandbook_IsRefused_AndChangesNothing()
    {
        var bundle = Path.Combine(_repo.Root, "handboek.bundle");
        RepositoryBackup.Create(_repo.RepositoryPath, bundle);
        var head = _repo.Git("rev-parse main");

        var error = Assert.Throws<BackupException>(() => RepositoryBackup.Restore(bundle, _repo.RepositoryPath));

        Assert.Contains("not empty", error.Message, StringComparison.Ordinal);
        Assert.Equal(head, _repo.Git("rev-parse main"));
        Assert.Throws<BackupException>(() => RepositoryBackup.Restore(Path.Combine(_repo.Root, "bestaat-niet.bundle"), Path.Combine(_repo.Root, "x")));
        Assert.Throws<BackupException>(() => RepositoryBackup.Create(Path.Combine(_repo.Root, "geen-repository"), Path.Combine(_repo.Root, "y.bundle")));
    }
}
