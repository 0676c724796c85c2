using Handbook.GitStore;
using Microsoft.Extensions.DependencyInjection;

namespace Handbook.Tests;

/// <summary>The backup and restore commands as an administrator runs them, with the app started on the restored folder.</summary>
public sealed class BackupCommandTests
{
    [Fact]
    public async Task BackupAndRestore_IntoANewDataFolder_TheAppServesThePagesAndTheirHistory()
    {
        var bundle = Path.Combine(Directory.CreateTempSubdirectory("handbook-backup-").FullName, "handboek.bundle");
        string saved;
        await using (var original = new HandbookFactory())
        {
            var store = original.Services.GetRequiredService<PageStore>();
            var path = PagePath.Parse("procedures/na-de-back-up");
            var result = await store.SaveAsync(new SaveRequest(path, "---\ntitle: Na de back-up\n---\n# Na de back-up\n\nDeze tekst komt terug.\n",
                new Author("Demo Maatschappelijk Assistent", "ma@demo.handbook.invalid"), "Pagina voor de hersteltest", null));
            saved = Assert.IsType<SaveResult.Saved>(result).Revision;
            Assert.Equal(0, BackupCommand.Run("backup", bundle, ["--Handbook:DataPath", original.DataPath]));
        }

        await using var restored = new HandbookFactory();
        Assert.Equal(0, BackupCommand.Run("restore", bundle, ["--Handbook:DataPath", restored.DataPath]));
        // A second restore into the same folder is refused: it never overwrites a handbook.
        Assert.Equal(1, BackupCommand.Run("restore", bundle, ["--Handbook:DataPath", restored.DataPath]));
        TestGit.Run(Path.Combine(restored.DataPath, "handbook.git"), "fsck --strict --no-dangling");

        using var client = await restored.SignedInClientAsync();
        var page = await client.GetStringAsync(new Uri("/wiki/procedures/na-de-back-up", UriKind.Relative));
        Assert.Contains("Deze tekst komt terug.", page, StringComparison.Ordinal);
        var history = await client.GetStringAsync(new Uri("/history/procedures/na-de-back-up", UriKind.Relative));
        Assert.Contains("Pagina voor de hersteltest", history, StringComparison.Ordinal);
        Assert.Equal(saved, restored.Services.GetRequiredService<PageStore>().Head);
    }

    [Fact]
    public void Backup_OfAFolderWithoutAHandbook_SaysSo()
    {
        var empty = Directory.CreateTempSubdirectory("handbook-empty-").FullName;
        Assert.Equal(1, BackupCommand.Run("backup", Path.Combine(empty, "x.bundle"), ["--Handbook:DataPath", empty]));
        Assert.False(File.Exists(Path.Combine(empty, "x.bundle")));
    }
}
