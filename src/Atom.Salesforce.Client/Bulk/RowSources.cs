using Atom.Salesforce.Client.Errors;
using Atom.Salesforce.Client.Json;
using Atom.Salesforce.Client.Records;

namespace Atom.Salesforce.Client.Bulk;

/// <summary>The rows of an ingest, one at a time: the current columns, and the cells of the current row.</summary>
internal abstract class RowSource : IDisposable
{
    public List<string> Columns { get; protected set; } = [];

    /// <summary>True when the current row needs a different header than the rows before it (a new job).</summary>
    public bool ColumnsChanged { get; protected set; }

    public string[] Cells { get; protected set; } = [];

    public abstract ValueTask<bool> MoveNextAsync(CancellationToken cancellationToken);

    public abstract void Dispose();
}

/// <summary>Rows from POCOs or SObjects.</summary>
internal sealed class RecordRowSource<T> : RowSource
{
    private readonly IEnumerator<T> _records;
    private readonly CsvRecordWriter _writer;
    private HashSet<string> _columnSet = new(StringComparer.OrdinalIgnoreCase);
    private int _index;

    public RecordRowSource(IEnumerable<T> records, SalesforceSerializer serializer, SaveOperation operation, IReadOnlyList<string>? columns)
    {
        _records = records.GetEnumerator();
        _writer = new CsvRecordWriter(serializer, operation, columns);
    }

    public override ValueTask<bool> MoveNextAsync(CancellationToken cancellationToken)
    {
        if (!_records.MoveNext())
        {
            return ValueTask.FromResult(false);
        }

        var record = (object?)_records.Current ?? throw CallerArgument.Invalid($"Record {_index} is null.", "records");
        ColumnsChanged = _index == 0 || _writer.NeedsNewColumns(record, _columnSet);
        if (ColumnsChanged)
        {
            Columns = _writer.ColumnsFor(record);
            _columnSet = new HashSet<string>(Columns, StringComparer.OrdinalIgnoreCase);
            Cells = new string[Columns.Count];
        }
        else
        {
            Cells = new string[Columns.Count];
        }

        _writer.Cells(record, Columns, Cells);
        _index++;
        return ValueTask.FromResult(true);
    }

    public override void Dispose() => _records.Dispose();
}

/// <summary>Rows from a caller's CSV stream; the first row is the header.</summary>
internal sealed class CsvRowSource : RowSource
{
    private readonly CsvReader _reader;
    private bool _started;

    public CsvRowSource(Stream csv, char delimiter) => _reader = new CsvReader(csv, delimiter);

    public override async ValueTask<bool> MoveNextAsync(CancellationToken cancellationToken)
    {
        if (!_started)
        {
            _started = true;
            var header = await _reader.ReadRowAsync(cancellationToken).ConfigureAwait(false)
                ?? throw CallerArgument.Invalid("The CSV stream is empty; it needs a header row.", "csv");
            Columns = [.. header];
            ColumnsChanged = true;
        }
        else
        {
            ColumnsChanged = false;
        }

        var row = await _reader.ReadRowAsync(cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            return false;
        }

        if (row.Length != Columns.Count)
        {
            throw new FormatException($"A CSV row has {row.Length} values for {Columns.Count} columns.");
        }

        Cells = row;
        return true;
    }

    public override void Dispose() => _reader.Dispose();
}

/// <summary>The input rows of one job by the hash of their cells, so that result rows (which come back in any order) find their input.</summary>
internal sealed class RowKeys(int start, List<string> columns)
{
    private readonly Dictionary<ulong, int> _head = [];
    private readonly List<int> _next = [];

    public int Start { get; } = start;

    public List<string> Columns { get; } = columns;

    public int Count => _next.Count;

    public void Add(string[] cells)
    {
        var key = Hash(cells, null);
        _next.Add(_head.TryGetValue(key, out var head) ? head : -1);
        _head[key] = _next.Count - 1;
    }

    /// <summary>The input index of a result row whose original cells are at <paramref name="positions"/>; -1 when unknown.</summary>
    public int Take(string[] row, int[] positions)
    {
        var key = Hash(row, positions);
        if (!_head.TryGetValue(key, out var head))
        {
            return -1;
        }

        var next = _next[head];
        if (next < 0)
        {
            _head.Remove(key);
        }
        else
        {
            _head[key] = next;
        }

        return Start + head;
    }

    // FNV-1a over the cells, with a separator that CSV text cannot confuse with content boundaries.
    private static ulong Hash(string[] cells, int[]? positions)
    {
        var hash = 14695981039346656037UL;
        var count = positions?.Length ?? cells.Length;
        for (var i = 0; i < count; i++)
        {
            var cell = positions is null ? cells[i] : positions[i] < 0 || positions[i] >= cells.Length ? string.Empty : cells[positions[i]];
            foreach (var c in cell)
            {
                hash = (hash ^ c) * 1099511628211UL;
            }

            hash = (hash ^ 0x1F_0000UL) * 1099511628211UL;
        }

        return hash;
    }
}
