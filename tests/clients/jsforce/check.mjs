// jsforce, as its users write it, against the emulator: `node check.mjs <instanceUrl> <accessToken> [<username> <password+token>]`.
// Prints one JSON object with what it saw; any error exits non-zero.
import jsforce from 'jsforce';

const [, , instanceUrl, accessToken, username, password] = process.argv;
const conn = new jsforce.Connection({ instanceUrl, accessToken, version: '66.0' });
const seen = {};

const global = await conn.describeGlobal();
seen.objects = global.sobjects.map((s) => s.name);
const describe = await conn.sobject('Opportunity').describe();
seen.stages = describe.fields.find((f) => f.name === 'StageName').picklistValues.map((p) => p.value);

const created = await conn.sobject('Account').create({ Name: 'jsforce Co', Industry: 'Media' });
seen.created = created;
const record = await conn.sobject('Account').retrieve(created.id);
seen.retrieved = { Id: record.Id, Name: record.Name, Industry: record.Industry };
await conn.sobject('Account').update({ Id: created.id, Industry: 'Energy' });
seen.updatedIndustry = (await conn.sobject('Account').retrieve(created.id)).Industry;

try {
  await conn.sobject('Account').create({ Industry: 'Media' });
} catch (e) {
  seen.missingName = { errorCode: e.errorCode, message: e.message };
}

const queried = await conn.query(`SELECT Id, Name, Industry FROM Account WHERE Id = '${created.id}'`);
seen.query = { totalSize: queried.totalSize, done: queried.done, records: queried.records.map((r) => ({ Id: r.Id, Industry: r.Industry, type: r.attributes.type })) };
const found = await conn.sobject('Account').find({ Industry: 'Energy' }, ['Id', 'Name']).sort({ Name: 1 }).limit(5);
seen.find = found.map((r) => r.Name);
// 2,200 contacts in eleven collection calls of 200 (Salesforce's cap), then read back across two query pages.
seen.collectionCreated = 0;
for (let chunk = 0; chunk < 11; chunk++) {
  const many = [];
  for (let i = 0; i < 200; i++) many.push({ LastName: `Bulk ${String(chunk * 200 + i).padStart(4, '0')}`, AccountId: created.id });
  const saved = await conn.sobject('Contact').create(many, { allOrNone: true });
  seen.collectionCreated += saved.filter((r) => r.success).length;
}
const paged = await conn.query('SELECT Id, LastName, Account.Name FROM Contact ORDER BY LastName').run({ autoFetch: true, maxFetch: 5000 });
seen.paged = { totalSize: paged.totalSize, fetched: paged.records.length, accountName: paged.records[0].Account.Name };
const grouped = await conn.query('SELECT AccountId, COUNT(Id) cnt FROM Contact GROUP BY AccountId');
seen.grouped = grouped.records.map((r) => ({ AccountId: r.AccountId, cnt: r.cnt }));
const search = await conn.search('FIND {jsforce} IN NAME FIELDS RETURNING Account(Id, Name)');
seen.search = search.searchRecords.map((r) => r.Name);

const ingest = await conn.bulk2.loadAndWaitForResults({
  object: 'Account',
  operation: 'insert',
  input: 'Name,Industry\nBulk One,Media\n"Bulk, Two",Energy\n,Media\n',
  pollInterval: 50,
  pollTimeout: 20000,
});
seen.bulkIngest = { successful: ingest.successfulResults.length, failed: ingest.failedResults.map((r) => r.sf__Error) };
const bulkRows = await (await conn.bulk2.query('SELECT Id, LastName FROM Contact ORDER BY LastName', { pollInterval: 50, pollTimeout: 20000 })).toArray();
seen.bulkQuery = { rows: bulkRows.length, first: bulkRows[0].LastName };

// Query plans (jsforce Query#explain, GET /query?explain=) and the Organization row tools read before their commands.
const explained = await conn.query('SELECT Id FROM Account').explain();
seen.explain = explained.plans.map((p) => ({ sobjectType: p.sobjectType, leadingOperationType: p.leadingOperationType, relativeCost: typeof p.relativeCost }));
const orgRow = (await conn.query('SELECT Id, Name, OrganizationType, IsSandbox FROM Organization')).records[0];
seen.organization = { Id: orgRow.Id, IsSandbox: orgRow.IsSandbox };

const limits = await conn.limits();
seen.dailyApiMax = limits.DailyApiRequests.Max;

await conn.sobject('Account').destroy(created.id);
try {
  await conn.sobject('Account').retrieve(created.id);
} catch (e) {
  seen.afterDelete = e.errorCode;
}

// SOAP login, as jsforce documents `conn.login(username, password)` without OAuth client credentials: it resolves to
// userInfo { id, organizationId, url } and sets conn.accessToken and conn.instanceUrl. login() exists up to API 64.0.
if (username) {
  const soapConn = new jsforce.Connection({ loginUrl: instanceUrl, version: '64.0' });
  const userInfo = await soapConn.login(username, password);
  seen.soapLogin = { id: userInfo.id, organizationId: userInfo.organizationId, url: userInfo.url, accessToken: soapConn.accessToken, instanceUrl: soapConn.instanceUrl };
  seen.soapLogin.queried = (await soapConn.query('SELECT Id FROM User')).totalSize;
  const info = await soapConn.soap.getUserInfo();
  seen.soapLogin.getUserInfo = { userId: info.userId, userName: info.userName, organizationId: info.organizationId };
  const token = soapConn.accessToken;
  await soapConn.logout();
  try {
    await new jsforce.Connection({ instanceUrl, accessToken: token, version: '66.0' }).query('SELECT Id FROM User');
  } catch (e) {
    seen.soapLogin.afterLogout = e.errorCode;
  }
  try {
    await new jsforce.Connection({ loginUrl: instanceUrl, version: '64.0' }).login(username, 'wrong');
  } catch (e) {
    seen.soapLogin.wrongPassword = e.message;
  }
}

console.log(JSON.stringify(seen));
