using System.IO.Compression;
using System.Text;

namespace Handbook.Search;

/// <summary>
/// The Dutch word list (OpenTaal, from Debian's wdutch; Search/Dutch/README.md): some 350,000 lower-case words,
/// diacritics folded. Kept as a sorted array of 64-bit hashes (under 3 MB instead of some 25 MB of strings), so a
/// piece of a word is looked up without allocating a string. A piece that is no word is taken for one only if its
/// 64-bit hash equals a word's: for one look-up about 2 in 10^14.
/// </summary>
public sealed class DutchWords
{
    private static readonly Lazy<DutchWords> Shared = new(() => Load(OpenEmbedded()));

    private readonly ulong[] _hashes;

    private DutchWords(ulong[] hashes) => _hashes = hashes;

    /// <summary>The list shipped with the handbook, loaded once on first use (about 0.1 s).</summary>
    public static DutchWords List => Shared.Value;

    public int Count => _hashes.Length;

    public bool Contains(ReadOnlySpan<char> word) => word.Length > 0 && Array.BinarySearch(_hashes, Hash(word)) >= 0;

    /// <summary>Whether a word followed by another (with nothing, or a linking "s", between) is one word of the list.</summary>
    public bool ContainsJoined(ReadOnlySpan<char> first, ReadOnlySpan<char> second, bool linkingS)
    {
        var length = first.Length + second.Length + (linkingS ? 1 : 0);
        if (length > 64)
        {
            return false;
        }

        Span<char> joined = stackalloc char[length];
        first.CopyTo(joined);
        if (linkingS)
        {
            joined[first.Length] = 's';
        }

        second.CopyTo(joined[(length - second.Length)..]);
        return Contains(joined);
    }

    /// <summary>Reads a list of words, one per line (blank lines ignored).</summary>
    public static DutchWords Load(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var hashes = new List<ulong>(400_000);
        while (reader.ReadLine() is { } line)
        {
            var word = line.AsSpan().Trim();
            if (word.Length > 0)
            {
                hashes.Add(Hash(word));
            }
        }

        var sorted = hashes.ToArray();
        Array.Sort(sorted);
        var distinct = sorted.Length == 0 ? 0 : 1;
        for (var i = 1; i < sorted.Length; i++)
        {
            if (sorted[i] != sorted[distinct - 1])
            {
                sorted[distinct++] = sorted[i];
            }
        }

        return new DutchWords(sorted[..distinct]);
    }

    private static StreamReader OpenEmbedded()
    {
        var stream = typeof(DutchWords).Assembly.GetManifestResourceStream("Handbook.Search.Dutch.words.txt.gz")
            ?? throw new InvalidOperationException("The Dutch word list is not embedded in the assembly (Handbook.csproj).");
        return new StreamReader(new GZipStream(stream, CompressionMode.Decompress), Encoding.UTF8);
    }

    /// <summary>FNV-1a over the UTF-16 code units, 64 bits.</summary>
    private static ulong Hash(ReadOnlySpan<char> word)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in word)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }
}
