using System.Diagnostics.Metrics;
using System.Net;
using Handbook.Diagnostics;
using Handbook.Editing;
using Handbook.GitStore;
using Handbook.Tests.Questions;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace Handbook.Tests.Diagnostics;

/// <summary>What the app tells its monitoring: metrics of its own work, health probes, OTLP only when configured.</summary>
public sealed class TelemetryTests
{
    [Fact]
    public async Task ASave_IsCounted_ByOperationAndOutcome_OnTheAppsOwnMeter()
    {
        using var factory = new HandbookFactory();
        var meters = factory.Services.GetRequiredService<IMeterFactory>();
        var writes = new List<(long Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // This app's meter only: other apps of parallel tests have their own.
            if (instrument.Meter.Name == HandbookMetrics.MeterName && instrument.Meter.Scope == meters && instrument.Name == "handbook.writes")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            lock (writes)
            {
                writes.Add((value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value)));
            }
        });
        listener.Start();

        var store = factory.Services.GetRequiredService<PageStore>();
        var path = PagePath.Parse("procedures/huurwaarborg");
        var page = store.Read(path)!;
        var commands = factory.Services.GetRequiredService<PageCommands>();
        Assert.True((await commands.SaveAsync(QuestionTests.Principal("ma"), new SaveCommand(path, page.Text + "\nExtra.\n", "Extra", page.Revision, page.Text))).Succeeded);
        Assert.False((await commands.DeleteAsync(QuestionTests.Principal("ma"), PagePath.Parse("werking/beleid"), "weg")).Succeeded);

        lock (writes)
        {
            Assert.Contains(writes, w => w.Value == 1 && Equals(w.Tags["operation"], "save") && Equals(w.Tags["outcome"], "saved"));
            Assert.Contains(writes, w => w.Value == 1 && Equals(w.Tags["operation"], "delete") && Equals(w.Tags["outcome"], "refused"));
            Assert.Equal(2, writes.Count);
        }
    }

    [Fact]
    public async Task HealthProbes_AnswerWithoutSignIn_AndSayNothingButTheirState()
    {
        using var factory = new HandbookFactory();
        using var client = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        foreach (var probe in new[] { "/health/live", "/health/ready", "/health" })
        {
            var response = await client.GetAsync(new Uri(probe, UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public void OpenTelemetry_IsOnlyThere_WhenAnOtlpEndpointIsConfigured()
    {
        using (var plain = new HandbookFactory())
        {
            Assert.Null(plain.Services.GetService<MeterProvider>());
        }

        using var exporting = new HandbookFactory();
        exporting.Settings["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:4317";
        Assert.NotNull(exporting.Services.GetService<MeterProvider>());
        Assert.NotNull(exporting.Services.GetService<OpenTelemetry.Trace.TracerProvider>());
    }
}
