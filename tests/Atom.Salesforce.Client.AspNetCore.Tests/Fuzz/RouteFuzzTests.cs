using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Atom.Salesforce.Client.AspNetCore.Tests.Infrastructure;

namespace Atom.Salesforce.Client.AspNetCore.Tests.Fuzz;

/// <summary>
/// Several hundred requests generated from a fixed seed: every route of the OpenAPI document × every property of its body
/// (the ones that reach SOQL, dates, ids, limits, record data), with hostile values, wrong kinds, malformed bodies and
/// content types. Whatever comes in, the answer is a success or the error envelope with a documented category and status:
/// never 500, never a stack trace, never a token.
/// </summary>
public sealed class RouteFuzzTests
{
    private const int Seed = 20_261_205;

    /// <summary>The statuses each documented category answers with.</summary>
    private static readonly Dictionary<string, Func<int, bool>> Statuses = new(StringComparer.Ordinal)
    {
        [SalesforceEndpointErrors.ValidationError] = s => s is 400 or 413 or 415,
        [SalesforceEndpointErrors.Unauthorized] = s => s == 401,
        [SalesforceEndpointErrors.Forbidden] = s => s == 403,
        [SalesforceEndpointErrors.NotFound] = s => s == 404,
        [SalesforceEndpointErrors.ApiError] = s => s is >= 400 and < 500 or 502,
        [SalesforceEndpointErrors.RateLimited] = s => s == 429,
        [SalesforceEndpointErrors.SalesforceUnavailable] = s => s == 503,
    };

    private static readonly string[] Values =
    [
        "\"x' OR Name != null OR Name = 'y\"", "\"Name = 'a') OR (Id != null\"", "\"Name = 'x'; DELETE FROM Account\"", "\"Id IN (SELECT Id FROM User)\"",
        "\"\\ud800\"", "\"a\\udfffb\"", "\"\\ud83d\\ude00\"", "\"\\u0000\"", "\"\\u001b[31m\"", "\"\"", "\"   \"", "\"%00%ff\"", "\"'\"", "\"\\\\\"",
        "\"LAST_N_DAYS:99999999\"", "\"N_DAYS_AGO:2147483647\"", "\"NEXT_N_FISCAL_QUARTERS:2147483647\"", "\"LAST_N_DAYS:-1\"", "\"LAST_N_DAYS:\"",
        "\"N_YEARS_AGO:1000\"", "\"LAST_99999999999_DAYS\"", "\"THIS_QUARTER\"", "\"last_30_days\"", "\"2025-13-45\"", "\"stage\"", "\"month\"",
        "\"001000000000000AAA\"", "\"001000000000000\"", "\"001'--\"", "\"00Q000000000000AAA\"", "\"006000000000000AAA\"", "\"003000000000000AAA\"",
        "0", "-1", "1", "5", "2001", "2147483648", "-2147483649", "9223372036854775808", "1e400", "-1e400", "1.5", "1e-400", "0.0000000000000000000001",
        "true", "false", "null", "[]", "{}", "[1, 2]", "[\"Name\", \"Id\"]", "[\"Name FROM User --\"]", "[\"\\ud800\"]", "[null]", "[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]",
        "{\"start_date\": \"0001-01-01\", \"end_date\": \"9999-12-31\"}", "{\"start_date\": \"2025-01-01\", \"end_date\": \"2024-01-01\"}",
        "{\"start_date\": \"2025-01-01\"}", "{\"start\": \"2025-01-01\", \"end_date\": \"2025-02-01\", \"start_date\": \"2024-01-01\"}", "{\"foo\": 1}",
        "{\"Name\": \"Fuzz Co\"}", "{\"Name\": \"\\ud800\"}", "{\"Name\": 1e400}", "{\"LastName\": \"Fuzz\", \"Company\": \"Fuzz Co\"}", "{\"Password__c\": \"x\"}",
        "{\"Name\": {\"nested\": true}}", "{\"StageName\": \"Closed Won\", \"Name\": \"F\", \"CloseDate\": \"2026-13-01\"}", "{\"lead_source\": [\"Web\"], \"owner\": [\"x\"]}",
        "{\"lead_source\": \"Web\"}", "{\"stages\": [\"Prospecting\", \"\\ud800\"]}",
    ];

    [Fact]
    public async Task Hundreds_of_generated_requests_never_answer_500_a_stack_trace_or_a_token()
    {
        await using var host = await PackHost.StartAsync();
        var token = host.Emulator.Options.AccessToken!;
        var random = new Random(Seed);
        var routes = await RoutesAsync(host);
        Assert.True(routes.Count >= 20, "the OpenAPI document lists the routes");
        var longValue = JsonSerializer.Serialize(new string('a', 5_000));
        var manyValues = JsonSerializer.Serialize(Enumerable.Repeat("Name", 300));
        var sent = 0;

        async Task CheckAsync(HttpRequestMessage request, string what)
        {
            var reply = await host.SendAsync(request);
            sent++;
            Assert.True((int)reply.Status != 500, $"{what}: 500 {reply.Text}");
            Assert.DoesNotContain(token, reply.Text, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", reply.Text, StringComparison.Ordinal);
            Assert.DoesNotContain(".cs:line", reply.Text, StringComparison.Ordinal);
            Assert.False(reply.Headers.TryGetValue("Set-Cookie", out var cookie) && cookie.Contains(token, StringComparison.Ordinal), what);
            if ((int)reply.Status == 200)
            {
                Assert.True(reply.Root.GetProperty("ok").GetBoolean(), what);
                return;
            }

            var root = reply.AssertError((int)reply.Status, reply.Root.GetProperty("error_code").GetString()!);
            var error = root.GetProperty("error").GetString()!;
            Assert.True(Statuses.TryGetValue(error, out var allowed) && allowed((int)reply.Status), $"{what}: {(int)reply.Status} {error} is not in the vocabulary");
        }

        // Every route × every property, each with several values, alone and with others.
        foreach (var (route, properties) in routes)
        {
            foreach (var property in properties)
            {
                for (var i = 0; i < 4; i++)
                {
                    var body = new Dictionary<string, string> { [property] = Pick(random, longValue, manyValues) };
                    foreach (var other in properties.Where(_ => random.Next(3) == 0))
                    {
                        body.TryAdd(other, Pick(random, longValue, manyValues));
                    }

                    var json = "{" + string.Join(", ", body.Select(p => $"{JsonSerializer.Serialize(p.Key)}: {p.Value}")) + "}";
                    using var request = Post(route, json, "application/json", random.Next(10) == 0 ? null : PackHost.Alice);
                    await CheckAsync(request, $"{route} {json}");
                }
            }
        }

        // Malformed bodies and content types, on every route.
        string[] contentTypes = ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=b", "application/xml", "application/json; charset=utf-16", "application/json"];
        foreach (var (route, _) in routes)
        {
            for (var i = 0; i < 6; i++)
            {
                var bytes = random.Next(4) switch
                {
                    0 => RandomBytes(random),
                    1 => Encoding.UTF8.GetBytes("{\"limit\": 5, \"query\": \"Name = 'x")[..random.Next(1, 30)],
                    2 => [.. Encoding.UTF8.GetBytes("{\"query\": \""), .. RandomBytes(random), .. Encoding.UTF8.GetBytes("\"}")],
                    _ => Encoding.UTF8.GetBytes("{\"user_id\": " + Pick(random, longValue, manyValues) + "}"),
                };
                using var request = Post(route, bytes, contentTypes[random.Next(contentTypes.Length)], PackHost.Alice);
                await CheckAsync(request, $"{route} malformed #{i}");
            }
        }

        // The GET form of health, with the same values in the query string.
        for (var i = 0; i < 20; i++)
        {
            var value = Uri.EscapeDataString(Pick(random, longValue, manyValues).Trim('"'));
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/salesforce/enhanced/health?user_id={value}&x{i}={value}");
            request.Headers.Add(PackHost.UserHeader, PackHost.Alice);
            await CheckAsync(request, $"GET health {value}");
        }

        Assert.True(sent >= 400, $"{sent} requests sent");
    }

    private static string Pick(Random random, string longValue, string manyValues) => random.Next(20) switch
    {
        0 => longValue,
        1 => manyValues,
        _ => Values[random.Next(Values.Length)],
    };

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(1, 48)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static HttpRequestMessage Post(string route, string json, string contentType, string? user) => Post(route, Encoding.UTF8.GetBytes(json), contentType, user);

    private static HttpRequestMessage Post(string route, byte[] body, string contentType, string? user)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/salesforce/enhanced/" + route) { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        if (user is not null)
        {
            request.Headers.Add(PackHost.UserHeader, user);
        }

        return request;
    }

    /// <summary>Every POST route of the OpenAPI document and its body's properties.</summary>
    private static async Task<List<(string Route, string[] Properties)>> RoutesAsync(PackHost host)
    {
        var doc = (await host.GetAsync("/api/salesforce/enhanced/openapi.json", signedInAs: null)).Root;
        var routes = new List<(string, string[])>();
        foreach (var path in doc.GetProperty("paths").EnumerateObject())
        {
            if (path.Value.TryGetProperty("post", out var post))
            {
                var schema = OpenApi.OpenApiDocumentTests.Deref(doc, post.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema"));
                routes.Add((path.Name["/api/salesforce/enhanced/".Length..], [.. schema.GetProperty("properties").EnumerateObject().Select(p => p.Name)]));
            }
        }

        return routes;
    }
}
