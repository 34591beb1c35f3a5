using Microsoft.AspNetCore.Http;

namespace Atom.Salesforce.Client.AspNetCore.Routing;

/// <summary>
/// The pack's routes as <see cref="RequestDelegate"/>s: its handlers read everything from the <see cref="HttpContext"/>
/// and return an <see cref="IResult"/>, so they need none of the parameter binding that mapping a <see cref="Delegate"/>
/// builds with reflection at run time (which trimming and NativeAOT cannot keep).
/// </summary>
internal static class RouteHandlers
{
    public static RequestDelegate Of(Func<HttpContext, Task<IResult>> handler) => async http =>
    {
        var result = await handler(http).ConfigureAwait(false);
        await result.ExecuteAsync(http).ConfigureAwait(false);
    };

    public static RequestDelegate Of(Func<HttpContext, IResult> handler) => http => handler(http).ExecuteAsync(http);
}
