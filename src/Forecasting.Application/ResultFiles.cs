using Forecasting.Core.Backtesting;
using Forecasting.Core.Forecasting;

namespace Forecasting.Application;

/// <summary>
/// The CSV files of a forecast and of a backtest's served forecasts (<c>series,origin,hour,actual,p10,p50,p90,model</c>),
/// each written to a temporary file beside its path and moved into place, so a reader never sees half a file.
/// </summary>
public static class ResultFiles
{
    public static Task WriteForecastAsync(ForecastRun run, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        return WriteAsync(path, writer => writer.Write(BacktestCsv.WriteForecast(run)), cancellationToken);
    }

    public static Task WriteBacktestAsync(BacktestResult result, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        return WriteAsync(path, writer => BacktestCsv.Write(writer, result.Served), cancellationToken);
    }

    private static async Task WriteAsync(string path, Action<StreamWriter> write, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temporary = full + ".tmp";
        await using (var writer = new StreamWriter(temporary))
        {
            write(writer);
            await writer.FlushAsync(cancellationToken);
        }

        File.Move(temporary, full, overwrite: true);
    }
}
