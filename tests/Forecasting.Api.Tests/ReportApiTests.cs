using System.Net;
using Forecasting.Api.Tests.Support;

namespace Forecasting.Api.Tests;

[Collection(SeededCollection.Name)]
public sealed class ReportApiTests(SeededService seeded)
{
    private DateTimeOffset Now => seeded.Forecast.GeneratedAt.AddMinutes(20);

    [Fact]
    public async Task ServesTheLatestReport()
    {
        await using var host = await ApiHost.StartAsync(seeded, Now);

        using var response = await host.Client.GetAsync("/api/v1/reports/latest");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("seeded report", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutAReportItIsA404Problem()
    {
        await using var host = await ApiHost.StartAsync(seeded, Now, reports: Path.Combine(seeded.Root, "no-report"));

        await Json.ProblemAsync(await host.Client.GetAsync("/api/v1/reports/latest"), HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("forecast-all-all")]
    [InlineData("forecast-tutor-deepseek-v3.2")]
    public async Task ServesChartsByName(string name)
    {
        await using var host = await ApiHost.StartAsync(seeded, Now);

        using var response = await host.Client.GetAsync($"/api/v1/charts/{name}.png");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(SeededService.Png, await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("..%2fsecret.png")]
    [InlineData("..%2f..%2fsecret.png")]
    [InlineData("..%5c..%5csecret.png")]
    [InlineData("%2e%2e%2fsecret.png")]
    [InlineData("Forecast-All-All.png")]
    public async Task NamesThatCouldLeaveTheChartsFolderAreRejected(string path)
    {
        await using var host = await ApiHost.StartAsync(seeded, Now);

        using var response = await host.Client.GetAsync(new Uri("/api/v1/charts/" + path, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("SECRET", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AChartThatIsASymlinkIsNotFollowed()
    {
        var reports = Path.Combine(seeded.Root, "report-with-links");
        Directory.CreateDirectory(Path.Combine(reports, "charts"));
        await File.WriteAllBytesAsync(Path.Combine(reports, "charts", "forecast-all-all.png"), SeededService.Png);
        File.CreateSymbolicLink(Path.Combine(reports, "charts", "forecast-leak.png"), Path.Combine(seeded.Root, "secret.png"));
        await using var host = await ApiHost.StartAsync(seeded, Now, reports: reports);

        using var real = await host.Client.GetAsync("/api/v1/charts/forecast-all-all.png");
        using var link = await host.Client.GetAsync("/api/v1/charts/forecast-leak.png");

        Assert.Equal(HttpStatusCode.OK, real.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, link.StatusCode);
        Assert.DoesNotContain("SECRET", await link.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingChartIsA404Problem()
    {
        await using var host = await ApiHost.StartAsync(seeded, Now);

        await Json.ProblemAsync(await host.Client.GetAsync("/api/v1/charts/forecast-nobody.png"), HttpStatusCode.NotFound);
    }
}
