namespace Handbook.GitStore.Tests;

/// <summary>libgit2's pack mapping and object cache are bounded once a store is open.</summary>
public sealed class NativeGitMemoryTests
{
    [Fact]
    public void OpeningAStore_LimitsLibgit2PackWindowsAndMappedMemory()
    {
        using var repository = new TestRepository();

        Assert.True(NativeGitMemory.Applied);
        Assert.Equal((NativeGitMemory.WindowBytes, NativeGitMemory.MappedLimitBytes), NativeGitMemory.Current());
        // Reading still works with the limits in place.
        Assert.NotNull(repository.Store.Read(PagePath.Parse("procedures/leefloon-aanvragen")));
    }
}
