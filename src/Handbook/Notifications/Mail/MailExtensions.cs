using Microsoft.Extensions.Options;

namespace Handbook.Notifications.Mail;

public static class MailExtensions
{
    /// <summary>E-mail for notifications: <see cref="SmtpOptions"/> (checked at start), the <see cref="MailOutbox"/> and its <see cref="MailSender"/>.</summary>
    public static void AddHandbookMail(this WebApplicationBuilder builder) => builder.Services.AddHandbookMail(builder.Configuration);

    internal static IServiceCollection AddHandbookMail(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SmtpOptions>().Bind(configuration.GetSection(SmtpOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SmtpOptions>, SmtpOptionsValidator>();
        services.AddSingleton<MailOutbox>();
        services.AddHostedService<MailSender>();
        return services;
    }
}
