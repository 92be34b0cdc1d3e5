namespace Forecasting.Cli;

/// <summary>Exit codes of every command.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Bad input: a file, an option, a missing setting. The message says what to fix.</summary>
    public const int UserError = 1;

    /// <summary>Infrastructure failed: the store, the network, a bug.</summary>
    public const int Failure = 2;
}
