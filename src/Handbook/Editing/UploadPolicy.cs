namespace Handbook.Editing;

/// <summary>
/// Which uploads are accepted: the type is decided by the file's first bytes, not its name; SVG (which can carry
/// script) and everything unknown is refused with a clear reason.
/// </summary>
public static class UploadPolicy
{
    public sealed record Verdict(string? Extension, string? Refusal);

    public static Verdict Inspect(ReadOnlySpan<byte> head, string fileName)
    {
        var extension = Path.GetExtension(fileName).TrimStart('.').ToLowerInvariant();
        if (Starts(head, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return new("png", null);
        }

        if (Starts(head, [0xFF, 0xD8, 0xFF]))
        {
            return new("jpg", null);
        }

        if (Starts(head, "GIF87a"u8) || Starts(head, "GIF89a"u8))
        {
            return new("gif", null);
        }

        if (head.Length >= 12 && Starts(head, "RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8))
        {
            return new("webp", null);
        }

        if (Starts(head, "%PDF-"u8))
        {
            return new("pdf", null);
        }

        if (Starts(head, [0x50, 0x4B, 0x03, 0x04]))
        {
            // Office Open XML and OpenDocument are zip files; the name says which.
            return extension is "docx" or "xlsx" or "pptx" or "odt" or "ods" or "odp"
                ? new(extension, null)
                : new(null, "zip");
        }

        if (Starts(head, [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]))
        {
            return extension is "doc" or "xls" or "ppt" ? new(extension, null) : new(null, "unknown");
        }

        var text = System.Text.Encoding.UTF8.GetString(head).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        if (extension == "svg" || text.StartsWith("<svg", StringComparison.OrdinalIgnoreCase)
            || (text.StartsWith("<?xml", StringComparison.OrdinalIgnoreCase) && text.Contains("<svg", StringComparison.OrdinalIgnoreCase)))
        {
            return new(null, "svg");
        }

        return new(null, "unknown");
    }

    private static bool Starts(ReadOnlySpan<byte> data, ReadOnlySpan<byte> prefix) => data.Length >= prefix.Length && data[..prefix.Length].SequenceEqual(prefix);
}
