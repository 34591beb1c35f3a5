namespace Atom.Salesforce.Client.Streaming;

/// <summary>
/// What a Change Data Capture event reports (<c>ChangeEventHeader.changeType</c>). Gap events (<c>GAP_*</c>) carry no field
/// values: read the records by id. An overflow event (<c>GAP_OVERFLOW</c>) stands for the changes of one transaction beyond
/// 100,000 and names only the entity: resynchronise that entity.
/// </summary>
public enum ChangeType
{
    /// <summary>A change type this SDK does not know; see <see cref="ChangeEventHeader.ChangeTypeName"/>.</summary>
    Unknown,

    /// <summary><c>CREATE</c>: records were created.</summary>
    Create,

    /// <summary><c>UPDATE</c>: records were updated; <see cref="ChangeEventHeader.ChangedFields"/> names the fields.</summary>
    Update,

    /// <summary><c>DELETE</c>: records were deleted.</summary>
    Delete,

    /// <summary><c>UNDELETE</c>: records were restored from the recycle bin.</summary>
    Undelete,

    /// <summary><c>GAP_CREATE</c>: records were created, but no change event could be made; read them by id.</summary>
    GapCreate,

    /// <summary><c>GAP_UPDATE</c>: records were updated, but no change event could be made; read them by id.</summary>
    GapUpdate,

    /// <summary><c>GAP_DELETE</c>: records were deleted, but no change event could be made.</summary>
    GapDelete,

    /// <summary><c>GAP_UNDELETE</c>: records were undeleted, but no change event could be made; read them by id.</summary>
    GapUndelete,

    /// <summary><c>GAP_OVERFLOW</c>: one transaction changed more than 100,000 records; this event names only the entity.</summary>
    GapOverflow,
}
