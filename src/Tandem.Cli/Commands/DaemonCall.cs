using Tandem.Node.Api;

namespace Tandem.Cli.Commands;

/// <summary>Calls the local daemon and turns its failures into one-line CLI errors.</summary>
public static class DaemonCall
{
    public static async Task<T> RunAsync<T>(Func<LocalApiClient, Task<T>> call)
    {
        using var api = new LocalApiClient();
        try
        {
            return await call(api).ConfigureAwait(false);
        }
        catch (LocalApiException e)
        {
            throw new CliException(e.Message);
        }
    }
}
