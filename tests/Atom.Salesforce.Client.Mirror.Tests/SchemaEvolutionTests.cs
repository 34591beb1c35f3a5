using Atom.Salesforce.Client.Mirror.Schema;
using Atom.Salesforce.Client.Mirror.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Atom.Salesforce.Client.Mirror.Tests;

/// <summary>
/// A mirror table follows describe without losing data: a new field adds a column, a removed field's column stays (and stops
/// updating), a field whose type changed keeps its values (the column widens to text) and the change is reported in the state.
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

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }
}
