using Atom.Salesforce.Client.Mirror.Schema;
using Atom.Salesforce.Client.Mirror.Storage;
using Atom.Salesforce.Client.Records;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Atom.Salesforce.Client.Mirror.Tests;

/// <summary>
/// A mirror table follows describe without losing data: a new field adds a column, a removed field's column stays (and stops
/// updating), a field whose type changed keeps its values (the column widens to text) and the change is reported in the state.
/// The writer reads describe again on a timer, so a field deployed while it runs gets its column, and the values the org
/// already holds (a backfill), without a restart.
/// </summary>
public sealed class SchemaEvolutionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task New_fields_add_columns_removed_fields_keep_theirs_and_type_changes_keep_the_data_and_are_reported()
    {
        Assert.SkipWhen(string.IsNullOrEmpty(MirrorHarness.ConnectionString), "ATOM_TEST_PG is not set (./build.sh test sets it).");
        var schema = "m_" + Guid.NewGuid().ToString("N")[..20];
        await using var dataSource = NpgsqlDataSource.Create(MirrorHarness.ConnectionString!);
        await using var connection = await dataSource.OpenConnectionAsync(Ct);
        try
        {
            await Execute(connection, MirrorSql.CreateSchema(schema));
            var before = new MirrorTable("Widget__c", [new("Id", ColumnKind.Text, "Id"), new("Size__c", ColumnKind.Numeric, "Size__c"), new("Old__c", ColumnKind.Text, "Old__c")]);
            await SchemaSync.ApplyAsync(connection, schema, before, NullLogger.Instance, Ct);
            await Execute(connection, $"INSERT INTO {MirrorSql.Qualified(schema, "widget__c")} (id, size__c, old__c) VALUES ('a01000000000001AAA', 12.5, 'kept')");

            var after = new MirrorTable("Widget__c", [new("Id", ColumnKind.Text, "Id"), new("Size__c", ColumnKind.Date, "Size__c"), new("Color__c", ColumnKind.Text, "Color__c")]);
            var evolved = await SchemaSync.ApplyAsync(connection, schema, after, NullLogger.Instance, Ct);

            Assert.False(evolved.Columns.Single(c => c.Column == "old__c").Live);
            Assert.Equal(ColumnKind.Text, evolved.Field("Size__c")!.StoredKind);
            await using (var read = new NpgsqlCommand($"SELECT size__c, old__c, color__c FROM {MirrorSql.Qualified(schema, "widget__c")}", connection))
            await using (var reader = await read.ExecuteReaderAsync(Ct))
            {
                Assert.True(await reader.ReadAsync(Ct));
                Assert.Equal("12.5", reader.GetString(0));
                Assert.Equal("kept", reader.GetString(1));
                Assert.True(reader.IsDBNull(2));
            }

            await using var state = new NpgsqlCommand($"SELECT type_changes FROM {MirrorSql.State(schema)} WHERE object = 'Widget__c'", connection);
            var changes = (string[])(await state.ExecuteScalarAsync(Ct))!;
            Assert.Contains(changes, c => c.StartsWith("Size__c: numeric -> date", StringComparison.Ordinal));
        }
        finally
        {
            await Execute(connection, $"DROP SCHEMA IF EXISTS {MirrorSql.Ident(schema)} CASCADE");
        }
    }

    [Fact]
    public async Task A_field_that_appears_in_describe_while_the_writer_runs_gets_a_column_filled_with_its_values_without_a_restart_or_a_reload()
    {
        await using var harness = await MirrorHarness.StartAsync();
        var app = await harness.AppAsync(o =>
        {
            o.Objects.Clear();
            o.Objects.Add("Account");
            o.BulkPageSize = 4;
            o.DescribeInterval = TimeSpan.FromMilliseconds(300);
        });
        var sf = MirrorHarness.Client(app);
        var accounts = new List<string>();
        for (var i = 0; i < 9; i++)
        {
            accounts.Add(await sf.SObjects.CreateAsync("Account", new SObject("Account") { ["Name"] = $"Acme {i}", ["Industry"] = i % 2 == 0 ? "Energy" : "Media" }, Ct));
        }

        // Until the field is "deployed", describe (as the mirror sees it) has no Industry.
        var deployed = false;
        var mirror = app.GetRequiredService<SalesforceMirror>();
        mirror.DescribedTable = table => Volatile.Read(ref deployed) ? table : new MirrorTable(table.ObjectName, [.. table.Columns.Where(c => c.Field != "Industry")]);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var writer = mirror.RunAsync(stop.Token);
        await MirrorHarness.UntilAsync(() => harness.AllLoadedAsync(mirror), "Account is loaded");
        await MirrorHarness.UntilAsync(async () => (await mirror.GetStatusAsync(Ct)).Single().LastSyncedAt is not null, "the writer follows Account");
        Assert.False(await HasColumnAsync(harness, "industry"));
        var pagesLoaded = mirror.PagesRead;

        // The org changes the field meanwhile; then it appears in describe.
        await sf.SObjects.UpdateAsync("Account", accounts[0], new SObject("Account") { ["Industry"] = "Banking" }, Ct);
        Volatile.Write(ref deployed, true);
        await MirrorHarness.UntilAsync(() => HasColumnAsync(harness, "industry"), "the writer added the column");
        var last = string.Empty;
        await MirrorHarness.UntilAsync(async () => (last = await harness.DiffAsync(sf, "Account")).Length == 0, () => $"the new column holds the org's values (last difference: {last})");

        // Change events now fill the column too.
        await sf.SObjects.UpdateAsync("Account", accounts[1], new SObject("Account") { ["Industry"] = "Retail" }, Ct);
        await sf.SObjects.CreateAsync("Account", new SObject("Account") { ["Name"] = "After", ["Industry"] = "Energy" }, Ct);
        await MirrorHarness.UntilAsync(async () => (last = await harness.DiffAsync(sf, "Account")).Length == 0, () => $"change events fill the new column (last difference: {last})");

        await using (var state = harness.DataSource.CreateCommand($"SELECT backfill FROM {MirrorSql.State(harness.Schema)} WHERE object = 'Account'"))
        {
            Assert.Empty((string[])(await state.ExecuteScalarAsync(Ct))!);
        }

        Assert.True(mirror.SchemaChanges >= 1);
        Assert.True(mirror.RowsBackfilled >= accounts.Count);
        Assert.Equal(pagesLoaded, mirror.PagesRead); // no reload: only the new field's values were read
        await stop.CancelAsync();
        await writer;
    }

    private static async Task<bool> HasColumnAsync(MirrorHarness harness, string column)
    {
        await using var command = harness.DataSource.CreateCommand("SELECT count(*) FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'account' AND column_name = $2");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = harness.Schema });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = column });
        return (long)(await command.ExecuteScalarAsync(Ct))! == 1;
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }
}
