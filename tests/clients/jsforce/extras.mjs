// jsforce's list views (`SObject#listviews`, `SObject#listview(id).results()` / `.describe()`), layouts
// (`SObject#layouts`, `#compactLayouts`), quick actions (`conn.quickActions`, `SObject#quickActions`,
// `SObject#quickAction(name).describe()` / `.defaultValues(contextId)`) and SOAP merge (`conn.soap.merge`), as its users
// write them, against the emulator: `node extras.mjs <instanceUrl> <accessToken>`.
// Prints one JSON object with what it saw; any error exits non-zero.
import jsforce from 'jsforce';

const [, , instanceUrl, accessToken] = process.argv;
const conn = new jsforce.Connection({ instanceUrl, accessToken, version: '66.0' });
const seen = {};

const created = await conn.sobject('Account').create([{ Name: 'Extras Master' }, { Name: 'Extras Victim' }], { allOrNone: true });
const [master, victim] = created.map((r) => r.id);
const contact = await conn.sobject('Contact').create({ LastName: 'Extras', AccountId: victim });

// "SObject#listviews(): Returns list views info in specified SObject" and ListView#results() / #describe().
const views = await conn.sobject('Account').listviews();
const view = views.listviews[0];
const results = await conn.sobject('Account').listview(view.id).results();
const described = await conn.sobject('Account').listview(view.id).describe();
const nameIndex = results.columns.findIndex((c) => c.fieldNameOrPath === 'Name');
seen.listviews = {
  size: views.size,
  id: view.id,
  label: view.label,
  names: results.records.map((r) => r.columns[nameIndex].value),
  query: described.query,
};

// conn.soap.merge(MergeRequest): resolves with the MergeResult { id, mergedRecordIds, success, updatedRelatedIds }.
const merged = await conn.soap.merge({ masterRecord: { type: 'Account', Id: master }, recordToMergeIds: [victim] });
seen.merge = { id: merged.id, success: merged.success, mergedRecordIds: merged.mergedRecordIds, updatedRelatedIds: merged.updatedRelatedIds };
seen.contactAccountId = (await conn.sobject('Contact').retrieve(contact.id)).AccountId;
seen.victimMaster = (await conn.query(`SELECT MasterRecordId, IsDeleted FROM Account WHERE Id = '${victim}'`, { scanAll: true })).records[0];

// SObject#layouts(): "Describe layout information for SObject" (the REST Describe Layouts result);
// SObject#compactLayouts(): CompactLayoutInfo { compactLayouts, defaultCompactLayoutId, recordTypeCompactLayoutMappings }.
const layouts = await conn.sobject('Account').layouts();
const compact = await conn.sobject('Account').compactLayouts();
const fieldsOf = (sections) => sections.flatMap((s) => s.layoutRows).flatMap((r) => r.layoutItems)
  .flatMap((i) => i.layoutComponents).filter((c) => c.type === 'Field').map((c) => c.value);
seen.layouts = {
  count: layouts.layouts.length,
  recordTypeIds: layouts.recordTypeMappings.map((m) => m.recordTypeId),
  detailFields: fieldsOf(layouts.layouts[0].detailLayoutSections),
  editFields: fieldsOf(layouts.layouts[0].editLayoutSections),
  compactCount: compact.compactLayouts.length,
  compactFields: compact.compactLayouts.flatMap((l) => l.fieldItems).flatMap((i) => i.layoutComponents).map((c) => c.value),
  compactMappings: compact.recordTypeCompactLayoutMappings.map((m) => m.recordTypeId),
};

// Connection#quickActions() and SObject#quickActions(): the actions' { name, label, type, urls };
// QuickAction#describe() and #defaultValues(contextId) of the account's LogACall.
const globalActions = await conn.quickActions();
const accountActions = await conn.sobject('Account').quickActions();
const logACall = conn.sobject('Account').quickAction('LogACall');
const actionDescribe = await logACall.describe();
const defaults = await logACall.defaultValues(master);
seen.quickActions = {
  global: globalActions.map((a) => a.name),
  account: accountActions.map((a) => ({ name: a.name, type: a.type })),
  describe: { name: actionDescribe.name, type: actionDescribe.type, targetSobjectType: actionDescribe.targetSobjectType },
  defaultsType: defaults.attributes.type,
};

console.log(JSON.stringify(seen));
