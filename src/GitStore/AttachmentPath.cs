using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Handbook.GitStore;

/// <summary>
/// The path of an attachment (image, PDF, …) stored beside the pages, e.g. <c>procedures/leefloon-formulier.pdf</c>.
/// Folders follow the rules of <see cref="PagePath"/>; the file name is a slug with a lower-case extension
/// that is not <c>.md</c>.
/// </summary>
public readonly record struct AttachmentPath
{
    private AttachmentPath(string value) => Value = value;

    /// <summary>The repository path, e.g. <c>procedures/leefloon-formulier.pdf</c>.</summary>
    public string Value { get; }

    /// <summary>The extension without dot, in lower case.</summary>
    public string Extension => Value[(Value.LastIndexOf('.') + 1)..];

    /// <summary>The file name without folders.</summary>
    public string Name => Value[(Value.LastIndexOf('/') + 1)..];

    /// <summary>The page the file belongs to (its folder, as uploads from a page's editor are stored); null at the root.</summary>
    public PagePath? Page => Value.LastIndexOf('/') is > 0 and var slash && PagePath.TryParse(Value[..slash], out var page, out _) ? page : null;

    /// <summary>Validates an attachment path.</summary>
    public static bool TryParse([NotNullWhen(true)] string? input, out AttachmentPath path, out PagePathError error)
    {
        path = default;
        error = PagePathError.Empty;
        if (string.IsNullOrWhiteSpace(input))
        {
            return false;
        }

        var dot = input.LastIndexOf('.');
        var slash = input.LastIndexOf('/');
        if (dot <= slash + 1 || dot == input.Length - 1)
        {
            error = PagePathError.InvalidCharacter;
            return false;
        }

        // Validate everything before the extension exactly like a page path.
        if (!PagePath.TryParse(input[..dot], out var stem, out error))
        {
            return false;
        }

        var extension = input[(dot + 1)..];
        if (extension.Length > 10 || extension == "md" || !extension.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9'))
        {
            error = PagePathError.InvalidCharacter;
            return false;
        }

        path = new AttachmentPath(stem.Value + "." + extension);
        return true;
    }

    /// <summary>Makes a safe file name from an uploaded name, keeping its extension in lower case.</summary>
    public static string SlugifyFileName(string fileName)
    {
        var name = Path.GetFileName(fileName.Replace('\\', '/'));
        var dot = name.LastIndexOf('.');
        var stem = PagePath.Slugify(dot > 0 ? name[..dot] : name);
        var extension = dot > 0 ? name[(dot + 1)..].ToLower(CultureInfo.InvariantCulture) : "bin";
        var cleanExtension = new StringBuilder();
        foreach (var c in extension.Where(c => c is >= 'a' and <= 'z' or >= '0' and <= '9').Take(10))
        {
            cleanExtension.Append(c);
        }

        return (stem.Length == 0 ? "bestand" : stem) + "." + (cleanExtension.Length == 0 ? "bin" : cleanExtension.ToString());
    }

    /// <inheritdoc />
    public override string ToString() => Value ?? "";
}
