using System.CommandLine;
using Forecasting.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Forecasting.Cli.Commands;

internal static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls")
        {
            Description = "Addresses to listen on, separated by ';'. Env: ASPNETCORE_URLS",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("ASPNETCORE_URLS") is { Length: > 0 } u ? u : "http://127.0.0.1:5080",
        };
        var reports = new Option<string>("--reports")
        {
            Description = "Report folder served at /api/v1/reports/latest and /api/v1/charts (written by 'forecasting report')",
            DefaultValueFactory = _ => "out/report",
        };
        var command = new Command("serve", "Serve the REST API (forecasts, autoscale, recommendations, models), /health, /metrics and /openapi/v1.json. Set FORECASTING_API_KEY to require a key on /api.")
        {
            urls,
            reports,
        };
        // Configuration keys on the command line (--Forecasting:StaleAfterMinutes=90, --Forecasting:Schedule:Enabled false)
        // reach the host's configuration and override the options above, as with any ASP.NET Core host.
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parseResult, _, cancellationToken) =>
        {
            var overrides = parseResult.UnmatchedTokens.ToArray();
            if (overrides.FirstOrDefault(t => !t.StartsWith("--", StringComparison.Ordinal) && !IsValueOfPrevious(overrides, t)) is { } stray)
            {
                throw new Core.InvalidInputException($"serve: unexpected argument '{stray}'; settings are given as --Section:Key=value (--Forecasting:StaleAfterMinutes=90)");
            }

            var settings = new Dictionary<string, string?>
            {
                [$"{ApiOptions.Section}:{nameof(ApiOptions.Db)}"] = parseResult.GetValue(CommonOptions.Db),
                [$"{ApiOptions.Section}:{nameof(ApiOptions.Models)}"] = parseResult.GetValue(CommonOptions.Models),
                [$"{ApiOptions.Section}:{nameof(ApiOptions.Config)}"] = CliSettings.FindPath(parseResult),
                [$"{ApiOptions.Section}:{nameof(ApiOptions.Reports)}"] = parseResult.GetValue(reports),
            };
            var verbose = parseResult.GetValue(CommonOptions.Verbose);
            await using var app = ForecastingApi.CreateApp([], builder =>
            {
                builder.Configuration.AddInMemoryCollection(settings);
                builder.Configuration.AddCommandLine(overrides);
                builder.WebHost.UseUrls(parseResult.GetValue(urls)!);
                builder.Logging.SetMinimumLevel(verbose ? LogLevel.Information : LogLevel.Warning)
                    .AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
            });
            await app.StartAsync(cancellationToken);
            AnsiConsole.MarkupLineInterpolated($"[green]serving[/] {string.Join(", ", app.Urls)} (Ctrl+C to stop)");
            await app.WaitForShutdownAsync(cancellationToken);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Whether the token is the value of a preceding <c>--Key</c> that has no <c>=</c>.</summary>
    private static bool IsValueOfPrevious(string[] tokens, string token)
    {
        var index = Array.IndexOf(tokens, token);
        return index > 0 && tokens[index - 1].StartsWith("--", StringComparison.Ordinal) && !tokens[index - 1].Contains('=', StringComparison.Ordinal);
    }
}
