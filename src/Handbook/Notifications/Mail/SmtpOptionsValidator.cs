using Microsoft.Extensions.Options;

namespace Handbook.Notifications.Mail;

/// <summary>Start-up checks of <see cref="SmtpOptions"/>: a typo in the sender or the security mode stops the app with a clear message instead of failing each mail later.</summary>
internal sealed class SmtpOptionsValidator : IValidateOptions<SmtpOptions>
{
    public ValidateOptionsResult Validate(string? name, SmtpOptions options)
    {
        var errors = new List<string>();
        if (!SmtpOptions.SecurityModes.ContainsKey(options.Security ?? ""))
        {
            errors.Add($"Handbook:Smtp:Security is '{options.Security}'; use one of {string.Join(", ", SmtpOptions.SecurityModes.Keys)}.");
        }

        if (!string.IsNullOrWhiteSpace(options.From) && !SmtpOptions.TryParseMailbox(options.From, out _))
        {
            errors.Add($"Handbook:Smtp:From is '{options.From}', which is not one address; use 'handbook@example.org' or 'Handbook <handbook@example.org>'.");
        }

        if (!string.IsNullOrWhiteSpace(options.Host) && string.IsNullOrWhiteSpace(options.From))
        {
            errors.Add("Handbook:Smtp:Host is set but Handbook:Smtp:From is not; mail needs a sender address.");
        }

        if (options.Port is < 1 or > 65535)
        {
            errors.Add($"Handbook:Smtp:Port is {options.Port}; use a port from 1 to 65535 (587 for STARTTLS, 465 for SslOnConnect).");
        }

        if (!(options.RetrySeconds > 0 && options.RetrySeconds <= 3600))
        {
            errors.Add($"Handbook:Smtp:RetrySeconds is {options.RetrySeconds}; use a number of seconds above 0, at most 3600.");
        }

        if (options.MaxAttempts < 1)
        {
            errors.Add($"Handbook:Smtp:MaxAttempts is {options.MaxAttempts}; use 1 or more.");
        }

        if (!string.IsNullOrEmpty(options.Password) && string.IsNullOrWhiteSpace(options.Username))
        {
            errors.Add("Handbook:Smtp:Password is set without Handbook:Smtp:Username.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
