using Microsoft.AspNetCore.Http;

namespace Tandem.Node.Api;

/// <summary>The local API's answers: JSON in its style, errors as one line.</summary>
public static class ApiResults
{
    public static IResult Json<T>(T value) => Results.Json(value, LocalApiJson.Options);

    public static IResult Error(int status, string message) =>
        Results.Json(new ApiError(message), LocalApiJson.Options, statusCode: status);

    public static IResult NotFound(string message) => Error(StatusCodes.Status404NotFound, message);

    public static IResult NoContent() => Results.NoContent();

    public static IResult BadRequest(string message) => Error(StatusCodes.Status400BadRequest, message);
}
