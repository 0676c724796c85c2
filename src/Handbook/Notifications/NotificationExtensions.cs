using Handbook.Identity;
using Handbook.Questions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Handbook.Notifications;

/// <summary>Questions on pages, following, the bell and its mails.</summary>
public static class NotificationExtensions
{
    public static void AddHandbookNotifications(this WebApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<QuestionBoard>();
        builder.Services.AddSingleton<NotificationStore>();
        builder.Services.AddSingleton<NotificationCenter>();
        builder.Services.AddSingleton<NotificationMail>();
        builder.Services.AddSingleton<NotificationFanout>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<NotificationFanout>());
        builder.Services.AddSingleton<NotificationDigests>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<NotificationDigests>());
    }

    /// <summary>Opening a notification (marks it read), marking all read, following and unfollowing: the worker's own state only.</summary>
    public static void MapHandbookNotifications(this WebApplication app)
    {
        app.MapGet("/meldingen/{id:long}", (long id, HttpContext context, NotificationStore notifications) =>
        {
            var email = CurrentUser.Email(context.User);
            if (notifications.Find(email, id) is not { } notification)
            {
                return Results.NotFound();
            }

            notifications.MarkRead(email, id);
            return Results.LocalRedirect(NotificationMail.Link(notification));
        });

        // Forms posted with [FromForm] are checked for their antiforgery token by the middleware.
        app.MapPost("/meldingen/gelezen", (HttpContext context, NotificationStore notifications, [FromForm] string? returnUrl) =>
        {
            notifications.MarkAllRead(CurrentUser.Email(context.User));
            return Results.LocalRedirect(IdentityExtensions.SafeReturnUrl(returnUrl ?? "/meldingen"));
        });

        app.MapPost("/volgen", (HttpContext context, NotificationCenter center, [FromForm] string? target, [FromForm] string? action,
            [FromForm] string? returnUrl) =>
            center.SetFollowing(context.User, target, action == "follow")
                ? Results.LocalRedirect(IdentityExtensions.SafeReturnUrl(returnUrl))
                : Results.BadRequest());
    }
}
