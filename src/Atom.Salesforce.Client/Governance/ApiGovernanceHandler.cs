using System.Net;
using System.Text.Json;
using Atom.Salesforce.Client.Http;
using Atom.Salesforce.Client.Models;

namespace Atom.Salesforce.Client.Governance;

/// <summary>
/// The API governance's one place in the REST pipeline: inside the authentication handler (each attempt is on the org's
/// instance URL, a retry or a replay after a token refresh included, and each is an API call Salesforce counts), outside the
/// per-attempt circuit breaker and timeout (a wait in the queue is not an attempt that timed out). Without
/// <c>AddApiGovernance()</c> it only passes requests on.
/// </summary>
internal sealed class ApiGovernanceHandler(ApiGovernor? governor) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        governor is null || request.RequestUri is not { IsAbsoluteUri: true } uri
            ? base.SendAsync(request, cancellationToken)
            : SendGovernedAsync(governor, request, uri, cancellationToken);

    private async Task<HttpResponseMessage> SendGovernedAsync(ApiGovernor governor, HttpRequestMessage request, Uri uri, CancellationToken cancellationToken)
    {
        // The org is its instance host (no token, no user): the key of its budget and its caps.
        var org = uri.IdnHost.ToLowerInvariant();
        var path = uri.AbsolutePath;
        var priority = RequestPriorityScope.Current ?? DefaultPriority(path);
        if (governor.BeginLimitsRefresh(org))
        {
            await RefreshLimitsAsync(governor, org, request, uri, cancellationToken).ConfigureAwait(false);
        }

        using var lease = await governor.AcquireAsync(org, priority, cancellationToken).ConfigureAwait(false);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        try
        {
            if (SforceLimitInfo.TryRead(response, out var usage))
            {
                await governor.ObserveAsync(org, usage, exact: false, cancellationToken).ConfigureAwait(false);
            }

            if (response.StatusCode == HttpStatusCode.OK && request.Method == HttpMethod.Get && IsLimits(path))
            {
                // The org's /limits answer is exact: the calls used may have gone down as the 24-hour window moved on. The body
                // is small; it is buffered so that the caller still reads it.
#if NET9_0_OR_GREATER
                await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
#else
                await response.Content.LoadIntoBufferAsync().ConfigureAwait(false);
#endif
                if (TryReadDailyApiRequests(await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false), out var daily))
                {
                    await governor.ObserveAsync(org, daily, exact: true, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch
        {
            response.Dispose();
            throw;
        }
        finally
        {
            lease.Answered();
        }

        return response;
    }

    /// <summary>
    /// Asks <c>/limits</c> with the call's own session (the version of its path) before it goes out, so that calls that left the
    /// rolling 24-hour window come back to the budget. A failure only leaves the budget as it was: the next is due an interval later.
    /// </summary>
    private async Task RefreshLimitsAsync(ApiGovernor governor, string org, HttpRequestMessage request, Uri uri, CancellationToken cancellationToken)
    {
        try
        {
            var version = VersionOf(uri.AbsolutePath);
            if (version is null || request.Headers.Authorization is not { } authorization
                || !await governor.TryTakeRefreshCallAsync(org, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            using var limits = new HttpRequestMessage(HttpMethod.Get, new Uri(uri, $"/services/data/{version}/limits"));
            limits.Headers.Authorization = authorization;
            limits.Headers.Accept.ParseAdd("application/json");
            using var response = await base.SendAsync(limits, cancellationToken).ConfigureAwait(false);
            if (SforceLimitInfo.TryRead(response, out var usage))
            {
                await governor.ObserveAsync(org, usage, exact: false, cancellationToken).ConfigureAwait(false);
            }

            if (response.StatusCode == HttpStatusCode.OK
                && TryReadDailyApiRequests(await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false), out var daily))
            {
                await governor.ObserveAsync(org, daily, exact: true, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The call itself goes on; the budget stays as it was until the next refresh.
        }
        finally
        {
            governor.EndLimitsRefresh(org);
        }
    }

    /// <summary>The <c>vXX.X</c> of a <c>/services/data/vXX.X/...</c> path; null for other paths.</summary>
    internal static string? VersionOf(string path)
    {
        const string Prefix = "/services/data/v";
        if (!path.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var end = path.IndexOf('/', Prefix.Length);
        var version = end < 0 ? path[(Prefix.Length - 1)..] : path[(Prefix.Length - 1)..end];
        if (version.Length < 2)
        {
            return null;
        }

        foreach (var c in version.AsSpan(1))
        {
            if (c is not (>= '0' and <= '9') and not '.')
            {
                return null;
            }
        }

        return version;
    }

    /// <summary>The priority of a call no option or scope set: background for Bulk API 2.0 jobs, interactive for the rest.</summary>
    internal static RequestPriority DefaultPriority(string path) =>
        path.Contains("/jobs/ingest", StringComparison.Ordinal) || path.Contains("/jobs/query", StringComparison.Ordinal)
            ? RequestPriority.Background
            : RequestPriority.Interactive;

    private static bool IsLimits(string path)
    {
        var trimmed = path.AsSpan().TrimEnd('/');
        return trimmed.EndsWith("/limits", StringComparison.Ordinal) && trimmed.StartsWith("/services/data/", StringComparison.Ordinal);
    }

    /// <summary>Reads <c>DailyApiRequests: {Max, Remaining}</c> of a <c>/limits</c> body.</summary>
    internal static bool TryReadDailyApiRequests(ReadOnlySpan<byte> body, out ApiUsage usage)
    {
        usage = default;
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var daily = reader.ValueTextEquals("DailyApiRequests"u8);
                reader.Read();
                if (!daily)
                {
                    reader.Skip();
                    continue;
                }

                long? max = null, remaining = null;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isMax = reader.ValueTextEquals("Max"u8);
                    var isRemaining = reader.ValueTextEquals("Remaining"u8);
                    reader.Read();
                    if (isMax && reader.TokenType == JsonTokenType.Number)
                    {
                        max = reader.GetInt64();
                    }
                    else if (isRemaining && reader.TokenType == JsonTokenType.Number)
                    {
                        remaining = reader.GetInt64();
                    }
                    else
                    {
                        reader.Skip();
                    }
                }

                if (max is > 0 && remaining is >= 0)
                {
                    usage = new ApiUsage(Math.Max(0, max.Value - remaining.Value), max.Value);
                    return true;
                }

                return false;
            }
        }
        catch (JsonException)
        {
        }

        return false;
    }
}
