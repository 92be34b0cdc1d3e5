using System.CommandLine;
using System.CommandLine.Invocation;
using Forecasting.Application;

namespace Forecasting.Cli;

/// <summary><c>--version</c>: the product version (Directory.Build.props <c>Version</c>), without the <c>+commit</c> suffix.</summary>
internal sealed class VersionAction : SynchronousCommandLineAction
{
    public override int Invoke(ParseResult parseResult)
    {
        parseResult.InvocationConfiguration.Output.WriteLine(ForecastingVersion.Of(typeof(VersionAction).Assembly));
        return ExitCodes.Ok;
    }
}
