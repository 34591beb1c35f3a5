using System.Security;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Atom.Salesforce.Emulator.Data;

namespace Atom.Salesforce.Emulator.Soap;

/// <summary>
/// SOAP partner <c>merge(MergeRequest[])</c> (SOAP API Developer Guide, "merge()", "MergeRequest", "MergeResult"): each
/// request names a master record (<c>masterRecord</c>: an sObject with its <c>type</c>, <c>Id</c> and the field values
/// that should win, as in an update) and one or two records to merge into it (<c>recordToMergeIds</c>). The records must
/// be of the master's type, one of Account, Contact and Lead (the guide's supported types that the org has). Related
/// records of the merged ("victim") records are reparented to the master, the victims go to the recycle bin with
/// <c>MasterRecordId</c> set (queryAll shows them, as the guide says), and each request is its own transaction. The
/// MergeResult's elements are in the WSDL's order: errors, id, mergedRecordIds, success, updatedRelatedIds.
/// </summary>
internal static class PartnerMerge
{
    /// <summary>"Up to 200 merge requests can be made in a single SOAP call" (merge(), limits).</summary>
    public const int MaxRequests = 200;

    private static readonly XNamespace Partner = "urn:partner.soap.sforce.com";
    private static readonly XNamespace Xsi = "http://www.w3.org/2001/XMLSchema-instance";

    public static string Run(Org org, XElement operation)
    {
        // The partner WSDL names each MergeRequest "request"; jsforce's conn.soap.merge() sends "mergeRequests" (its
        // SoapApi.merge), so both are read. What Salesforce answers to the second name is not recorded in our sources.
        var requests = operation.Elements().Where(e => e.Name == Partner + "request" || e.Name == Partner + "mergeRequests").ToList();
        if (requests.Count > MaxRequests)
        {
            // The limit is documented; the fault Salesforce gives past it is not recorded in our sources.
            throw new SoapFaultException("LIMIT_EXCEEDED", $"Exceeded max size limit of {MaxRequests}");
        }

        var results = new StringBuilder("<mergeResponse>");
        foreach (var request in requests)
        {
            results.Append(MergeOne(org, request));
        }

        return results.Append("</mergeResponse>").ToString();
    }

    private static string MergeOne(Org org, XElement request)
    {
        var master = request.Element(Partner + "masterRecord");
        var masterId = master?.Elements().FirstOrDefault(e => e.Name.LocalName == "Id")?.Value.Trim();
        var victimIds = request.Elements(Partner + "recordToMergeIds").Select(e => e.Value.Trim()).ToList();
        lock (org.SyncRoot)
        {
            var savepoint = org.Savepoint();
            try
            {
                var (masterRecord, reparented) = Merge(org, master, masterId, victimIds);
                org.Commit(savepoint);
                return "<result>"
                    + $"<id>{masterRecord.Id}</id>"
                    + string.Concat(victimIds.Select(id => $"<mergedRecordIds>{RecordIds.Normalize(id)}</mergedRecordIds>"))
                    + "<success>true</success>"
                    + string.Concat(reparented.Select(id => $"<updatedRelatedIds>{id}</updatedRelatedIds>"))
                    + "</result>";
            }
            catch (ApiException e)
            {
                org.RollbackTo(savepoint);
                var error = e.Errors[0];
                var fields = string.Concat((error.Fields ?? []).Select(f => $"<fields>{SecurityElement.Escape(f)}</fields>"));
                return $"<result><errors>{fields}<message>{SecurityElement.Escape(error.Message)}</message><statusCode>{error.ErrorCode}</statusCode></errors>"
                    + (masterId is { Length: > 0 } ? $"<id>{SecurityElement.Escape(masterId)}</id>" : "<id xsi:nil=\"true\"/>")
                    + "<success>false</success></result>";
            }
        }
    }

    private static (StoredRecord Master, List<string> Reparented) Merge(Org org, XElement? master, string? masterId, List<string> victimIds)
    {
        var record = masterId is null ? null : org.Find(masterId);
        if (record is null || record.IsDeleted)
        {
            // The guide does not give the error of a missing master; INVALID_CROSS_REFERENCE_KEY is the API's answer to
            // an id that names no live record (as undelete and convertLead answer).
            throw new ApiException(400, "INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", "Id");
        }

        var obj = record.Schema;
        var type = master!.Elements().FirstOrDefault(e => e.Name.LocalName == "type")?.Value.Trim();
        if (type is { Length: > 0 } && !type.Equals(obj.Name, StringComparison.OrdinalIgnoreCase))
        {
            throw new ApiException(400, "INVALID_TYPE", $"Id {record.Id} is not of type {type}");
        }

        if (obj.Name is not ("Account" or "Contact" or "Lead"))
        {
            throw new ApiException(400, "INVALID_TYPE_FOR_OPERATION", $"entity type {obj.Name} does not support merge");
        }

        if (victimIds.Count is 0 or > 2)
        {
            // "Up to three records can be merged in a single request, including the master record." The status code of
            // a request past the limit is not documented; our sources record none.
            throw new ApiException(400, "INVALID_ARGUMENT_VALUE", victimIds.Count == 0
                ? "recordToMergeIds: at least one record to merge is required"
                : "recordToMergeIds: a merge takes at most three records, including the master record");
        }

        var victims = new List<StoredRecord>();
        foreach (var id in victimIds)
        {
            var victim = org.Find(id);
            if (victim is null || victim.IsDeleted || victim.Schema != obj)
            {
                throw new ApiException(400, victim?.IsDeleted == true ? "ENTITY_IS_DELETED" : "INVALID_CROSS_REFERENCE_KEY",
                    victim?.IsDeleted == true ? "entity is deleted" : "invalid cross reference id", "recordToMergeIds");
            }

            if (victim.Id == record.Id)
            {
                throw new ApiException(400, "INVALID_ARGUMENT_VALUE", "recordToMergeIds: the master record cannot be merged into itself");
            }

            victims.Add(victim);
        }

        // The values that supersede the master's, written "similar to a call to update" (merge(), usage).
        var values = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        foreach (var element in master.Elements())
        {
            var name = element.Name.LocalName;
            if (name is "type" or "Id")
            {
                continue;
            }

            if (name == "fieldsToNull")
            {
                var nulled = obj.Field(element.Value.Trim()) ?? throw ApiException.InvalidField($"No such column '{element.Value.Trim()}' on entity '{obj.Name}'");
                values[nulled.Name] = null;
                continue;
            }

            var field = obj.Field(name) ?? throw ApiException.InvalidField($"No such column '{name}' on entity '{obj.Name}'");
            values[field.Name] = element.Attribute(Xsi + "nil")?.Value == "true"
                ? null
                : FieldValues.FromJson(field, JsonSerializer.SerializeToElement(element.Value));
        }

        if (values.Count > 0)
        {
            org.Update(obj, record.Id, values);
        }

        var reparented = new List<string>();
        foreach (var victim in victims)
        {
            foreach (var child in obj.ChildRelationships)
            {
                foreach (var dependant in org.Records(child.Child).Where(r => Equals(r[child.Field.Name], victim.Id) && r.Id != record.Id).ToList())
                {
                    org.SeedUpdate(child.Child.Name, dependant.Id, new Dictionary<string, object?> { [child.Field.Name] = record.Id });
                    if (!reparented.Contains(dependant.Id))
                    {
                        reparented.Add(dependant.Id);
                    }
                }
            }

            org.SeedUpdate(obj.Name, victim.Id, new Dictionary<string, object?> { ["MasterRecordId"] = record.Id });
            org.Delete(obj, victim.Id);
        }

        return (record, reparented);
    }
}

/// <summary>A whole SOAP call refused with an API fault (<c>sf:CODE</c>), not a per-record error.</summary>
internal sealed class SoapFaultException(string code, string message, string detailType = "UnexpectedErrorFault") : Exception(message)
{
    public string Code { get; } = code;

    public string DetailType { get; } = detailType;
}
