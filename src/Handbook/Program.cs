using Handbook;
using Handbook.Components;
using Handbook.Diagnostics;
using Handbook.Editing;
using Handbook.GitStore;
using Handbook.History;
using Handbook.Identity;
using Handbook.Notifications;
using Handbook.Notifications.Mail;
using Handbook.Offline;
using Handbook.Pages;
using Handbook.Partners;
using Handbook.Search;

// dotnet Handbook.dll backup <file> | restore <file> [--Handbook:DataPath …]: the repository as a verified git bundle.
if (args is [("backup" or "restore") and var command, var file, ..])
{
    return BackupCommand.Run(command, file, args[2..]);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddHandbookHosts();
builder.AddHandbookTelemetry();
builder.AddHandbookStore();
builder.AddHandbookPages();
builder.AddHandbookIdentity();
builder.AddHandbookSearch();
builder.AddHandbookUploads();
builder.AddHandbookOffline();
builder.AddHandbookPartners();
builder.AddHandbookMail();
builder.AddHandbookNotifications();

var app = builder.Build();
// Open (and on first start, create and seed) the repository before the first request.
app.Services.GetRequiredService<PageStore>();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/error", createScopeForErrors: true);
}

app.UseInstanceAffinity();
app.UseSecurityHeaders();
app.UseSameOriginCircuit();
app.UseHandbookLocalization();
app.UseHandbookIdentity();
app.UseRateLimiter();
app.UseAntiforgery();

app.MapStaticAssets().AllowAnonymous();
app.MapHandbookHealth();
app.MapDevelopmentMemoryEndpoint();
app.MapHandbookSearch();
app.MapHandbookIdentity();
app.MapPageEndpoints();
app.MapChangeFeed();
app.MapEditingEndpoints();
app.MapHandbookOffline();
app.MapPartnerEndpoints();
app.MapHandbookNotifications();
app.MapRazorComponents<App>()
    // Our own CSP already says frame-ancestors 'none'; a second header would only be more lenient.
    .AddInteractiveServerRenderMode(o => o.ContentSecurityFrameAncestorsPolicy = null);

app.Run();
return 0;
