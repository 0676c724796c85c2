using System.Numerics;
using System.Text.RegularExpressions;

namespace Handbook.Editing;

/// <summary>What the privacy guard found, on which line.</summary>
public enum PrivacyKind
{
    NationalRegisterNumber,
    Iban,
    Email,
}

public sealed record PrivacyFinding(PrivacyKind Kind, int Line, string Text);

/// <summary>
/// The handbook must never hold client data. Before a save this points at Belgian national register numbers
/// (mod-97, also the rule for people born from 2000), Belgian IBANs (mod-97) and e-mail addresses outside the
/// organisation's domains. Checksums keep example-looking numbers that are not real from being flagged.
/// </summary>
public sealed partial class PrivacyGuard(IEnumerable<string> organisationDomains)
{
    private readonly HashSet<string> _domains = organisationDomains.Select(d => d.Trim().TrimStart('@').ToLowerInvariant()).ToHashSet();

    public IReadOnlyList<PrivacyFinding> Check(string text)
    {
        var findings = new List<PrivacyFinding>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            foreach (Match m in NationalNumberPattern().Matches(line))
            {
                if (IsNationalRegisterNumber(m.Value))
                {
                    findings.Add(new PrivacyFinding(PrivacyKind.NationalRegisterNumber, i + 1, m.Value));
                }
            }

            foreach (Match m in IbanPattern().Matches(line))
            {
                if (IsBelgianIban(m.Value))
                {
                    findings.Add(new PrivacyFinding(PrivacyKind.Iban, i + 1, m.Value));
                }
            }

            foreach (Match m in EmailPattern().Matches(line))
            {
                var domain = m.Groups["domain"].Value.ToLowerInvariant();
                if (!_domains.Any(d => domain == d || domain.EndsWith("." + d, StringComparison.Ordinal)))
                {
                    findings.Add(new PrivacyFinding(PrivacyKind.Email, i + 1, m.Value));
                }
            }
        }

        return findings;
    }

    /// <summary>11 digits (separators allowed) whose last two are 97 − (first nine mod 97), or the same with a leading 2 for births from 2000.</summary>
    public static bool IsNationalRegisterNumber(string value)
    {
        var digits = new string(value.Where(char.IsDigit).ToArray());
        if (digits.Length != 11)
        {
            return false;
        }

        var body = long.Parse(digits[..9], System.Globalization.CultureInfo.InvariantCulture);
        var check = int.Parse(digits[9..], System.Globalization.CultureInfo.InvariantCulture);
        return 97 - (body % 97) == check || 97 - ((2_000_000_000L + body) % 97) == check;
    }

    /// <summary>BE + 2 check digits + 12 digits, valid by the ISO 13616 mod-97 rule.</summary>
    public static bool IsBelgianIban(string value)
    {
        var compact = new string(value.Where(c => !char.IsWhiteSpace(c)).ToArray()).ToUpperInvariant();
        if (compact.Length != 16 || !compact.StartsWith("BE", StringComparison.Ordinal) || !compact[2..].All(char.IsDigit))
        {
            return false;
        }

        var rearranged = compact[4..] + "1114" + compact[2..4]; // B=11, E=14
        return BigInteger.Parse(rearranged, System.Globalization.CultureInfo.InvariantCulture) % 97 == 1;
    }

    [GeneratedRegex(@"(?<!\d)\d{2}[.\s]?\d{2}[.\s]?\d{2}[-.\s]?\d{3}[.\s]?\d{2}(?!\d)", RegexOptions.None, 200)]
    private static partial Regex NationalNumberPattern();

    [GeneratedRegex(@"\bBE\s?\d{2}(?:\s?\d{4}){3}\b", RegexOptions.IgnoreCase, 200)]
    private static partial Regex IbanPattern();

    [GeneratedRegex(@"[A-Za-z0-9._%+-]+@(?<domain>[A-Za-z0-9.-]+\.[A-Za-z]{2,})", RegexOptions.None, 200)]
    private static partial Regex EmailPattern();
}
