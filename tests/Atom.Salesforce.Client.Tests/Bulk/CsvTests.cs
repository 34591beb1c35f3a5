using System.Buffers;
using System.Text;
using Atom.Salesforce.Client.Bulk;
using Atom.Salesforce.Client.Tests.Infrastructure;

namespace Atom.Salesforce.Client.Tests.Bulk;

public sealed class CsvTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Write(char delimiter, params string[][] rows)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new CsvWriter(buffer, delimiter);
        foreach (var row in rows)
        {
            foreach (var cell in row)
            {
                writer.WriteField(cell);
            }

            writer.EndRow();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static async Task<List<string[]>> Read(string csv, char delimiter = ',', int bufferSize = 32 * 1024)
    {
        using var reader = new CsvReader(new MemoryStream(Encoding.UTF8.GetBytes(csv)), delimiter, bufferSize);
        var rows = new List<string[]>();
        while (await reader.ReadRowAsync(Ct) is { } row)
        {
            rows.Add(row);
        }

        return rows;
    }

    [Fact]
    public void Writer_quotes_only_values_that_need_it_and_doubles_quotes()
    {
        var csv = Write(',', ["plain", "with,comma", "say \"hi\"", "two\nlines", "cr\rlf", "", " padded ", "Zoë 日本 🚀", "#N/A"]);

        Assert.Equal("plain,\"with,comma\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\rlf\",, padded ,Zoë 日本 🚀,#N/A\n", csv);
    }

    [Fact]
    public void Writer_quotes_the_configured_delimiter_only()
    {
        Assert.Equal("a`\"b`c\"`d,e\n", Write('`', ["a", "b`c", "d,e"]));
    }

    [Theory]
    [InlineData(32 * 1024)]
    [InlineData(3)]
    public async Task Reader_round_trips_every_edge_case_whatever_the_buffer_size(int bufferSize)
    {
        string[][] rows =
        [
            ["Name", "Description", "Empty", "Unicode"],
            ["with,comma", "say \"hi\"\nand\r\nbye", "", "Zoë 日本 🚀"],
            ["#N/A", "\"\"", ",", " x "],
        ];

        var parsed = await Read(Write(',', rows), bufferSize: bufferSize);

        Assert.Equal(rows, parsed);
    }

    [Fact]
    public async Task Reader_accepts_CRLF_skips_blank_lines_and_keeps_trailing_empty_values()
    {
        var parsed = await Read("a,b\r\n\r\n1,\r\n\"x\",\"\"\r\n");

        Assert.Equal([["a", "b"], ["1", ""], ["x", ""]], parsed);
    }

    [Fact]
    public async Task Reader_refuses_an_unterminated_quote()
    {
        await Assert.ThrowsAsync<FormatException>(() => Read("a,\"open\n"));
    }

    [Fact]
    public async Task Reader_reads_the_recorded_upload_samples()
    {
        var sample = await Read(Fixtures.Read("bulk2/ingest_upload_sample.jsforce.csv"));
        var backquote = await Read(Fixtures.Read("bulk2/ingest_upload_backquote.jsforce.csv"), '`');

        Assert.Equal(30, sample[0].Length);
        Assert.All(sample, row => Assert.Equal(30, row.Length));
        Assert.Equal("345 Shoreline Park\nMountain View, CA 94043\nUSA", sample[1][3]);
        Assert.Equal(11, backquote.Count);
        Assert.Equal(["account #9", "Account", "415-555-0000", "http://www.accountUpsert9.com", "9000"], backquote[10]);
    }

    [Theory]
    [InlineData("INVALID_FIELD:Foreign key external ID: c9 not found", "INVALID_FIELD", "Foreign key external ID: c9 not found", "")]
    [InlineData("REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --", "REQUIRED_FIELD_MISSING", "Required fields are missing: [Name]", "Name")]
    [InlineData("Error Message", "UNEXPECTED_RESPONSE", "Error Message", "")]
    public void Error_cells_become_typed_errors(string cell, string code, string message, string fields)
    {
        var error = CsvValues.ParseError(cell);

        Assert.Equal(code, error.ErrorCode);
        Assert.Equal(message, error.Message);
        Assert.Equal(fields.Length == 0 ? [] : fields.Split(','), error.Fields);
    }
}
