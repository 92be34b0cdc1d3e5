using Forecasting.Data.Export;
using Forecasting.Data.Samples;

namespace Forecasting.Application;

/// <summary>Generates the realistic sample usage (seeded, reproducible) the demo trains on and writes it as a usage CSV; the CLI's <c>samples</c>. No store is opened.</summary>
public sealed class SamplesUseCase
{
#pragma warning disable CA1822 // an instance method: resolved from DI like every use case

    /// <returns>The rows written.</returns>
    public Task<long> WriteAsync(SampleUsageOptions options, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        return UsageCsvWriter.WriteAsync(SampleUsageGenerator.Generate(options).ToAsyncEnumerable(), path, cancellationToken);
    }
#pragma warning restore CA1822
}
