using System.Globalization;
using System.Text;
using LibGit2Sharp;
using GitChange = LibGit2Sharp.ChangeKind;

namespace Handbook.GitStore;

/// <summary>One commit as the history index reads it, from libgit2 or from the git command line.</summary>
internal readonly record struct LoggedCommit(string Sha, string AuthorName, string AuthorEmail, DateTimeOffset When, string Message);

/// <summary>One changed path of a commit against its first parent; <see cref="OldPath"/> equals <see cref="Path"/> unless renamed.</summary>
internal readonly record struct LoggedChange(GitChange Status, string Path, string OldPath, ObjectId? OldId, ObjectId? NewId);

/// <summary>
/// The history walk by the git command line: <c>git log --raw -M --no-merges</c> streamed and parsed as it comes,
/// which at 100,000 commits is many times faster than diffing every commit through libgit2 (see docs/benchmarks.md,
/// "First start on a large handbook"). Only commit ids that were validated are passed, as an argument list.
/// </summary>
internal static class HistoryLog
{
    // Renames as libgit2's diff finds them for the index's own catch-up (50 % similar), with the same limit.
    internal const int RenameThreshold = 50;
    internal const int RenameLimit = 1000;

    private const byte CommitMark = 0x1e;

    /// <summary>
    /// Walks the commits reachable from <paramref name="tip"/> and not from <paramref name="exclude"/>, oldest first
    /// (parents before children), merges left out, and hands each with its changes to <paramref name="commit"/>.
    /// </summary>
    public static void Walk(string gitDirectory, string tip, string? exclude, Action<LoggedCommit, List<LoggedChange>> commit)
    {
        var args = new List<string>
        {
            "--git-dir=" + gitDirectory, "log", "-z", "--raw", "--no-abbrev", "--no-merges", "--root", "--topo-order",
            "--reverse", $"--find-renames={RenameThreshold}%", $"-l{RenameLimit}", "--no-color",
            "--no-ext-diff", "--no-textconv", "--date=raw", "--format=%x1e%H%x00%an%x00%ae%x00%ad%x00%B",
            Validated(tip),
        };
        if (exclude is not null)
        {
            args.Add("^" + Validated(exclude));
        }

        args.Add("--");
        GitCli.Stream(gitDirectory, args, output => Parse(output, commit));
    }

    /// <summary>How many commits <see cref="Walk"/> would hand over (for progress).</summary>
    public static int Count(string gitDirectory, string tip, string? exclude)
    {
        var args = new List<string> { "--git-dir=" + gitDirectory, "rev-list", "--count", "--no-merges", Validated(tip) };
        if (exclude is not null)
        {
            args.Add("^" + Validated(exclude));
        }

        args.Add("--");
        return int.Parse(GitCli.Run(gitDirectory, [.. args]).Trim(), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// A commit's summary as libgit2's <c>git_commit_summary</c> defines it: its first paragraph (leading blank lines
    /// skipped), each run of white space that holds a line break made one space, trailing white space dropped.
    /// Used for both walks, so that a rebuilt index says exactly what a caught-up one says.
    /// </summary>
    public static string Summary(string message)
    {
        var text = message.AsSpan().TrimStart('\n');
        var summary = new StringBuilder();
        var spaceStart = -1;
        var spaceHasNewline = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n' && EndsParagraph(text[(i + 1)..]))
            {
                break;
            }

            if (char.IsWhiteSpace(c))
            {
                if (spaceStart < 0)
                {
                    spaceStart = i;
                    spaceHasNewline = false;
                }

                spaceHasNewline |= c == '\n';
                continue;
            }

            if (spaceStart >= 0)
            {
                if (spaceHasNewline)
                {
                    summary.Append(' ');
                }
                else
                {
                    summary.Append(text[spaceStart..i]);
                }

                spaceStart = -1;
            }

            summary.Append(c);
        }

        return summary.ToString();

        // After a line break: the end of the text, or a line with nothing but white space, ends the paragraph.
        static bool EndsParagraph(ReadOnlySpan<char> rest)
        {
            var next = rest.TrimStart(" \t\r\v\f");
            return next.Length == 0 || next[0] == '\n';
        }
    }

    private static string Validated(string sha)
    {
        // A full object id and nothing else: it can never be read as an option or a revision expression.
        if (sha.Length != 40 || !sha.All(char.IsAsciiHexDigitLower))
        {
            throw new ArgumentException($"Not a full lower-case commit id: '{sha}'.", nameof(sha));
        }

        return sha;
    }

    private static void Parse(Stream output, Action<LoggedCommit, List<LoggedChange>> commit)
    {
        var tokens = new TokenReader(output);
        var token = tokens.Next();
        while (token is not null)
        {
            var start = token.AsSpan().TrimStart('\n');
            if (start.Length != 41 || start[0] != CommitMark)
            {
                throw new FormatException($"git log: expected a commit, read '{Shorten(token)}'.");
            }

            var sha = start[1..].ToString();
            var name = tokens.Next() ?? throw Truncated();
            var email = tokens.Next() ?? throw Truncated();
            var date = tokens.Next() ?? throw Truncated();
            var message = tokens.Next() ?? throw Truncated();
            var changes = new List<LoggedChange>();
            while ((token = tokens.Next()) is not null)
            {
                var raw = token.AsSpan().TrimStart('\n');
                if (raw.Length == 0)
                {
                    continue;
                }

                if (raw[0] != ':')
                {
                    break; // the next commit
                }

                changes.Add(ParseChange(raw, tokens));
            }

            commit(new LoggedCommit(sha, name, email, ParseDate(date), message), changes);
        }
    }

    // ":100644 100644 <old id> <new id> R087", then the path, or for renames and copies the old path and the new.
    private static LoggedChange ParseChange(ReadOnlySpan<char> raw, TokenReader tokens)
    {
        Span<Range> fields = stackalloc Range[6];
        if (raw[1..].Split(fields, ' ') != 5)
        {
            throw new FormatException($"git log: not a raw diff line: '{Shorten(raw.ToString())}'.");
        }

        var line = raw[1..];
        var oldId = Id(line[fields[2]]);
        var newId = Id(line[fields[3]]);
        var letter = line[fields[4]][0];
        var path = tokens.Next() ?? throw Truncated();
        var oldPath = path;
        if (letter is 'R' or 'C')
        {
            path = tokens.Next() ?? throw Truncated();
        }

        var status = letter switch
        {
            'A' => GitChange.Added,
            'C' => GitChange.Copied,
            'D' => GitChange.Deleted,
            'M' => GitChange.Modified,
            'R' => GitChange.Renamed,
            'T' => GitChange.TypeChanged,
            _ => GitChange.Unmodified, // unmerged or unknown: nothing a page history shows
        };
        return new LoggedChange(status, path, oldPath, oldId, newId);

        static ObjectId? Id(ReadOnlySpan<char> hex) =>
            hex.ContainsAnyExcept('0') ? new ObjectId(hex.ToString()) : null;
    }

    // "1796247691 +0530": seconds since 1970 and the author's offset from UTC.
    private static DateTimeOffset ParseDate(string raw)
    {
        var space = raw.IndexOf(' ', StringComparison.Ordinal);
        var seconds = long.Parse(raw.AsSpan(0, space), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var zone = raw.AsSpan(space + 1);
        var minutes = (int.Parse(zone[1..3], CultureInfo.InvariantCulture) * 60) + int.Parse(zone[3..5], CultureInfo.InvariantCulture);
        var offset = TimeSpan.FromMinutes(zone[0] == '-' ? -minutes : minutes);
        return DateTimeOffset.FromUnixTimeSeconds(seconds).ToOffset(offset);
    }

    private static FormatException Truncated() => new("git log: the output ended in the middle of a commit.");

    private static string Shorten(string text) => text.Length > 80 ? text[..80] + "…" : text;

    /// <summary>git's output cut at NUL bytes, each piece decoded as UTF-8 (paths and messages are bytes in git).</summary>
    private sealed class TokenReader(Stream stream)
    {
        private readonly byte[] _buffer = new byte[64 * 1024];
        private readonly MemoryStream _token = new();
        private int _position;
        private int _length;

        public string? Next()
        {
            _token.SetLength(0);
            while (true)
            {
                if (_position == _length)
                {
                    _length = stream.Read(_buffer, 0, _buffer.Length);
                    _position = 0;
                    if (_length == 0)
                    {
                        return _token.Length == 0 ? null : Decode();
                    }
                }

                var end = Array.IndexOf(_buffer, (byte)0, _position, _length - _position);
                if (end < 0)
                {
                    _token.Write(_buffer, _position, _length - _position);
                    _position = _length;
                    continue;
                }

                _token.Write(_buffer, _position, end - _position);
                _position = end + 1;
                return Decode();
            }
        }

        private string Decode() => Encoding.UTF8.GetString(_token.GetBuffer(), 0, (int)_token.Length);
    }
}
