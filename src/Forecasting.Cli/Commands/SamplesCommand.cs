using System.CommandLine;
using Forecasting.Application;
using Forecasting.Data.Samples;
using Spectre.Console;

namespace Forecasting.Cli.Commands;

internal static class SamplesCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out", "-o") { Description = "CSV file to write", DefaultValueFactory = _ => "data-samples/usage.csv" };
        var seed = new Option<int>("--seed") { Description = "Random seed", DefaultValueFactory = _ => new SampleUsageOptions().Seed };
        var weeks = new Option<int>("--weeks") { Description = "Weeks of hourly data", DefaultValueFactory = _ => new SampleUsageOptions().Weeks };
        var tenants = new Option<int>("--extra-tenants") { Description = "Extra synthetic projects (for load and scale tests)" };
        var bursty = new Option<bool>("--bursty") { Description = "Bursty traffic (multi-hour bursts, level shifts, persistent noise), as a production chat service's" };
        var command = new Command("samples", "Generate the realistic sample usage (seeded, reproducible) that the demo trains on.")
        {
            output, seed, weeks, tenants, bursty,
        };
        command.SetAction(async (parseResult, loggers, cancellationToken) =>
        {
            if (parseResult.GetValue(weeks) < 1 || parseResult.GetValue(tenants) < 0)
            {
                throw new Core.InvalidInputException("--weeks must be at least 1 and --extra-tenants not negative");
            }

            var options = new SampleUsageOptions
            {
                Seed = parseResult.GetValue(seed),
                Weeks = parseResult.GetValue(weeks),
                ExtraTenants = parseResult.GetValue(tenants),
                Bursty = parseResult.GetValue(bursty),
            };
            var path = parseResult.GetValue(output)!;
            await using var app = CliApplication.WithoutStore(parseResult, loggers);
            var rows = await app.Get<SamplesUseCase>().WriteAsync(options, path, cancellationToken);
            AnsiConsole.MarkupLineInterpolated($"[green]wrote[/] {rows:N0} rows ({options.Weeks} weeks, seed {options.Seed}{(options.Bursty ? ", bursty" : "")}) to {Path.GetFullPath(path)}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
