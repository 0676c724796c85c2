using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Handbook.Tests;

/// <summary>
/// A real git server on loopback: git's own smart-HTTP server (<c>git http-backend</c>, run as a CGI program per
/// request, as Apache or nginx + fcgiwrap would) behind HTTP Basic authentication. It serves the bare repositories
/// under <see cref="Root"/>; it can be stopped and started again on the same port to play an unreachable server.
/// </summary>
public sealed class GitHttpServer : IAsyncDisposable
{
    private WebApplication? _app;

    private GitHttpServer(string root, string username, string password)
    {
        Root = root;
        Username = username;
        Password = password;
    }

    public string Root { get; }

    public string Username { get; }

    public string Password { get; }

    public int Port { get; private set; }

    /// <summary>Requests refused for bad or missing credentials.</summary>
    public int Refused => _refused;

    private int _refused;

    /// <summary>The URL of a repository under <see cref="Root"/>, without credentials.</summary>
    public string Url(string repository) => $"http://127.0.0.1:{Port}/{repository}";

    /// <summary>The URL with the credentials in it, as a power user's git CLI would use.</summary>
    public string UrlWithCredentials(string repository) =>
        $"http://{Uri.EscapeDataString(Username)}:{Uri.EscapeDataString(Password)}@127.0.0.1:{Port}/{repository}";

    public static async Task<GitHttpServer> StartAsync(string root, string username, string password)
    {
        var server = new GitHttpServer(root, username, password);
        await server.StartAsync().ConfigureAwait(false);
        return server;
    }

    /// <summary>Starts (again) on the same port as before, or a free one the first time.</summary>
    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, Port));
        var app = builder.Build();
        app.Run(ServeAsync);
        await app.StartAsync().ConfigureAwait(false);
        var addresses = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features
            .Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!;
        Port = new Uri(addresses.Addresses.First()).Port;
        _app = app;
    }

    /// <summary>Stops listening: clients get "connection refused" until <see cref="StartAsync()"/>.</summary>
    public async Task StopAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.StopAsync().ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    private async Task ServeAsync(HttpContext context)
    {
        if (!Authorised(context.Request.Headers.Authorization.ToString()))
        {
            Interlocked.Increment(ref _refused);
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"handbook-git\"";
            return;
        }

        var start = new ProcessStartInfo("git", "http-backend")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        var request = context.Request;
        start.Environment["GIT_PROJECT_ROOT"] = Root;
        start.Environment["GIT_HTTP_EXPORT_ALL"] = "1";
        start.Environment["GATEWAY_INTERFACE"] = "CGI/1.1";
        start.Environment["REQUEST_METHOD"] = request.Method;
        start.Environment["PATH_INFO"] = request.Path.Value;
        start.Environment["QUERY_STRING"] = request.QueryString.HasValue ? request.QueryString.Value![1..] : "";
        start.Environment["CONTENT_TYPE"] = request.ContentType ?? "";
        start.Environment["REMOTE_USER"] = Username; // enables receive-pack (push) for the authenticated user
        start.Environment["REMOTE_ADDR"] = "127.0.0.1";
        if (request.Headers.ContentEncoding.ToString() is { Length: > 0 } encoding)
        {
            start.Environment["HTTP_CONTENT_ENCODING"] = encoding;
        }

        if (request.Headers["Git-Protocol"].ToString() is { Length: > 0 } protocol)
        {
            start.Environment["GIT_PROTOCOL"] = protocol;
        }

        using var git = Process.Start(start)!;
        var errors = git.StandardError.ReadToEndAsync();
        var body = CopyBodyAsync(request.Body, git.StandardInput.BaseStream);
        var output = git.StandardOutput.BaseStream;

        // CGI answer: header lines up to an empty line, then the body.
        var line = new List<byte>();
        while (true)
        {
            var b = output.ReadByte();
            if (b < 0)
            {
                break;
            }

            if (b != '\n')
            {
                line.Add((byte)b);
                continue;
            }

            var text = Encoding.ASCII.GetString([.. line]).TrimEnd('\r');
            line.Clear();
            if (text.Length == 0)
            {
                break;
            }

            var colon = text.IndexOf(':', StringComparison.Ordinal);
            var (name, value) = (text[..colon], text[(colon + 1)..].Trim());
            if (name.Equals("Status", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.StatusCode = int.Parse(value.AsSpan(0, 3), System.Globalization.CultureInfo.InvariantCulture);
            }
            else
            {
                context.Response.Headers.Append(name, value);
            }
        }

        await output.CopyToAsync(context.Response.Body).ConfigureAwait(false);
        await body.ConfigureAwait(false);
        await git.WaitForExitAsync().ConfigureAwait(false);
        if (git.ExitCode != 0 && !context.Response.HasStarted)
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            await context.Response.WriteAsync(await errors.ConfigureAwait(false)).ConfigureAwait(false);
        }
    }

    private static async Task CopyBodyAsync(Stream from, Stream to)
    {
        try
        {
            await from.CopyToAsync(to).ConfigureAwait(false);
        }
        finally
        {
            await to.DisposeAsync().ConfigureAwait(false);
        }
    }

    private bool Authorised(string authorization)
    {
        if (!authorization.StartsWith("Basic ", StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..]));
            return pair == Username + ":" + Password;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
