namespace WaldurEmulator.Infrastructure;

/// <summary>Turns <see cref="ApiException"/> into the DRF-shaped JSON error it stands for.</summary>
internal sealed class ErrorMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (ApiException e) when (!context.Response.HasStarted)
        {
            context.Response.Clear();
            context.Response.StatusCode = e.Status;
            if (e.Status == StatusCodes.Status401Unauthorized) context.Response.Headers.WWWAuthenticate = "Token";
            await context.Response.WriteAsJsonAsync(e.Body, EmulatorJson.Options);
        }
    }
}
