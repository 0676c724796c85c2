using System.Collections.Concurrent;
using System.Net;
using Handbook.Notifications.Mail;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Handbook.Tests.Notifications;

/// <summary>The mail layer against a real SMTP server (aiosmtpd on loopback), with the app's own services.</summary>
public sealed class MailOutboxTests : IDisposable
{
    private const string Password = "Geheim-Wachtwoord-42";
    private static readonly TimeSpan MailTimeout = TimeSpan.FromSeconds(15);
    private readonly string _data = Directory.CreateTempSubdirectory("handbook-mail-").FullName;

    [Fact]
    public async Task Enqueue_WhenServerIsUp_DeliversTextAndHtmlToTheRecipient()
    {
        using var server = await SmtpServer.StartAsync();
        await using var host = await MailHost.StartAsync(_data, Smtp(server.Port));

        Assert.True(host.Outbox.Enabled);
        Assert.True(host.Outbox.Enqueue(new OutgoingMail("ma@stad.example", "Marie Peeters", "Gewijzigd: Leefloon", "Tekst van de wijziging: één, geëist.")));
        Assert.True(host.Outbox.Enqueue(new OutgoingMail("jan@stad.example", null, "Nieuwe vraag", "Platte tekst", "<p>Een <strong>vraag</strong></p>")));

        var mails = await server.WaitForMailAsync(2, MailTimeout);
        Assert.Equal(2, mails.Count);
        var text = mails.Single(m => m.Subject == "Gewijzigd: Leefloon");
        var to = Assert.IsType<MailboxAddress>(Assert.Single(text.To));
        Assert.Equal(("Marie Peeters", "ma@stad.example"), (to.Name, to.Address));
        Assert.Equal("handboek@stad.example", Assert.IsType<MailboxAddress>(Assert.Single(text.From)).Address);
        Assert.Equal("Tekst van de wijziging: één, geëist.", text.TextBody?.TrimEnd());
        Assert.Null(text.HtmlBody);
        Assert.Equal("auto-generated", text.Headers["Auto-Submitted"]);

        var html = mails.Single(m => m.Subject == "Nieuwe vraag");
        Assert.Equal("jan@stad.example", Assert.IsType<MailboxAddress>(Assert.Single(html.To)).Address);
        Assert.Equal("Platte tekst", html.TextBody?.TrimEnd());
        Assert.Contains("<strong>vraag</strong>", html.HtmlBody, StringComparison.Ordinal);

        await TestGit.Eventually(() => host.Outbox.Status is { Pending: 0, LastSentAt: not null }, 5);
        Assert.Null(host.Outbox.Status.LastError);
    }

    [Fact]
    public async Task Enqueue_WithoutSmtp_ReturnsFalseAndSendsNothing()
    {
        using var server = await SmtpServer.StartAsync();
        // Everything but the host: not configured, so no mail may go anywhere.
        var settings = Smtp(server.Port);
        settings.Remove("Handbook:Smtp:Host");
        await using var host = await MailHost.StartAsync(_data, settings);

        Assert.False(host.Outbox.Enabled);
        Assert.False(host.Outbox.Enqueue(new OutgoingMail("ma@stad.example", null, "Onderwerp", "Tekst")));
        Assert.Equal(new MailStatus(false, 0, 0, null, null, null), host.Outbox.Status);
        Assert.Empty(await server.WaitForMailAsync(1, TimeSpan.FromSeconds(1)));
        Assert.False(File.Exists(Path.Combine(_data, "outbox.db")));
    }

    [Fact]
    public async Task Enqueue_WhenServerIsDown_RetriesAndDeliversOnceItIsUp()
    {
        var port = SmtpServer.FreePort();
        await using var host = await MailHost.StartAsync(_data, Smtp(port));

        Assert.True(host.Outbox.Enqueue(new OutgoingMail("ma@stad.example", null, "Na de storing", "Tekst")));
        await TestGit.Eventually(() => host.Outbox.Status is { Pending: 1, LastError: not null }, 10);

        using var server = await SmtpServer.StartAsync(port);
        var mail = Assert.Single(await server.WaitForMailAsync(1, MailTimeout));
        Assert.Equal("Na de storing", mail.Subject);
        await TestGit.Eventually(() => host.Outbox.Status is { Pending: 0, Failed: 0, LastSentAt: not null }, 5);
    }

    [Fact]
    public async Task Send_AfterMaxAttempts_CountsFailedAndKeepsTheErrorWithoutThePassword()
    {
        // aiosmtpd offers no authentication, so each try fails after the password was handed to MailKit.
        using var server = await SmtpServer.StartAsync();
        var settings = Smtp(server.Port);
        settings["Handbook:Smtp:Username"] = "handboek";
        settings["Handbook:Smtp:Password"] = Password;
        settings["Handbook:Smtp:MaxAttempts"] = "2";
        await using var host = await MailHost.StartAsync(_data, settings);

        Assert.True(host.Outbox.Enqueue(new OutgoingMail("ma@stad.example", null, "Gaat niet", "Tekst")));
        await TestGit.Eventually(() => host.Outbox.Status.Failed == 1, 10);

        var status = host.Outbox.Status;
        Assert.Equal(0, status.Pending);
        Assert.Null(status.LastSentAt);
        Assert.NotNull(status.LastErrorAt);
        Assert.Contains("authentication", status.LastError, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Password, status.LastError, StringComparison.Ordinal);
        Assert.Contains(host.Log, line => line.Contains("given up after 2 tries", StringComparison.Ordinal));
        Assert.DoesNotContain(host.Log, line => line.Contains(Password, StringComparison.Ordinal));
        Assert.Empty(await server.WaitForMailAsync(1, TimeSpan.Zero));
    }

    [Fact]
    public async Task Enqueue_SurvivesARestart_AndIsDeliveredAfterIt()
    {
        var port = SmtpServer.FreePort();
        await using (var before = await MailHost.StartAsync(_data, Smtp(port)))
        {
            Assert.True(before.Outbox.Enqueue(new OutgoingMail("ma@stad.example", "Marie", "Bewaard", "Over een herstart heen")));
            await TestGit.Eventually(() => before.Outbox.Status is { Pending: 1, LastError: not null }, 10);
        }

        using var server = await SmtpServer.StartAsync(port);
        await using var after = await MailHost.StartAsync(_data, Smtp(port));
        Assert.Equal(1, after.Outbox.Status.Pending);
        var mail = Assert.Single(await server.WaitForMailAsync(1, MailTimeout));
        Assert.Equal(("Bewaard", "Over een herstart heen"), (mail.Subject, mail.TextBody?.TrimEnd()));
        await TestGit.Eventually(() => after.Outbox.Status.Pending == 0, 5);
    }

    [Theory]
    [InlineData("Security", "StartTLS2", "Handbook:Smtp:Security")]
    [InlineData("From", "Handboek zonder adres", "Handbook:Smtp:From")]
    [InlineData("Port", "0", "Handbook:Smtp:Port")]
    public async Task Start_WithBadSetting_StopsWithAMessageNamingIt(string key, string value, string expected)
    {
        var settings = Smtp(25);
        settings["Handbook:Smtp:" + key] = value;
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => MailHost.StartAsync(_data, settings));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Backoff_DoublesFromTheBaseUpToAnHour()
    {
        var waits = Enumerable.Range(1, 10).Select(a => MailSender.Backoff(a, TimeSpan.FromSeconds(30)).TotalSeconds).ToArray();
        Assert.Equal([30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600], waits);
    }

    [Fact]
    public async Task StatusPage_ShowsTheStatusToAnAdministrator_WithoutCredentials_AndIsRefusedToAWorker()
    {
        var port = SmtpServer.FreePort();
        using var app = new HandbookFactory();
        foreach (var (key, value) in Smtp(port))
        {
            app.Settings[key] = value!;
        }

        app.Settings["Handbook:Smtp:Username"] = "mailaccount-7f3";
        app.Settings["Handbook:Smtp:Password"] = Password;
        using var manager = await app.SignedInClientAsync("manager");
        var outbox = app.Services.GetRequiredService<MailOutbox>();
        Assert.True(outbox.Enqueue(new OutgoingMail("ma@stad.example", null, "Onderwerp", "Tekst")));
        await TestGit.Eventually(() => outbox.Status.LastError is not null, 10);

        var html = await manager.GetStringAsync(new Uri("/beheer/e-mail", UriKind.Relative));
        Assert.Contains("E-mail voor meldingen", html, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{port}", html, StringComparison.Ordinal);
        Assert.Contains("handboek@stad.example", html, StringComparison.Ordinal);
        Assert.Contains("data-mail-pending=\"1\"", html, StringComparison.Ordinal);
        Assert.Contains("Laatste fout", html, StringComparison.Ordinal);
        Assert.Contains(WebUtility.HtmlEncode(outbox.Status.LastError!), html, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, html, StringComparison.Ordinal);
        Assert.DoesNotContain("mailaccount-7f3", html, StringComparison.Ordinal);

        using var worker = await app.SignedInClientAsync("ma");
        var refused = await worker.GetAsync(new Uri("/beheer/e-mail", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith("/geen-toegang", refused.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>An SMTP server on loopback without TLS; retries after 1 s so the tests wait seconds, not minutes.</summary>
    private static Dictionary<string, string?> Smtp(int port) => new()
    {
        ["Handbook:Smtp:Host"] = "127.0.0.1",
        ["Handbook:Smtp:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Handbook:Smtp:From"] = "Handboek <handboek@stad.example>",
        ["Handbook:Smtp:Security"] = "None",
        ["Handbook:Smtp:RetrySeconds"] = "1",
    };

    /// <summary>The app's mail services (<see cref="MailExtensions"/>) in a host of their own, on a given data folder, with their log kept.</summary>
    private sealed class MailHost : IAsyncDisposable
    {
        private readonly IHost _host;

        private MailHost(IHost host, ConcurrentQueue<string> log)
        {
            _host = host;
            Log = log;
        }

        public MailOutbox Outbox => _host.Services.GetRequiredService<MailOutbox>();

        public ConcurrentQueue<string> Log { get; }

        public static async Task<MailHost> StartAsync(string data, Dictionary<string, string?> settings)
        {
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Configuration["Handbook:DataPath"] = data;
            builder.Services.AddOptions<HandbookOptions>().Bind(builder.Configuration.GetSection(HandbookOptions.Section));
            var log = new ConcurrentQueue<string>();
            builder.Logging.SetMinimumLevel(LogLevel.Debug).AddProvider(new KeptLog(log));
            builder.Services.AddHandbookMail(builder.Configuration);
            var host = builder.Build();
            try
            {
                await host.StartAsync();
            }
            catch
            {
                host.Dispose();
                throw;
            }

            return new MailHost(host, log);
        }

        public async ValueTask DisposeAsync()
        {
            await _host.StopAsync();
            _host.Dispose();
        }
    }

    /// <summary>Every log line, formatted as a log file would have it, exception included.</summary>
    private sealed class KeptLog(ConcurrentQueue<string> lines) : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel}: {formatter(state, exception)} {exception}");

        public void Dispose()
        {
        }
    }
}
