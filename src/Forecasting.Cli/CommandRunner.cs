using System.CommandLine;
using Forecasting.Core;
using Forecasting.Data.Collect;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Forecasting.Cli;

/// <summary>
/// Runs a command body and turns its outcome into an exit code: user errors print their message
/// (no stack trace) and exit 1; infrastructure failures print what failed and exit 2.
/// </summary>
internal static class CommandRunner
{
    public static IAnsiConsole Error { get; } = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });

    public static void SetAction(this Command command, Func<ParseResult, ILoggerFactory, CancellationToken, Task<int>> body)
    {
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            using var loggers = CreateLoggers(parseResult.GetValue(CommonOptions.Verbose));
            try
            {
                return await body(parseResult, loggers, cancellationToken);
            }
            catch (InvalidInputException e)
            {
                Error.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
                return ExitCodes.UserError;
            }
            catch (SourceAuthenticationException e)
            {
                Error.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
                return ExitCodes.UserError;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                Error.MarkupLine("[yellow]cancelled[/]: nothing partial was committed");
                return ExitCodes.Failure;
            }
            catch (Exception e) when (e is SourceException or IOException or UnauthorizedAccessException or System.Data.Common.DbException or TimeoutException)
            {
                Error.MarkupLineInterpolated($"[red]failed:[/] {e.Message}");
                if (e.InnerException is { } inner)
                {
                    Error.MarkupLineInterpolated($"  caused by: {inner.Message}");
                }

                return ExitCodes.Failure;
            }
            catch (Exception e)
            {
                // A bug: say so plainly; the stack trace is for developers who ask for it.
                Error.MarkupLineInterpolated($"[red]internal error:[/] {e.GetType().Name}: {e.Message}");
                if (Environment.GetEnvironmentVariable("FORECASTING_DEBUG") == "1")
                {
                    Error.WriteLine(e.ToString());
                }
                else
                {
                    Error.MarkupLine("  set FORECASTING_DEBUG=1 to see the stack trace");
                }

                return ExitCodes.Failure;
            }
        });
    }

    private static ILoggerFactory CreateLoggers(bool verbose) =>
        LoggerFactory.Create(builder => builder
            .SetMinimumLevel(verbose ? LogLevel.Information : LogLevel.Warning)
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
            .AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss ";
            })
            .AddFilter("Microsoft", LogLevel.Warning));
}
