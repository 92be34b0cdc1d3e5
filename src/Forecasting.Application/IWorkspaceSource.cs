namespace Forecasting.Application;

/// <summary>
/// Where the use cases get their <see cref="Workspace"/>: the CLI's, opened once per command, or the service's, whose
/// store is opened on first use. A <see cref="Workspace"/> is its own source (tests and the CLI register one as is).
/// </summary>
public interface IWorkspaceSource
{
    Task<Workspace> GetAsync(CancellationToken cancellationToken);
}
