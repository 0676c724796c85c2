using System.Collections.Concurrent;
using LibGit2Sharp;

namespace Handbook.GitStore;

/// <summary>
/// LibGit2Sharp's <see cref="Repository"/> is not safe to share between threads, and opening one per request
/// would reload pack indexes each time. Readers therefore rent an instance for the length of one operation.
/// </summary>
internal sealed class RepositoryPool(string path) : IDisposable
{
    private readonly ConcurrentBag<Repository> _idle = [];
    private bool _disposed;

    public Lease Rent() => new(this, _idle.TryTake(out var repo) ? repo : new Repository(path));

    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryTake(out var repo))
        {
            repo.Dispose();
        }
    }

    private void Return(Repository repo)
    {
        if (_disposed || _idle.Count >= 16)
        {
            repo.Dispose();
        }
        else
        {
            _idle.Add(repo);
        }
    }

    internal readonly struct Lease(RepositoryPool pool, Repository repository) : IDisposable
    {
        public Repository Repository { get; } = repository;

        public void Dispose() => pool.Return(Repository);
    }
}
