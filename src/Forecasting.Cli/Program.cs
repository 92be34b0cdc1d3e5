using System.CommandLine;
using Forecasting.Cli;
using Forecasting.Cli.Commands;

// Redirected output (CI logs, pipes) must not wrap messages at 80 columns: a file:line: field message stays one line.
if (Console.IsOutputRedirected)
{
    Spectre.Console.AnsiConsole.Profile.Width = 240;
}

if (Console.IsErrorRedirected)
{
    CommandRunner.Error.Profile.Width = 240;
}

var root = new RootCommand("forecasting: forecast LLM API usage and cost per model and project, a week ahead.");
root.Options.Add(CommonOptions.Db);
root.Options.Add(CommonOptions.Models);
root.Options.Add(CommonOptions.Config);
root.Options.Add(CommonOptions.Verbose);
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(IngestCommand.Create());
root.Subcommands.Add(CollectCommand.Create());
root.Subcommands.Add(ExportCommand.Create());
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(BacktestCommand.Create());
root.Subcommands.Add(ModelsCommand.Create());
root.Subcommands.Add(ForecastCommand.Create());
root.Subcommands.Add(ReportCommand.Create());
root.Subcommands.Add(StatusCommand.Create());
root.Subcommands.Add(SamplesCommand.Create());
root.Subcommands.Add(ServeCommand.Create());
foreach (var version in root.Options.OfType<VersionOption>())
{
    version.Action = new VersionAction();
}

return await root.Parse(args).InvokeAsync();
