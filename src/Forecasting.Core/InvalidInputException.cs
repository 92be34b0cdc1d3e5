namespace Forecasting.Core;

/// <summary>
/// The user gave input the product cannot use (a file, an option, a setting). The message names
/// what is wrong and where; entry points print it without a stack trace and exit with code 1.
/// </summary>
public sealed class InvalidInputException : Exception
{
    public InvalidInputException()
    {
    }

    public InvalidInputException(string message)
        : base(message)
    {
    }

    public InvalidInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
