namespace Forecasting.Core.Planning;

public enum Severity
{
    Info,
    Warning,
    Critical,
}
