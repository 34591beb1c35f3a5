using System.Globalization;
using System.Text.RegularExpressions;
using Atom.Salesforce.Client.Records;

namespace Atom.Salesforce.Client.Composite;

/// <summary>
/// One subrequest of a <see cref="CompositeRequest"/>, <see cref="CompositeBatchRequest"/> or <see cref="CompositeGraph"/>,
/// as returned by their builder methods. Use <see cref="Reference(string)"/> to feed a field of its result into a later
/// subrequest (<c>@{referenceId.field}</c>), and pass it to <see cref="CompositeResult.this[CompositeSubrequest]"/> to read its result.
/// </summary>
public sealed partial class CompositeSubrequest
{
    internal CompositeSubrequest(string method, string path, object? body, string referenceId, bool countsAsQueryOrCollection)
    {
        Method = method;
        Path = path;
        Body = body;
        ReferenceId = referenceId;
        CountsAsQueryOrCollection = countsAsQueryOrCollection;
    }

    /// <summary>The HTTP method: GET, POST, PATCH, PUT or DELETE.</summary>
    public string Method { get; }

    /// <summary>The resource path after the version, for example <c>sobjects/Account</c>.</summary>
    public string Path { get; }

    /// <summary>The referenceId that names this subrequest in references and results.</summary>
    public string ReferenceId { get; }

    /// <summary>The id of the record this subrequest creates, as a reference for later subrequests: <c>@{referenceId.id}</c>.</summary>
    public string IdReference => Reference("id");

    internal object? Body { get; }

    internal bool CountsAsQueryOrCollection { get; }

    /// <summary>
    /// A reference to a value of this subrequest's result, resolved by Salesforce: <c>@{referenceId.field}</c>. References are
    /// case-sensitive: a create answers <c>id</c>; a GET of a record answers <c>Id</c>; a query answers <c>records[0].Id</c>.
    /// </summary>
    /// <param name="path">The path into the result, for example <c>id</c>, <c>Name</c>, <c>records[0].Id</c>, or <c>[1].id</c> for a collection's second record.</param>
    public string Reference(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!ReferencePath().IsMatch(path))
        {
            throw new ArgumentException($"'{path}' is not a reference path (field names, dots and [index]).", nameof(path));
        }

        // A collection's result is an array: its path starts with an index and joins the referenceId without a dot.
        return "@{" + ReferenceId + (path[0] == '[' ? string.Empty : ".") + path + "}";
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{ReferenceId}: {Method} {Path}");

    /// <summary>A record id, or a reference to one (<c>@{ref.id}</c>); anything else cannot reach a URL.</summary>
    internal static void ThrowIfInvalidIdOrReference(string? id, string paramName)
    {
        ArgumentException.ThrowIfNullOrEmpty(id, paramName);
        if (!FullReference().IsMatch(id))
        {
            RecordNames.ThrowIfInvalidId(id, paramName);
        }
    }

    internal static void ThrowIfInvalidReferenceId(string? referenceId, string paramName)
    {
        ArgumentException.ThrowIfNullOrEmpty(referenceId, paramName);
        if (!ReferenceIdPattern().IsMatch(referenceId))
        {
            throw new ArgumentException(
                $"'{referenceId}' is not a referenceId: it must start with a letter or digit and hold only letters, digits and '_'.", paramName);
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_]{0,79}\z")]
    private static partial Regex ReferenceIdPattern();

    [GeneratedRegex(@"^(\[[0-9]+\]|[A-Za-z_][A-Za-z0-9_]*(\[[0-9]+\])?)(\.[A-Za-z_][A-Za-z0-9_]*(\[[0-9]+\])?){0,9}\z")]
    private static partial Regex ReferencePath();

    [GeneratedRegex(@"^@\{[A-Za-z0-9][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*(\[[0-9]+\])?){1,10}\}\z")]
    private static partial Regex FullReference();
}
