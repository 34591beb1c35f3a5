using System.Globalization;
using System.Text;
using Atom.Salesforce.Client.Auth;
using Atom.Salesforce.Client.DependencyInjection;
using Atom.Salesforce.Client.Mirror.Changes;
using Atom.Salesforce.Client.Mirror.Schema;
using Atom.Salesforce.Client.Mirror.Storage;
using Atom.Salesforce.Client.Records;
using Atom.Salesforce.Emulator;
using Atom.Salesforce.Emulator.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Atom.Salesforce.Client.Mirror.Tests;

/// <summary>
/// The emulator on loopback (REST, Bulk API 2.0, SOAP, Pub/Sub), the SDK with a stored token for the integration login, and a
/// fresh mirror schema in the test PostgreSQL (ATOM_TEST_PG), dropped afterwards.
/// </summary>
internal sealed class MirrorHarness : IAsyncDisposable
{
    public const string UserId = "integration";
    public const string OrgId = "00DHs0000000001MAA";

    private readonly List<ServiceProvider> _providers = [];

    private MirrorHarness(SalesforceEmulator emulator, EmulatorServer server, string schema)
    {
        Emulator = emulator;
        Server = server;
        Schema = schema;
        DataSource = NpgsqlDataSource.Create(ConnectionString!);
    }

    public static string? ConnectionString => Environment.GetEnvironmentVariable("ATOM_TEST_PG");

    public SalesforceEmulator Emulator { get; }

    public EmulatorServer Server { get; }

    public string Schema { get; }

    public NpgsqlDataSource DataSource { get; }

    public static async Task<MirrorHarness> StartAsync(SalesforceEmulatorOptions? options = null)
    {
        Assert.SkipWhen(string.IsNullOrEmpty(ConnectionString), "ATOM_TEST_PG is not set (./build.sh test sets it).");
        var emulator = new SalesforceEmulator(options ?? new SalesforceEmulatorOptions());
        var server = await emulator.ListenAsync(cancellationToken: TestContext.Current.CancellationToken);
        return new MirrorHarness(emulator, server, "m_" + Guid.NewGuid().ToString("N")[..20]);
    }

    /// <summary>A fresh container (an app instance) with the mirror registered (after <paramref name="register"/>'s services, such as logging).</summary>
    public async Task<ServiceProvider> AppAsync(Action<MirrorOptions>? configure = null, bool pubSub = true, Action<IServiceCollection>? register = null)
    {
        var services = new ServiceCollection();
        register?.Invoke(services);
        var builder = services.AddAtomSalesforce(o =>
        {
            o.ClientId = "emulator";
            o.LoginUrl = Server.BaseAddress;
        });
        if (pubSub)
        {
            builder.AddPubSub(o => o.Endpoint = Server.PubSubAddress!);
        }

        builder.AddAtomSalesforceMirror(o =>
        {
            o.ConnectionString = ConnectionString;
            o.UserId = UserId;
            o.Schema = Schema;
            o.PollInterval = TimeSpan.FromMilliseconds(300);
            o.LeaseRetryInterval = TimeSpan.FromMilliseconds(200);
            o.RunWriter = false;
            configure?.Invoke(o);
        });
        var provider = services.BuildServiceProvider();
        _providers.Add(provider);
        await provider.GetRequiredService<ITokenStore>().SaveAsync(UserId, new SalesforceToken(Emulator.Options.AccessToken!, Server.BaseAddress, DateTimeOffset.UtcNow)
        {
            IdentityUrl = new Uri(Server.BaseAddress, $"/id/{OrgId}/005Hs00000000001AAA"),
        }, TestContext.Current.CancellationToken);
        return provider;
    }

    public static SalesforceClient Client(ServiceProvider app) => app.GetRequiredService<ISalesforceClientFactory>().ForUser(UserId);

    /// <summary>Waits (a generous two minutes, never a timing assertion) until the condition holds.</summary>
    public static Task UntilAsync(Func<Task<bool>> condition, string what) => UntilAsync(condition, () => what);

    /// <summary>Waits (up to 2 minutes) for the condition; <paramref name="what"/> is read when it times out, so it can say what the last check saw.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, Func<string> what)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting until {what()}.");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    public async Task<bool> AllLoadedAsync(SalesforceMirror mirror)
    {
        var status = await mirror.GetStatusAsync(TestContext.Current.CancellationToken);
        return status.Count > 0 && status.All(s => s.Phase == "loaded");
    }

    /// <summary>Fields whose mirror value is not the org's by design: change events do not carry them (README, limits).</summary>
    private static readonly HashSet<string> NotCompared = new(StringComparer.OrdinalIgnoreCase) { "SystemModstamp", "LastActivityDate" };

    /// <summary>The differences between the org's rows of <paramref name="objectName"/> and the mirror's, field by field; empty when equal.</summary>
    public async Task<string> DiffAsync(SalesforceClient client, string objectName)
    {
        var ct = TestContext.Current.CancellationToken;
        var table = MirrorTable.FromDescribe((await client.SObjects.DescribeAsync(objectName, cancellationToken: ct))!);
        var columns = table.Live.Where(c => !NotCompared.Contains(c.Field)).ToList();
        var org = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var record in client.Query.QueryAsync<SObject>(table.SelectSoql(), cancellationToken: ct))
        {
            org[record.Id!] = Text(columns, RecordReader.ToRow(record, columns));
        }

        var mirror = new Dictionary<string, string>(StringComparer.Ordinal);
        await using (var command = DataSource.CreateCommand($"SELECT {string.Join(", ", columns.Select(c => MirrorSql.Ident(c.Column)))} FROM {MirrorSql.Qualified(Schema, table.Name)}"))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var row = new object?[columns.Count];
                for (var i = 0; i < columns.Count; i++)
                {
                    row[i] = reader.IsDBNull(i) ? null : columns[i].Kind == ColumnKind.Date ? reader.GetFieldValue<DateOnly>(i) : reader.GetValue(i);
                }

                mirror[reader.GetString(0)] = Text(columns, row);
            }
        }

        var diff = new StringBuilder();
        foreach (var (id, text) in org)
        {
            if (!mirror.TryGetValue(id, out var mirrored))
            {
                diff.AppendLine(CultureInfo.InvariantCulture, $"{objectName} {id} missing from the mirror");
            }
            else if (mirrored != text)
            {
                diff.AppendLine(CultureInfo.InvariantCulture, $"{objectName} {id}: org {text} / mirror {mirrored}");
            }
        }

        foreach (var id in mirror.Keys.Where(id => !org.ContainsKey(id)))
        {
            diff.AppendLine(CultureInfo.InvariantCulture, $"{objectName} {id} in the mirror, not in the org");
        }

        return diff.ToString();
    }

    private static string Text(List<MirrorColumn> columns, object?[] row) =>
        string.Join("|", columns.Select((c, i) => c.Field + "=" + row[i] switch
        {
            null => "null",
            decimal m => m.ToString("G29", CultureInfo.InvariantCulture),
            DateTime t => DateTime.SpecifyKind(t, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture),
            DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            bool b => b ? "true" : "false",
            var v => Convert.ToString(v, CultureInfo.InvariantCulture),
        }));

    /// <summary>Calls the emulator's SOAP partner API (merge, convertLead, undelete: the calls REST lacks).</summary>
    public async Task<string> SoapAsync(string body)
    {
        var envelope = $"""
            <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:urn="urn:partner.soap.sforce.com" xmlns:urn1="urn:sobject.partner.soap.sforce.com">
              <soapenv:Header><urn:SessionHeader><urn:sessionId>{Emulator.Options.AccessToken}</urn:sessionId></urn:SessionHeader></soapenv:Header>
              <soapenv:Body>{body}</soapenv:Body>
            </soapenv:Envelope>
            """;
        using var http = new HttpClient { BaseAddress = Server.BaseAddress };
        using var content = new StringContent(envelope, Encoding.UTF8, "text/xml");
        content.Headers.Add("SOAPAction", "\"\"");
        using var response = await http.PostAsync(new Uri("/services/Soap/u/66.0", UriKind.Relative), content, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, text);
        Assert.DoesNotContain("<success>false</success>", text, StringComparison.Ordinal);
        return text;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        await using (var drop = DataSource.CreateCommand($"DROP SCHEMA IF EXISTS {MirrorSql.Ident(Schema)} CASCADE"))
        {
            await drop.ExecuteNonQueryAsync();
        }

        await DataSource.DisposeAsync();
        await Server.DisposeAsync();
    }
}
