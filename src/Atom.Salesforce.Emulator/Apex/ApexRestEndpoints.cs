using System.Text.RegularExpressions;
using Atom.Salesforce.Emulator.Data;
using Atom.Salesforce.Emulator.Http;

namespace Atom.Salesforce.Emulator.Apex;

/// <summary>
/// <c>/services/apexrest/*</c>: the Apex REST resources a test registered, found by Salesforce's <c>urlMapping</c> rules
/// (case-sensitive; an exact match wins, else the longest matching wildcard mapping), 404 <c>NOT_FOUND</c> "Could not find a
/// match for URL" when none matches.
/// </summary>
internal sealed class ApexRestEndpoints(ApexRestRegistry registry)
{
    private const string Root = "/services/apexrest";

    public void Map(Router router)
    {
        foreach (var method in new[] { "GET", "POST", "PUT", "PATCH", "DELETE" })
        {
            router.Map(method, Root + "/{**path}", Handle);
        }
    }

    private EmulatorResponse Handle(RequestContext context)
    {
        var requestUri = "/" + context["path"];
        var resource = registry.Find(requestUri);
        if (resource is null)
        {
            throw new ApiException(404, "NOT_FOUND", "Could not find a match for URL");
        }

        var method = context.Request.Method;
        var handler = resource.Resource.For(method)
            ?? throw new ApiException(405, "METHOD_NOT_ALLOWED", $"HTTP Method '{method}' not allowed. Allowed are {resource.Resource.Allowed()}");
        var request = new ApexRestRequest(
            method, requestUri, Root + resource.UrlMapping, context.Request.Query, context.Request.Headers, context.Request.Body, context.UserId ?? string.Empty);
        ApexRestResponse answer;
        try
        {
            answer = handler(request) ?? ApexRestResponse.Empty();
        }
        catch (ApiException)
        {
            throw;
        }
        catch (Exception e)
        {
            // An uncaught Apex exception: 500 APEX_ERROR with the exception's type and message.
            throw new ApiException(500, "APEX_ERROR", $"{e.GetType().FullName}: {e.Message}");
        }

        var body = answer.ResponseBody.ToArray();
        var response = new EmulatorResponse(
            answer.StatusCode, method == "HEAD" ? [] : body, body.Length == 0 ? answer.ContentType : answer.ContentType ?? EmulatorResponse.JsonContentType);
        foreach (var (name, value) in answer.Headers)
        {
            response.Headers[name] = value;
        }

        return response;
    }
}

/// <summary>The Apex REST resources of an org, by <c>urlMapping</c>.</summary>
internal sealed class ApexRestRegistry
{
    private readonly object _gate = new();
    private Mapping[] _mappings = [];

    public void Add(string urlMapping, ApexRestResource resource)
    {
        Validate(urlMapping);
        lock (_gate)
        {
            if (_mappings.Any(m => m.UrlMapping == urlMapping))
            {
                throw new ArgumentException($"An Apex REST resource is already mapped to '{urlMapping}'.", nameof(urlMapping));
            }

            _mappings = [.. _mappings, new Mapping(urlMapping, resource, Pattern(urlMapping))];
        }
    }

    /// <summary>An exact match, else the longest wildcard mapping that matches, else null.</summary>
    public Mapping? Find(string requestUri)
    {
        var mappings = _mappings;
        var path = requestUri.Length > 1 ? requestUri.TrimEnd('/') : requestUri;
        return mappings.FirstOrDefault(m => !m.UrlMapping.Contains('*', StringComparison.Ordinal) && m.UrlMapping == path)
            ?? mappings.Where(m => m.UrlMapping.Contains('*', StringComparison.Ordinal) && m.Pattern.IsMatch(path))
                .OrderByDescending(m => m.UrlMapping.Length)
                .FirstOrDefault();
    }

    /// <summary>
    /// Salesforce's rules for a <c>urlMapping</c>: it begins with '/', is at most 255 characters, and a '*' is preceded by
    /// '/' and, unless it is the last character, followed by '/'.
    /// </summary>
    private static void Validate(string urlMapping)
    {
        ArgumentException.ThrowIfNullOrEmpty(urlMapping);
        if (!urlMapping.StartsWith('/') || urlMapping.Length > 255)
        {
            throw new ArgumentException($"A urlMapping begins with '/' and is at most 255 characters: '{urlMapping}'.", nameof(urlMapping));
        }

        for (var i = 0; i < urlMapping.Length; i++)
        {
            if (urlMapping[i] == '*' && (urlMapping[i - 1] != '/' || (i < urlMapping.Length - 1 && urlMapping[i + 1] != '/')))
            {
                throw new ArgumentException(
                    $"In a urlMapping a '*' is preceded by '/' and, unless it is the last character, followed by '/': '{urlMapping}'.", nameof(urlMapping));
            }
        }
    }

    /// <summary>A '*' matches any characters; a trailing <c>/*</c> also matches the path without it (<c>/Orders/*</c> matches <c>/Orders</c>).</summary>
    private static Regex Pattern(string urlMapping)
    {
        var pattern = Regex.Escape(urlMapping).Replace(@"\*", ".*", StringComparison.Ordinal);
        if (pattern.EndsWith("/.*", StringComparison.Ordinal))
        {
            pattern = pattern[..^3] + "(/.*)?";
        }

        return new Regex("^" + pattern + "$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }

    internal sealed record Mapping(string UrlMapping, ApexRestResource Resource, Regex Pattern);
}
