using System.Security.Claims;
using CsCheck;
using Handbook.Editing;
using Handbook.GitStore;
using Handbook.Identity;
using Handbook.Rendering;
using LibGit2Sharp;
using Microsoft.Extensions.DependencyInjection;

namespace Handbook.Tests.Editing;

/// <summary>
/// Random sequences of writes by a worker and an administrator through the app's one door for writes — protect,
/// unprotect, edit, merge, keep-mine, rename with link updates, delete, restore, upload — and after every step:
/// no commit of the worker changed a page that was protected, changed the protected flag, or touched a file of a
/// protected page.
/// </summary>
public sealed class ProtectionPropertyTests(HandbookFactory factory) : IClassFixture<HandbookFactory>
{
    private const string WorkerEmail = "ma@demo.handbook.invalid";

    internal static readonly ClaimsPrincipal Worker = new(new ClaimsIdentity(
        [new Claim("name", "Demo Maatschappelijk Assistent"), new Claim("email", WorkerEmail)], "test", "name", ClaimTypes.Role));

    internal static readonly ClaimsPrincipal Admin = new(new ClaimsIdentity(
        [new Claim("name", "Demo Teamverantwoordelijke"), new Claim("email", "manager@demo.handbook.invalid"), new Claim(ClaimTypes.Role, CurrentUser.AdministratorRole)],
        "test", "name", ClaimTypes.Role));

    internal static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    public enum Op
    {
        Protect, Unprotect, Edit, StaleEdit, KeepMine, Rename, Delete, Restore, Upload,
    }

    private static readonly Gen<(bool ByAdmin, Op Op, int Page)[]> Sequences =
        Gen.Select(Gen.Bool, Gen.Enum<Op>(), Gen.Int[0, 2]).Array[4, 14];

    [Fact]
    public async Task NoWorkerCommit_EverChangesAProtectedPageOrTheFlag()
    {
        var commands = factory.Services.GetRequiredService<PageCommands>();
        var store = factory.Services.GetRequiredService<PageStore>();
        var run = 0;
        var workerCommits = 0;
        await Sequences.SampleAsync(async steps =>
        {
            var n = Interlocked.Increment(ref run);
            var pages = Enumerable.Range(0, 3).Select(i => PagePath.Parse($"werking/reeks-{n}-{i}")).ToArray();
            var linker = PagePath.Parse($"werking/reeks-{n}-links");
            foreach (var page in pages)
            {
                await commands.SaveAsync(Admin, new SaveCommand(page, $"---\ntitle: Reeks {page.Name}\n---\nRegel een.\n\nRegel twee.\n\nRegel drie.\n", "start", null, ""));
            }

            await commands.SaveAsync(Admin, new SaveCommand(linker, string.Concat(pages.Select(p => $"- [[{p.Value}]]\n")), "links", null, ""));
            // What an editor opened at the start holds: the base of stale edits and of "keep mine".
            var opened = pages.ToDictionary(p => p, p => store.Read(p)!);
            var step = 0;
            foreach (var (byAdmin, op, index) in steps)
            {
                var user = byAdmin ? Admin : Worker;
                var page = pages[index];
                var before = store.Head!;
                var current = store.Read(page);
                step++;
                switch (op)
                {
                    case Op.Protect when current is not null:
                        await commands.SaveAsync(user, new SaveCommand(page, FrontMatterText.SetField(current.Text, "protected", "true"), "beschermd", current.Revision, current.Text));
                        break;
                    case Op.Unprotect when current is not null:
                        await commands.SaveAsync(user, new SaveCommand(page, FrontMatterText.SetField(current.Text, "protected", null), "vrij", current.Revision, current.Text));
                        break;
                    case Op.Edit when current is not null:
                        await commands.SaveAsync(user, new SaveCommand(page, current.Text.Replace("Regel drie.", $"Regel drie ({step}).", StringComparison.Ordinal), "bewerkt", current.Revision, current.Text));
                        break;
                    case Op.StaleEdit when opened.TryGetValue(page, out var old):
                        // A line the other steps leave alone: a clean merge with whatever happened since.
                        await commands.SaveAsync(user, new SaveCommand(page, old.Text.Replace("Regel een.", $"Regel een ({step}).", StringComparison.Ordinal), "oud", old.Revision, old.Text));
                        break;
                    case Op.KeepMine when current is not null && opened.TryGetValue(page, out var mine):
                        // "Toch mijn versie bewaren": the text from the start, on top of the tip.
                        await commands.SaveAsync(user, new SaveCommand(page, mine.Text.Replace("Regel twee.", $"Regel twee ({step}).", StringComparison.Ordinal), "mijn versie", current.Revision, mine.Text));
                        break;
                    case Op.Rename when current is not null:
                        var to = PagePath.Parse(page.Value + "-h" + step);
                        if ((await commands.RenameAsync(user, page, to.Value, "hernoemd", updateLinks: true)).Succeeded)
                        {
                            pages[index] = to;
                        }

                        break;
                    case Op.Delete when current is not null:
                        await commands.DeleteAsync(user, page, "weg");
                        break;
                    case Op.Restore:
                        var versions = store.History(page).Where(c => c.Kind != Handbook.GitStore.ChangeKind.Deleted).ToList();
                        if (versions.Count > 0)
                        {
                            await commands.RestoreAsync(user, page, versions[step % versions.Count].Revision, "terug");
                        }

                        break;
                    case Op.Upload:
                        await commands.AttachAsync(user, page, $"schema-{step % 2}.png", [.. Png, (byte)step]);
                        break;
                }

                var (violations, commits) = WorkerCommits(store.RepositoryPath, before);
                Interlocked.Add(ref workerCommits, commits);
                Assert.True(violations.Count == 0, $"after step {step} ({(byAdmin ? "admin" : "worker")} {op} {page}): {string.Join("; ", violations)}");
            }
        }, iter: 25, threads: 1, print: s => string.Join(", ", s.Select(x => $"{(x.ByAdmin ? "A" : "W")}:{x.Op}:{x.Page}")));

        // The worker did write (the rule refuses only what touches protection).
        Assert.True(workerCommits > 10, $"{workerCommits} commits by the worker");
    }

    /// <summary>What the worker's commits since <paramref name="since"/> did to protected pages, and how many there were.</summary>
    internal static (List<string> Violations, int Commits) WorkerCommits(string repository, string since)
    {
        var found = new List<string>();
        var count = 0;
        using var repo = new Repository(repository);
        var filter = new CommitFilter { IncludeReachableFrom = repo.Refs["refs/heads/main"], ExcludeReachableFrom = since };
        foreach (var commit in repo.Commits.QueryBy(filter))
        {
            if (commit.Author.Email != WorkerEmail || commit.Parents.FirstOrDefault() is not { } parent)
            {
                continue;
            }

            count++;
            foreach (var change in repo.Diff.Compare<TreeChanges>(parent.Tree, commit.Tree))
            {
                var oldPath = change.OldPath ?? change.Path;
                if (oldPath.StartsWith('.'))
                {
                    continue; // the store's own files (redirects)
                }

                var page = oldPath.EndsWith(".md", StringComparison.Ordinal) ? oldPath : Path.GetDirectoryName(oldPath)!.Replace('\\', '/') + ".md";
                if (IsProtected(parent[page]?.Target as Blob))
                {
                    found.Add($"{commit.Sha[..7]} changed {change.Path} of protected {page}");
                }
                else if (change.Path.EndsWith(".md", StringComparison.Ordinal) && IsProtected(commit[change.Path]?.Target as Blob))
                {
                    found.Add($"{commit.Sha[..7]} protected {change.Path}");
                }
            }
        }

        return (found, count);
    }

    private static bool IsProtected(Blob? blob) =>
        blob is not null && FrontMatter.Parse(FrontMatterText.Split(blob.GetContentText()).Yaml).Protected;
}
