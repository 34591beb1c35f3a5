namespace Atom.Salesforce.Emulator.Apex;

/// <summary>
/// What an Apex class annotated <c>@RestResource</c> offers: one handler per HTTP method, as its <c>@HttpGet</c>,
/// <c>@HttpPost</c>, <c>@HttpPut</c>, <c>@HttpPatch</c> and <c>@HttpDelete</c> methods. Register it with
/// <see cref="SalesforceEmulator.MapApexRest"/>. A method without a handler is answered 405 <c>METHOD_NOT_ALLOWED</c>; a
/// handler that throws is answered 500 <c>APEX_ERROR</c>, as an uncaught Apex exception is.
/// </summary>
public sealed class ApexRestResource
{
    /// <summary>The <c>@HttpGet</c> method (HEAD requests run it too).</summary>
    public Func<ApexRestRequest, ApexRestResponse>? HttpGet { get; init; }

    /// <summary>The <c>@HttpPost</c> method.</summary>
    public Func<ApexRestRequest, ApexRestResponse>? HttpPost { get; init; }

    /// <summary>The <c>@HttpPut</c> method.</summary>
    public Func<ApexRestRequest, ApexRestResponse>? HttpPut { get; init; }

    /// <summary>The <c>@HttpPatch</c> method.</summary>
    public Func<ApexRestRequest, ApexRestResponse>? HttpPatch { get; init; }

    /// <summary>The <c>@HttpDelete</c> method.</summary>
    public Func<ApexRestRequest, ApexRestResponse>? HttpDelete { get; init; }

    /// <summary>The handler for an HTTP method, or null.</summary>
    internal Func<ApexRestRequest, ApexRestResponse>? For(string method) => method switch
    {
        "GET" or "HEAD" => HttpGet,
        "POST" => HttpPost,
        "PUT" => HttpPut,
        "PATCH" => HttpPatch,
        "DELETE" => HttpDelete,
        _ => null,
    };

    /// <summary>The methods it answers, in the form of Salesforce's 405 message (<c>HEAD,GET,POST</c>).</summary>
    internal string Allowed()
    {
        var allowed = new List<string>();
        if (HttpGet is not null)
        {
            allowed.Add("HEAD");
            allowed.Add("GET");
        }

        if (HttpPost is not null)
        {
            allowed.Add("POST");
        }

        if (HttpPut is not null)
        {
            allowed.Add("PUT");
        }

        if (HttpPatch is not null)
        {
            allowed.Add("PATCH");
        }

        if (HttpDelete is not null)
        {
            allowed.Add("DELETE");
        }

        return string.Join(',', allowed);
    }
}
