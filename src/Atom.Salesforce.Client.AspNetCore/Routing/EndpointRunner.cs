using Atom.Salesforce.Client.AspNetCore.Envelope;
using Atom.Salesforce.Client.AspNetCore.Identity;
using Atom.Salesforce.Client.AspNetCore.RateLimiting;
using Atom.Salesforce.Client.AspNetCore.Requests;
using Atom.Salesforce.Client.AspNetCore.Telemetry;
using Atom.Salesforce.Client.Auth;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Atom.Salesforce.Client.AspNetCore.Routing;

/// <summary>
/// Runs a route: body within the limit and checked, user resolved, handler, envelope. Every failure, whatever it is,
/// leaves as the error envelope.
/// </summary>
internal static class EndpointRunner
{
    public static async Task<IResult> RunAsync(EndpointDefinition definition, HttpContext http)
    {
        var services = http.RequestServices.GetRequiredService<EndpointServices>();
        string? userId = null;
        if (!services.RateLimiter.TryAcquire(http, out var retryAfter))
        {
            http.Response.Headers.RetryAfter = EndpointRateLimiter.RetryAfterHeader(retryAfter);
            Log.RequestRefused(services.Logger, definition.Path, 429, EndpointErrorCodes.RateLimited);
            return ErrorMapper.Error(ErrorMapper.Envelope(
                SalesforceEndpointErrors.RateLimited, 429, EndpointErrorCodes.RateLimited, "Too many requests; try again after the time Retry-After gives."));
        }

        try
        {
            var options = services.Options;
            var body = HttpMethods.IsGet(http.Request.Method)
                ? RequestBody.FromQuery(http.Request.Query, definition.Body)
                : await RequestBody.ReadAsync(http.Request, definition.Body, options.MaxRequestBodyBytes, http.RequestAborted).ConfigureAwait(false);
            try
            {
                userId = UserResolver.Resolve(http.User, body.String("user_id"), options, definition.UserOptional);
            }
            catch (EndpointError e) when (e.ErrorCode == EndpointErrorCodes.UserMismatch)
            {
                Log.UserMismatch(services.Logger, definition.Path, UserResolver.SignedInUser(http.User, options) ?? "-");
                throw;
            }

            using var audit = TokenAuditContext.Begin(http.Connection.RemoteIpAddress?.ToString(), http.Request.Headers.UserAgent.ToString());
            var data = await definition.Handler(new EndpointCall(http, body, userId, services)).ConfigureAwait(false);
            return TypedResults.Json(new SuccessEnvelope(data), EndpointJson.Info<SuccessEnvelope>());
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The caller went away: nobody reads an answer.
            throw;
        }
        catch (Exception e)
        {
            return ErrorMapper.ToResult(e, http, definition.Path, userId, services.Logger);
        }
    }
}
