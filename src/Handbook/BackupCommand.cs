using Handbook.GitStore;

namespace Handbook;

/// <summary>
/// <c>dotnet Handbook.dll backup &lt;file&gt;</c> and <c>restore &lt;file&gt;</c>: the page repository of the configured
/// data folder (appsettings, environment, <c>--Handbook:DataPath</c>) as a verified git bundle, and back into an empty
/// data folder. The history index and the search index are not in the bundle: the app rebuilds them on its first
/// start after a restore (see docs/deployment.md).
/// </summary>
public static class BackupCommand
{
    public static int Run(string command, string file, string[] settings)
    {
        var builder = WebApplication.CreateBuilder(settings);
        var options = builder.Configuration.GetSection(HandbookOptions.Section).Get<HandbookOptions>() ?? new HandbookOptions();
        var repository = Path.Combine(options.DataFullPath, "handbook.git");
        try
        {
            if (command == "backup")
            {
                var size = RepositoryBackup.Create(repository, file);
                Console.WriteLine($"Backed up {repository} to {Path.GetFullPath(file)} ({size / 1024.0:N0} KB), verified.");
            }
            else
            {
                RepositoryBackup.Restore(file, repository);
                Console.WriteLine($"Restored {Path.GetFullPath(file)} into {repository}. Start the app on it: it builds the history and search indexes again on its first start.");
            }

            return 0;
        }
        catch (BackupException e)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }
    }
}
