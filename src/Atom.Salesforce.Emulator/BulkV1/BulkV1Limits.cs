using System.IO.Compression;

namespace Atom.Salesforce.Emulator.BulkV1;

/// <summary>
/// Bulk API 1.0's batch limits and its ZIP batches (BULK <c>asynch_api_concepts_limits.htm</c>, "Batch size", and
/// "General Limits" / <c>binary_intro.htm</c>, "Load Binary Attachments").
/// <list type="bullet">
/// <item>A batch upload larger than 10,000,000 bytes is refused when it is added: HTTP 400 <c>ClientInputError</c>
/// "Failed to read request. Exceeded max size limit of 10000000", the answer clients record (jsforce#31,
/// eltoroit/ETCopyData#43). The guide gives both 10 MB and 10,000,000 characters; the emulator counts bytes.</item>
/// <item>A batch of more than 10,000 records fails as a whole, nothing saved, with the stateMessage
/// "InvalidBatch : Exceeded number of records: 10002. Number of records should be less than or equal to 10001", the text
/// recorded for a Bulk API 1.0 batch (salesforce.stackexchange.com/questions/332337; the Java WSC's CSVReader writes the
/// same numbers: the header counts as a record and the reader stops at the first record too many, so the numbers do not
/// grow with the batch).</item>
/// <item>ZIP_CSV, ZIP_XML and ZIP_JSON jobs take <c>zip/csv</c>, <c>zip/xml</c> and <c>zip/json</c> batches: a zip whose
/// <c>request.txt</c> holds the batch's records in the job's format, next to the binary files it names as
/// <c>#file</c>. The org has no binary (base64) fields, so request.txt is loaded as a CSV, XML or JSON batch. A zip
/// larger than 10 MB, with more than 1,000 files, more than 20 MB unzipped, or without a readable request.txt is
/// refused with <c>InvalidBatch</c> (the code the errors page gives for these cases; its message text is not
/// documented, so ours is our own).</item>
/// </list>
/// </summary>
internal static class BulkV1Limits
{
    public const int MaxBatchBytes = 10_000_000;
    public const int MaxBatchRecords = 10_000;
    public const int MaxZipFiles = 1_000;
    public const long MaxUnzippedBytes = 20L * 1024 * 1024;

    public static string TooLargeMessage => $"Failed to read request. Exceeded max size limit of {MaxBatchBytes}";

    public static string TooManyRecordsMessage => $"Exceeded number of records: {MaxBatchRecords + 2}. Number of records should be less than or equal to {MaxBatchRecords + 1}";

    /// <summary>The job content types (BULK <c>asynch_api_reference_jobinfo.htm</c>, contentType).</summary>
    public static bool IsContentType(string value) => value is "CSV" or "XML" or "JSON" or "ZIP_CSV" or "ZIP_XML" or "ZIP_JSON";

    /// <summary>The content type of a job's batches: <c>text/csv</c>, <c>application/xml</c>, <c>application/json</c>, <c>zip/csv</c>, ...</summary>
    public static string BatchContentType(string jobContentType) => jobContentType switch
    {
        "CSV" => "text/csv",
        "JSON" => "application/json",
        "ZIP_CSV" => "zip/csv",
        "ZIP_XML" => "zip/xml",
        "ZIP_JSON" => "zip/json",
        _ => "application/xml",
    };

    /// <summary>The records of a zip batch: its <c>request.txt</c>; null with the reason when the zip cannot be used.</summary>
    public static byte[]? ReadZipRequest(byte[] zip, out string? problem)
    {
        problem = null;
        try
        {
            using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
            var files = archive.Entries.Where(e => !e.FullName.EndsWith('/')).ToList();
            if (files.Count > MaxZipFiles)
            {
                problem = $"The zip file contains more than {MaxZipFiles} files";
                return null;
            }

            if (files.Sum(e => e.Length) > MaxUnzippedBytes)
            {
                problem = $"The total size of the unzipped content exceeds {MaxUnzippedBytes} bytes";
                return null;
            }

            var request = files.FirstOrDefault(e => e.FullName == "request.txt");
            if (request is null)
            {
                problem = "The zip file has no request.txt";
                return null;
            }

            using var stream = request.Open();
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            return buffer.ToArray();
        }
        catch (InvalidDataException e)
        {
            problem = $"The zip content is malformed: {e.Message}";
            return null;
        }
    }
}
