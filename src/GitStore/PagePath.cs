using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Handbook.GitStore;

/// <summary>Why a string is not a valid page path.</summary>
public enum PagePathError
{
    /// <summary>No error.</summary>
    None,
    /// <summary>The path is empty or only white space.</summary>
    Empty,
    /// <summary>The path is longer than <see cref="PagePath.MaxLength"/> characters.</summary>
    TooLong,
    /// <summary>The path starts with a slash or a drive letter.</summary>
    Absolute,
    /// <summary>The path contains a backslash.</summary>
    Backslash,
    /// <summary>A segment is <c>..</c> or <c>.</c>.</summary>
    ParentSegment,
    /// <summary>A segment is or contains <c>.git</c>.</summary>
    GitDirectory,
    /// <summary>The path contains a control character.</summary>
    ControlCharacter,
    /// <summary>Two slashes in a row, or a trailing slash.</summary>
    EmptySegment,
    /// <summary>A segment is a name Windows reserves (CON, NUL, COM1, …).</summary>
    ReservedName,
    /// <summary>The path has capital letters.</summary>
    UpperCase,
    /// <summary>A segment has a character other than lower-case letters, digits, '-' and '_'.</summary>
    InvalidCharacter,
    /// <summary>A segment starts or ends with '-' or '_'.</summary>
    BadSegmentEdge,
}

/// <summary>
/// The name of a page: lower-case slugs separated by '/', Unicode NFC, e.g. <c>procedures/leefloon-aanvragen</c>,
/// stored as the file <c>procedures/leefloon-aanvragen.md</c>. A value of this type can never point outside the
/// repository: every way to escape (<c>..</c>, absolute paths, backslashes, <c>.git</c>, control characters)
/// is refused when it is created.
/// </summary>
public readonly record struct PagePath : IComparable<PagePath>
{
    /// <summary>The longest accepted path, in characters.</summary>
    public const int MaxLength = 200;

    /// <summary>The extension of page files in the repository.</summary>
    public const string Extension = ".md";

    private static readonly HashSet<string> WindowsReserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "con", "prn", "aux", "nul",
        "com0", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9",
        "lpt0", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
    };

    private PagePath(string value) => _value = value;

    /// <summary>The path without extension, e.g. <c>procedures/leefloon-aanvragen</c>.</summary>
    public string Value => _value ?? "";

    private readonly string? _value;

    /// <summary>The file in the repository, e.g. <c>procedures/leefloon-aanvragen.md</c>.</summary>
    public string FileName => Value + Extension;

    /// <summary>The last segment, e.g. <c>leefloon-aanvragen</c>.</summary>
    public string Name => Value[(Value.LastIndexOf('/') + 1)..];

    /// <summary>The folder part, e.g. <c>procedures</c>; empty for a page at the root.</summary>
    public string Folder => Value.LastIndexOf('/') is var i and >= 0 ? Value[..i] : "";

    /// <summary>The first segment: the section the page belongs to (the page itself for a root page).</summary>
    public string Section => Value.IndexOf('/') is var i and >= 0 ? Value[..i] : Value;

    /// <summary>The folders above this page, outermost first (for breadcrumbs).</summary>
    public IEnumerable<PagePath> Ancestors()
    {
        for (var i = Value.IndexOf('/'); i >= 0; i = Value.IndexOf('/', i + 1))
        {
            yield return new PagePath(Value[..i]);
        }
    }

    /// <summary>Validates <paramref name="input"/> and creates a path, or says why it cannot.</summary>
    public static bool TryParse([NotNullWhen(true)] string? input, out PagePath path, out PagePathError error)
    {
        path = default;
        error = Validate(input, out var normalized);
        if (error != PagePathError.None)
        {
            return false;
        }

        path = new PagePath(normalized!);
        return true;
    }

    /// <summary>Validates <paramref name="input"/> and creates a path; throws <see cref="ArgumentException"/> if invalid.</summary>
    public static PagePath Parse(string input) =>
        TryParse(input, out var path, out var error)
            ? path
            : throw new ArgumentException($"'{input}' is not a valid page path: {Describe(error)}", nameof(input));

    /// <summary>The page for a repository file name such as <c>a/b.md</c>; false for anything that is not a page.</summary>
    public static bool TryFromFileName(string fileName, out PagePath path)
    {
        path = default;
        return fileName.EndsWith(Extension, StringComparison.Ordinal)
               && TryParse(fileName[..^Extension.Length], out path, out _);
    }

    /// <summary>An English description of <paramref name="error"/> (the web app shows a translated one).</summary>
    public static string Describe(PagePathError error) => error switch
    {
        PagePathError.None => "valid",
        PagePathError.Empty => "the name is empty",
        PagePathError.TooLong => $"the name is longer than {MaxLength} characters",
        PagePathError.Absolute => "the name may not start with '/' or a drive letter",
        PagePathError.Backslash => "the name may not contain '\\'",
        PagePathError.ParentSegment => "the name may not contain '.' or '..' as a part",
        PagePathError.GitDirectory => "the name may not contain '.git'",
        PagePathError.ControlCharacter => "the name may not contain control characters",
        PagePathError.EmptySegment => "the name may not contain '//' or end with '/'",
        PagePathError.ReservedName => "a part of the name is reserved by Windows (CON, NUL, COM1, ...)",
        PagePathError.UpperCase => "the name must be in lower case",
        PagePathError.InvalidCharacter => "use only lower-case letters, digits, '-' and '_' between the '/'",
        PagePathError.BadSegmentEdge => "a part of the name may not start or end with '-' or '_'",
        _ => error.ToString(),
    };

    /// <summary>
    /// Makes a slug from a title: lower case, accents kept (NFC), spaces and punctuation become '-'.
    /// "Leefloon aanvragen (stappen)" becomes "leefloon-aanvragen-stappen".
    /// </summary>
    public static string Slugify(string title)
    {
        var sb = new StringBuilder(title.Length);
        var pendingDash = false;
        foreach (var c in title.Normalize(NormalizationForm.FormC).ToLower(CultureInfo.InvariantCulture))
        {
            if (char.IsLetterOrDigit(c))
            {
                if (pendingDash && sb.Length > 0)
                {
                    sb.Append('-');
                }

                sb.Append(c);
                pendingDash = false;
            }
            else
            {
                pendingDash = true;
            }
        }

        var slug = sb.ToString();
        return slug.Length > 80 ? slug[..80].TrimEnd('-') : slug;
    }

    /// <inheritdoc />
    public int CompareTo(PagePath other) => string.CompareOrdinal(Value, other.Value);

    /// <inheritdoc />
    public override string ToString() => Value;

    private static PagePathError Validate(string? input, out string? normalized)
    {
        normalized = null;
        if (string.IsNullOrWhiteSpace(input))
        {
            return PagePathError.Empty;
        }

        foreach (var c in input)
        {
            if (char.IsControl(c) || c is '\u2028' or '\u2029')
            {
                return PagePathError.ControlCharacter;
            }
        }

        if (input.Contains('\\', StringComparison.Ordinal))
        {
            return PagePathError.Backslash;
        }

        if (input[0] == '/' || input[0] == '~' || (input.Length >= 2 && input[1] == ':'))
        {
            return PagePathError.Absolute;
        }

        string text;
        try
        {
            text = input.Normalize(NormalizationForm.FormC);
        }
        catch (ArgumentException)
        {
            // Lone surrogates cannot be normalised.
            return PagePathError.InvalidCharacter;
        }

        if (text.Length > MaxLength)
        {
            return PagePathError.TooLong;
        }

        foreach (var segment in text.Split('/'))
        {
            var error = ValidateSegment(segment);
            if (error != PagePathError.None)
            {
                return error;
            }
        }

        normalized = text;
        return PagePathError.None;
    }

    internal static PagePathError ValidateSegment(string segment)
    {
        if (segment.Length == 0)
        {
            return PagePathError.EmptySegment;
        }

        if (segment is "." or "..")
        {
            return PagePathError.ParentSegment;
        }

        if (segment.Contains(".git", StringComparison.OrdinalIgnoreCase))
        {
            return PagePathError.GitDirectory;
        }

        if (WindowsReserved.Contains(segment))
        {
            return PagePathError.ReservedName;
        }

        foreach (var c in segment)
        {
            if (char.IsUpper(c))
            {
                return PagePathError.UpperCase;
            }

            if (!(char.IsLetterOrDigit(c) || c is '-' or '_') || char.IsSurrogate(c))
            {
                return PagePathError.InvalidCharacter;
            }
        }

        if (segment[0] is '-' or '_' || segment[^1] is '-' or '_')
        {
            return PagePathError.BadSegmentEdge;
        }

        return PagePathError.None;
    }
}
