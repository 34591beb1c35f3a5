namespace Atom.Salesforce.Client.Streaming.Tests.Infrastructure;

/// <summary>
/// Event schemas shaped as Salesforce publishes them: a change event with the <c>ChangeEventHeader</c> record first and
/// every record field optional (a union with null), compound fields as nested records; a platform event with the required
/// <c>CreatedDate</c> and <c>CreatedById</c>.
/// </summary>
internal static class TestSchemas
{
    public const string AccountChangeEventId = "Jx8Hz9ElkIUaBf-heF1ShA";
    public const string OrderEventId = "5kiK9H2Z_sKhpVWmB4Bk9w";

    private const string Header = """
        {"name":"ChangeEventHeader","type":{"type":"record","name":"ChangeEventHeader","namespace":"com.sforce.eventbus","fields":[
          {"name":"entityName","type":"string"},
          {"name":"recordIds","type":{"type":"array","items":"string"}},
          {"name":"changeType","type":{"type":"enum","name":"ChangeType","namespace":"com.sforce.eventbus",
            "symbols":["CREATE","UPDATE","DELETE","UNDELETE","GAP_CREATE","GAP_UPDATE","GAP_DELETE","GAP_UNDELETE","GAP_OVERFLOW","SNAPSHOT"]}},
          {"name":"changeOrigin","type":"string"},
          {"name":"transactionKey","type":"string"},
          {"name":"sequenceNumber","type":"int"},
          {"name":"commitTimestamp","type":"long"},
          {"name":"commitNumber","type":"long"},
          {"name":"commitUser","type":"string"},
          {"name":"nulledFields","type":{"type":"array","items":"string"}},
          {"name":"diffFields","type":{"type":"array","items":"string"}},
          {"name":"changedFields","type":{"type":"array","items":"string"}}]}}
        """;

    /// <summary>The compound address record (Account's BillingAddress and ShippingAddress).</summary>
    private const string Address = """
        {"type":"record","name":"Address","fields":[
          {"name":"Street","type":["null","string"],"default":null},
          {"name":"City","type":["null","string"],"default":null},
          {"name":"State","type":["null","string"],"default":null},
          {"name":"PostalCode","type":["null","string"],"default":null},
          {"name":"Country","type":["null","string"],"default":null},
          {"name":"Latitude","type":["null","double"],"default":null},
          {"name":"Longitude","type":["null","double"],"default":null},
          {"name":"GeocodeAccuracy","type":["null","string"],"default":null}]}
        """;

    /// <summary>An AccountChangeEvent's first fields, as both account schemas start: 0 the header, 1 Name, 2 Type, 3 ParentId, 4 BillingAddress.</summary>
    private static readonly string AccountFirstFields = $$"""
        {{Header}},
        {"name":"Name","type":["null","string"],"default":null},
        {"name":"Type","type":["null","string"],"default":null},
        {"name":"ParentId","type":["null","string"],"default":null},
        {"name":"BillingAddress","type":["null",{{Address}}],"default":null}
        """;

    /// <summary>AccountChangeEvent: field 0 the header, 1 Name, 2 Type, 3 ParentId, 4 BillingAddress (compound), 5 Phone, 6 Industry, 7 AnnualRevenue, 8 NumberOfEmployees, 9 LastModifiedDate.</summary>
    public static readonly string AccountChangeEvent = $$"""
        {"type":"record","name":"AccountChangeEvent","namespace":"com.sforce.eventbus","fields":[
          {{AccountFirstFields}},
          {"name":"Phone","type":["null","string"],"default":null},
          {"name":"Industry","type":["null","string"],"default":null},
          {"name":"AnnualRevenue","type":["null","double"],"default":null},
          {"name":"NumberOfEmployees","type":["null","int"],"default":null},
          {"name":"LastModifiedDate","type":["null","long"],"doc":"Data:DateTime","default":null}]}
        """;

    /// <summary>
    /// AccountChangeEvent with a standard Account's fields (the Avro decode benchmark's, which links this file): the header, then
    /// 30 record fields, BillingAddress (4) and ShippingAddress (5) compound.
    /// </summary>
    public static readonly string AccountChangeEventAllFields = $$"""
        {"type":"record","name":"AccountChangeEvent","namespace":"com.sforce.eventbus","fields":[
          {{AccountFirstFields}},
          {"name":"ShippingAddress","type":["null","Address"],"default":null},
          {"name":"Phone","type":["null","string"],"default":null},
          {"name":"Fax","type":["null","string"],"default":null},
          {"name":"AccountNumber","type":["null","string"],"default":null},
          {"name":"Website","type":["null","string"],"default":null},
          {"name":"Sic","type":["null","string"],"default":null},
          {"name":"Industry","type":["null","string"],"default":null},
          {"name":"AnnualRevenue","type":["null","double"],"default":null},
          {"name":"NumberOfEmployees","type":["null","int"],"default":null},
          {"name":"Ownership","type":["null","string"],"default":null},
          {"name":"TickerSymbol","type":["null","string"],"default":null},
          {"name":"Description","type":["null","string"],"default":null},
          {"name":"Rating","type":["null","string"],"default":null},
          {"name":"Site","type":["null","string"],"default":null},
          {"name":"OwnerId","type":["null","string"],"default":null},
          {"name":"CreatedDate","type":["null","long"],"default":null},
          {"name":"CreatedById","type":["null","string"],"default":null},
          {"name":"LastModifiedDate","type":["null","long"],"default":null},
          {"name":"LastModifiedById","type":["null","string"],"default":null},
          {"name":"Jigsaw","type":["null","string"],"default":null},
          {"name":"JigsawCompanyId","type":["null","string"],"default":null},
          {"name":"CleanStatus","type":["null","string"],"default":null},
          {"name":"AccountSource","type":["null","string"],"default":null},
          {"name":"SicDesc","type":["null","string"],"default":null},
          {"name":"Active__c","type":["null","string"],"default":null},
          {"name":"NumberofLocations__c","type":["null","double"],"default":null}]}
        """;

    /// <summary>A custom platform event as Salesforce defines one (its two required system fields, then the custom fields).</summary>
    public const string OrderEvent = """
        {"type":"record","name":"Order_Event__e","namespace":"com.sforce.eventbus","fields":[
          {"name":"CreatedDate","type":"long","doc":"CreatedDate:DateTime"},
          {"name":"CreatedById","type":"string","doc":"CreatedBy:EntityId"},
          {"name":"Order_Number__c","type":["null","string"],"default":null},
          {"name":"City__c","type":["null","string"],"default":null},
          {"name":"Amount__c","type":["null","double"],"default":null},
          {"name":"Has_Shipped__c","type":["null","boolean"],"default":null}]}
        """;

    /// <summary>Every Avro type and logical type the decoder must read.</summary>
    public const string KitchenSink = """
        {"type":"record","name":"Sink","namespace":"test.avro","fields":[
          {"name":"n","type":"null"},
          {"name":"b","type":"boolean"},
          {"name":"i","type":"int"},
          {"name":"l","type":"long"},
          {"name":"f","type":"float"},
          {"name":"d","type":"double"},
          {"name":"bytes","type":"bytes"},
          {"name":"s","type":"string"},
          {"name":"e","type":{"type":"enum","name":"Colour","symbols":["RED","GREEN","BLUE"]}},
          {"name":"fx","type":{"type":"fixed","name":"Four","size":4}},
          {"name":"arr","type":{"type":"array","items":"long"}},
          {"name":"map","type":{"type":"map","values":["null","string"]}},
          {"name":"u","type":["null","string","long"]},
          {"name":"nested","type":{"type":"record","name":"Inner","fields":[{"name":"x","type":"int"},{"name":"tags","type":{"type":"array","items":"string"}}]}},
          {"name":"again","type":["null","Inner"]},
          {"name":"colours","type":{"type":"array","items":"Colour"}},
          {"name":"dec","type":{"type":"bytes","logicalType":"decimal","precision":12,"scale":2}},
          {"name":"day","type":{"type":"int","logicalType":"date"}},
          {"name":"ts","type":{"type":"long","logicalType":"timestamp-millis"}},
          {"name":"id","type":{"type":"string","logicalType":"uuid"}}]}
        """;
}
