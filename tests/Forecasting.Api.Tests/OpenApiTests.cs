using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Forecasting.Api.Tests.Support;

namespace Forecasting.Api.Tests;

/// <summary>
/// <c>/openapi/v1.json</c> is good enough to generate a working client: typed numbers, the API key schemes,
/// addressable routes, every answer's status declared, real answers valid against the schemas, and redocly lint clean.
/// </summary>
[Collection(SeededCollection.Name)]
public sealed class OpenApiTests(SeededService seeded)
{
    private const string Key = "openapi-test-key";

    private DateTimeOffset Now => seeded.Forecast.GeneratedAt.AddMinutes(20);

    [Fact]
    public async Task EveryNumberIsTypedAsANumberNeverAsObjectOrString()
    {
        await using var host = await ApiHost.StartAsync(seeded, Now);
        var document = await OpenApiDocument.FetchAsync(host.Client);

        var numbers = 0;
        foreach (var (where, schema) in Schemas(document.Root, "$"))
        {
            if (schema["format"]?.GetValue<string>() is "double" or "float" or "int32" or "int64")
            {
                numbers++;
                var types = schema["type"] is JsonArray array ? array.Select(t => t!.GetValue<string>()).ToList() : [schema["type"]?.GetValue<string>() ?? "(none)"];
                Assert.True(types.All(t => t is "number" or "integer" or "null") && types.Any(t => t is "number" or "integer"), $"{where} is typed {schema["type"]?.ToJsonString()}");
                Assert.Null(schema["pattern"]);
            }
        }

        Assert.True(numbers > 20, $"only {numbers} numeric schemas: the walk missed the contracts");
        var hour = document.Root["components"]!["schemas"]!["ForecastHour"]!["properties"]!["p50"]!;
        Assert.Equal("[\"null\",\"number\"]", hour["type"]!.ToJsonString());
    }

    [Fact]
    public async Task ApiRoutesDeclareTheKeySchemesAndAnswer401AndProbesNeedNothing()
    {
        await using var host = await ApiHost.StartAsync(seeded, Now);
        var document = await OpenApiDocument.FetchAsync(host.Client);

        var schemes = document.Root["components"]!["securitySchemes"]!;
        Assert.Equal("apiKey", schemes["ApiKey"]!["type"]!.GetValue<string>());
        Assert.Equal("header", schemes["ApiKey"]!["in"]!.GetValue<string>());
        Assert.Equal("X-API-KEY", schemes["ApiKey"]!["name"]!.GetValue<string>());
        Assert.Equal("http", schemes["Bearer"]!["type"]!.GetValue<string>());
        Assert.Equal("bearer", schemes["Bearer"]!["scheme"]!.GetValue<string>());

        var protectedOperations = 0;
        foreach (var (path, item) in document.Root["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                var security = operation!["security"]?.AsArray().Select(r => string.Join(",", r!.AsObject().Select(p => p.Key))).ToList() ?? [];
                if (path.StartsWith("/api/", StringComparison.Ordinal) || path == "/health")
                {
                    protectedOperations++;
                    Assert.Equal(["ApiKey", "Bearer"], security);
                    Assert.NotNull(operation["responses"]!["401"]);
                }
                else
                {
                    Assert.Empty(security);
                    Assert.Null(operation["responses"]!["401"]);
                }
            }
        }

        Assert.True(protectedOperations >= 8, $"{protectedOperations} protected operations");
    }

    [Fact]
    public async Task TheForecastOperationTakesTheSeriesAsAQueryAndAGeneratedClientsRequestWorks()
    {
        await using var host = await ApiHost.StartAsync(seeded, Now);
        var document = await OpenApiDocument.FetchAsync(host.Client);

        var paths = document.Root["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.DoesNotContain(paths, p => p.Contains("{key}", StringComparison.Ordinal));
        var operation = document.Operation("/api/v1/forecasts", "get");
        Assert.Equal("GetForecast", operation["operationId"]!.GetValue<string>());
        var series = Assert.Single(operation["parameters"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "series")!;
        Assert.Equal("query", series["in"]!.GetValue<string>());
        Assert.True(series["required"]!.GetValue<bool>());

        // What a generated client sends: the key escaped as a query value.
        var json = await Json.ReadAsync(await host.Client.GetAsync($"/api/v1/forecasts?series={Uri.EscapeDataString(SeededService.Tutor)}"), HttpStatusCode.OK);
        Assert.Equal(SeededService.Tutor, json.GetProperty("series").GetString());
        Assert.Equal(SeededService.TutorP50(1), json.GetProperty("points")[0].GetProperty("p50").GetDouble(), 6);
    }

    [Fact]
    public async Task AutoscaleQueryNumbersAreTypedAndHealthAndRetrainDeclareTheirErrors()
    {
        await using var host = await ApiHost.StartAsync(seeded, Now);
        var document = await OpenApiDocument.FetchAsync(host.Client);

        var parameters = document.Operation("/api/v1/autoscale", "get")["parameters"]!.AsArray();
        Assert.Equal("integer", parameters.Single(p => p!["name"]!.GetValue<string>() == "lead")!["schema"]!["type"]!.GetValue<string>());
        Assert.Equal("number", parameters.Single(p => p!["name"]!.GetValue<string>() == "per_replica_tokens_per_hour")!["schema"]!["type"]!.GetValue<string>());
        Assert.NotNull(document.Operation("/health", "get")["responses"]!["503"]!["content"]!["application/json"]);
        Assert.NotNull(document.Operation("/health/ready", "get")["responses"]!["503"]);
        Assert.NotNull(document.Operation("/api/v1/retrain", "post")["responses"]!["400"]!["content"]!["application/problem+json"]);
    }

    [Fact]
    public async Task RealAnswersOfEveryRouteMatchTheDocumentsSchemas()
    {
        await using var host = await ApiHost.StartAsync(seeded, Now, apiKey: Key);
        host.Client.DefaultRequestHeaders.Add("X-API-KEY", Key);
        var document = await OpenApiDocument.FetchAsync(host.Client);
        using var anonymous = new HttpClient { BaseAddress = host.Client.BaseAddress };
        var checkedAnswers = new List<string>();

        async Task CheckAsync(string path, string method, HttpResponseMessage response, HttpStatusCode expected)
        {
            using (response)
            {
                var body = await response.Content.ReadAsStringAsync();
                Assert.True(expected == response.StatusCode, $"{method} {path}: expected {(int)expected}, got {(int)response.StatusCode}: {body}");
                var errors = document.Validate(path, method, (int)response.StatusCode, response.Content.Headers.ContentType!.MediaType!, body);
                Assert.True(errors.Count == 0, $"{method.ToUpperInvariant()} {path} {(int)response.StatusCode}:\n{string.Join("\n", errors)}\n{body[..Math.Min(body.Length, 2000)]}");
                checkedAnswers.Add($"{method} {path} {(int)response.StatusCode}");
            }
        }

        await CheckAsync("/api/v1/series", "get", await host.Client.GetAsync("/api/v1/series"), HttpStatusCode.OK);
        await CheckAsync("/api/v1/forecasts", "get", await host.Client.GetAsync($"/api/v1/forecasts?series={Uri.EscapeDataString(SeededService.Total)}"), HttpStatusCode.OK);
        await CheckAsync("/api/v1/forecasts", "get", await host.Client.GetAsync("/api/v1/forecasts?series=nobody%2Fnothing"), HttpStatusCode.NotFound);
        await CheckAsync("/api/v1/forecasts", "get", await host.Client.GetAsync("/api/v1/forecasts"), HttpStatusCode.BadRequest);
        await CheckAsync("/api/v1/autoscale", "get", await host.Client.GetAsync("/api/v1/autoscale?lead=30"), HttpStatusCode.OK);
        await CheckAsync("/api/v1/autoscale", "get", await host.Client.GetAsync("/api/v1/autoscale?lead=soon"), HttpStatusCode.BadRequest);
        await CheckAsync("/api/v1/recommendations", "get", await host.Client.GetAsync("/api/v1/recommendations"), HttpStatusCode.OK);
        await CheckAsync("/api/v1/models", "get", await host.Client.GetAsync("/api/v1/models"), HttpStatusCode.OK);
        // This host runs no scheduler (the shared seeded store is never retrained): a retrain is refused, as documented.
        await CheckAsync("/api/v1/retrain", "post", await host.Client.PostAsJsonAsync("/api/v1/retrain", new { reason = "schema test" }), HttpStatusCode.ServiceUnavailable);
        await CheckAsync("/api/v1/retrain", "post", await host.Client.PostAsJsonAsync("/api/v1/retrain", new { reason = new string('x', 501) }), HttpStatusCode.BadRequest);
        await CheckAsync("/api/v1/charts/{name}.png", "get", await host.Client.GetAsync("/api/v1/charts/no-such-chart.png"), HttpStatusCode.NotFound);
        await CheckAsync("/health", "get", await host.Client.GetAsync("/health"), HttpStatusCode.OK);
        await CheckAsync("/api/v1/series", "get", await anonymous.GetAsync("/api/v1/series"), HttpStatusCode.Unauthorized);

        Assert.Equal(13, checkedAnswers.Count);
    }

    [Fact]
    public async Task AnUnreachableStoresHealthAnswerMatchesThe503Schema()
    {
        // A directory where the SQLite file should be: the store cannot open it.
        var notAFile = Directory.CreateDirectory(Path.Combine(seeded.Root, $"dir-{Guid.NewGuid():N}")).FullName;
        await using var host = await ApiHost.StartAsync(seeded, Now, db: notAFile);
        var document = await OpenApiDocument.FetchAsync(host.Client);

        using var response = await host.Client.GetAsync("/health");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Empty(document.Validate("/health", "get", 503, "application/json", body));
    }

    [Fact]
    public async Task RedoclyLintFindsNothingInTheServedDocument()
    {
        await using var host = await ApiHost.StartAsync(seeded, Now);
        var folder = Directory.CreateTempSubdirectory("forecasting-openapi-").FullName;
        var file = Path.Combine(folder, "openapi.json");
        await File.WriteAllTextAsync(file, await host.Client.GetStringAsync("/openapi/v1.json"));
        var config = Path.Combine(AppContext.BaseDirectory, "redocly.yaml");

        var (exitCode, output) = Redocly.Run(["lint", file, "--config", config, "--format", "stylish"]);

        Assert.True(exitCode == 0, $"redocly lint exited {exitCode}:\n{output}");
        Assert.Contains("Your API description is valid", output, StringComparison.Ordinal);
        Assert.DoesNotContain("warning", output.Replace("Deprecation warning", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
    }

    private static IEnumerable<(string Where, JsonObject Schema)> Schemas(JsonNode? node, string where)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["type"] is not null || obj["format"] is not null)
                {
                    yield return (where, obj);
                }

                foreach (var (name, child) in obj)
                {
                    foreach (var found in Schemas(child, $"{where}.{name}"))
                    {
                        yield return found;
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    foreach (var found in Schemas(array[i], $"{where}[{i}]"))
                    {
                        yield return found;
                    }
                }

                break;
        }
    }
}
