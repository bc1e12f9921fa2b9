using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Tandem.Node.Api;

/// <summary>
/// The daemon's local API: HTTP/JSON on a unix socket that only root can reach (directory 0700,
/// socket 0600). Routes are mapped by the caller; errors leave as <see cref="ApiError"/> JSON.
/// </summary>
public sealed class LocalApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LocalApiServer(WebApplication app) => _app = app;

    public static async Task<LocalApiServer> StartAsync(
        string socketPath,
        ILoggerFactory loggerFactory,
        Action<IEndpointRouteBuilder> mapRoutes,
        CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(socketPath) ?? "/";
        Directory.CreateDirectory(directory);
        File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        // A socket file left by a daemon that died would make the bind fail.
        File.Delete(socketPath);

        // The content root defaults to the working directory, "/" for a service, and watching the
        // configuration files there for changes walks the whole file system (inotify, recursively):
        // seconds before the host starts. The program's own directory, and no watching.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
        });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            foreach (var converter in LocalApiJson.Options.Converters)
            {
                o.SerializerOptions.Converters.Add(converter);
            }
        });
        builder.WebHost.ConfigureKestrel(k => k.ListenUnixSocket(socketPath));
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context).ConfigureAwait(false);
            }
            catch (LocalApiException e)
            {
                await WriteErrorAsync(context, StatusCodes.Status409Conflict, e.Message).ConfigureAwait(false);
            }
            catch (ApiFailureException e)
            {
                await WriteErrorAsync(context, e.StatusCode, e.Message).ConfigureAwait(false);
            }
        });
        mapRoutes(app);
        app.MapFallback((HttpContext context) =>
            Results.Json(new ApiError($"no route {context.Request.Method} {context.Request.Path}"), statusCode: StatusCodes.Status404NotFound));
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        File.SetUnixFileMode(socketPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return new LocalApiServer(app);
    }

    private static Task WriteErrorAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new ApiError(message));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
