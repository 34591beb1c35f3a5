using Atom.Salesforce.Client.Models;
using Atom.Salesforce.Client.Records;

namespace Atom.Salesforce.Client.Composite;

/// <summary>
/// One record of an sObject Tree insert, with its child records by relationship name (<c>Contacts</c> under an Account).
/// After <see cref="CompositeClient.CreateTreeAsync"/>, <see cref="Id"/> (and the <see cref="SObject.Id"/> of an
/// <see cref="SObject"/> record) holds the new id, or <see cref="Errors"/> says why the tree was refused.
/// </summary>
public sealed class TreeRecord
{
    private readonly List<KeyValuePair<string, List<TreeRecord>>> _children = [];

    /// <summary>Describes a record to insert.</summary>
    /// <param name="sObjectType">The record's sObject API name.</param>
    /// <param name="record">Its fields: a POCO or an <see cref="SObject"/>.</param>
    /// <param name="referenceId">Its name in the results; generated when null.</param>
    public TreeRecord(string sObjectType, object record, string? referenceId = null)
    {
        RecordNames.ThrowIfInvalidName(sObjectType, nameof(sObjectType));
        ArgumentNullException.ThrowIfNull(record);
        if (referenceId is not null)
        {
            CompositeSubrequest.ThrowIfInvalidReferenceId(referenceId, nameof(referenceId));
        }

        SObjectType = sObjectType;
        Record = record;
        ReferenceId = referenceId;
    }

    /// <summary>The record's sObject API name.</summary>
    public string SObjectType { get; }

    /// <summary>The record's fields.</summary>
    public object Record { get; }

    /// <summary>The record's referenceId (generated ones are set when the tree is sent).</summary>
    public string? ReferenceId { get; internal set; }

    /// <summary>The new record's id, once the tree is saved.</summary>
    public string? Id { get; internal set; }

    /// <summary>Why Salesforce refused this record; empty when it did not.</summary>
    public IReadOnlyList<SalesforceError> Errors { get; internal set; } = [];

    /// <summary>The child records, by child relationship name, in the order they were added.</summary>
    public IReadOnlyList<KeyValuePair<string, List<TreeRecord>>> Children => _children;

    /// <summary>Adds child records under the relationship <paramref name="relationshipName"/> (for example <c>Contacts</c>).</summary>
    /// <returns>This record, for chaining.</returns>
    public TreeRecord AddChildren(string relationshipName, params TreeRecord[] children)
    {
        RecordNames.ThrowIfInvalidName(relationshipName, nameof(relationshipName));
        ArgumentNullException.ThrowIfNull(children);
        var list = children.ToList();
        if (list.Any(c => c is null))
        {
            throw new ArgumentException("A child record is null.", nameof(children));
        }

        var existing = _children.FindIndex(c => string.Equals(c.Key, relationshipName, StringComparison.OrdinalIgnoreCase));
        if (existing >= 0)
        {
            _children[existing].Value.AddRange(list);
        }
        else
        {
            _children.Add(new(relationshipName, list));
        }

        return this;
    }

    internal IEnumerable<TreeRecord> SelfAndDescendants()
    {
        yield return this;
        foreach (var (_, children) in _children)
        {
            foreach (var child in children)
            {
                foreach (var node in child.SelfAndDescendants())
                {
                    yield return node;
                }
            }
        }
    }

    internal int Depth() => 1 + (_children.Count == 0 ? 0 : _children.SelectMany(c => c.Value).Max(c => c.Depth()));
}

/// <summary>The outcome of an sObject Tree insert: all records saved, or none.</summary>
public sealed class TreeResult
{
    internal TreeResult(bool hasErrors, IReadOnlyList<TreeRecord> records)
    {
        HasErrors = hasErrors;
        Records = records;
    }

    /// <summary>True when Salesforce refused the tree; nothing was saved and the failing records carry <see cref="TreeRecord.Errors"/>.</summary>
    public bool HasErrors { get; }

    /// <summary>Every record of the tree, parents before their children, with its id or its errors.</summary>
    public IReadOnlyList<TreeRecord> Records { get; }
}
